"""Fault tests (RELIABILITY.md): real processes killed, real full disks (tmpfs), injected I/O errors
(fiu-utils), damaged files. Every test here is marked `faults` (run them alone with
`pytest -m faults`; one of them with `-k t06`). Seeds are fixed. A fault that cannot be set up
fails the test loudly — it never passes without having happened."""
from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent


def pytest_collection_modifyitems(items):
    for item in items:
        # `network` tests (pip-audit) stay out of `-m faults`: that service is not reachable from CI
        if HERE in Path(str(item.fspath)).resolve().parents and not item.get_closest_marker("network"):
            item.add_marker(pytest.mark.faults)


def digest(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def child_env(**extra: str) -> dict:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONIOENCODING="utf-8", PYTHONPATH=str(ROOT))
    env.pop("ZHUXUE_CRASH", None)
    env.update(extra)
    return env


def run_py(code: str, *args: str, env: dict | None = None, timeout: float = 120,
           preexec_fn=None) -> subprocess.CompletedProcess:
    """Run Python code in a fresh interpreter (the project on its path)."""
    return subprocess.run([sys.executable, "-c", code, *args], cwd=ROOT, env=env or child_env(),
                          capture_output=True, text=True, encoding="utf-8", timeout=timeout, preexec_fn=preexec_fn)


def run_main(*args: str, env: dict | None = None, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "main.py"), *args], cwd=ROOT, env=env or child_env(),
                          capture_output=True, text=True, encoding="utf-8", timeout=timeout)


def no_traceback(r: subprocess.CompletedProcess) -> None:
    assert "Traceback" not in r.stderr + r.stdout, r.stderr
    assert "[SQL" not in r.stderr + r.stdout and "parameters" not in r.stderr, r.stderr


@pytest.fixture
def tmpfs(tmp_path):
    """mount_tmpfs(size) -> a fresh tmpfs folder of that size (root needed; CI runs as root).
    Unmounted at the end."""
    mounted: list[Path] = []

    def mount(size: str = "1m", name: str = "small", options: str = "") -> Path:
        where = tmp_path / name
        where.mkdir()
        opts = f"size={size}" + (f",{options}" if options else "")
        r = subprocess.run(["mount", "-t", "tmpfs", "-o", opts, "tmpfs", str(where)], capture_output=True, text=True)
        if r.returncode != 0:
            pytest.fail(f"cannot mount a tmpfs for this fault test (root needed): {r.stderr.strip()}")
        mounted.append(where)
        return where
    yield mount
    for where in reversed(mounted):
        subprocess.run(["umount", "-l", str(where)], capture_output=True)


def remount(where: Path, mode: str) -> None:
    r = subprocess.run(["mount", "-o", f"remount,{mode}", str(where)], capture_output=True, text=True)
    if r.returncode != 0:
        pytest.fail(f"cannot remount {where} {mode}: {r.stderr.strip()}")


def need(program: str) -> str:
    found = shutil.which(program)
    if not found:
        pytest.fail(f"{program} is not installed: installer/setup.sh --test installs it")
    return found


def kill_after(proc: subprocess.Popen, seconds: float) -> None:
    time.sleep(seconds)
    with contextlib.suppress(ProcessLookupError):
        os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
