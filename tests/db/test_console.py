"""Chinese output on a console whose code page is not UTF-8 (Windows: 936)."""
import io
import json
import os
import subprocess
import sys
from pathlib import Path

from db.console import ENCODING_VARIABLE, is_cli_executable, prepare_streams

ROOT = Path(__file__).resolve().parents[2]
RARE = "𠮷"          # in GB18030, not in GBK


def stream(encoding: str) -> io.TextIOWrapper:
    return io.TextIOWrapper(io.BytesIO(), encoding=encoding, errors="strict")


def written(s: io.TextIOWrapper) -> bytes:
    s.flush()
    return s.buffer.getvalue()


def test_gbk_becomes_gb18030_so_rare_characters_survive():
    s = stream("cp936")
    prepare_streams([s], environ={})
    s.write(f"张{RARE}")
    data = written(s)
    assert data.decode("gb18030") == f"张{RARE}"
    assert data[:2] == "张".encode("gbk")          # a GBK reader still reads every GBK character


def test_an_unencodable_character_never_crashes():
    s = stream("ascii")
    prepare_streams([s], environ={})
    s.write("错误：张三")
    assert written(s) == b"?????"


def test_override_variable_and_unknown_names():
    s = stream("gbk")
    prepare_streams([s], environ={ENCODING_VARIABLE: "utf-8"})
    s.write("张")
    assert written(s) == "张".encode()
    s = stream("gbk")
    prepare_streams([s], environ={ENCODING_VARIABLE: "no-such-codec"})
    s.write(RARE)
    assert written(s).decode("gb18030") == RARE


def test_missing_streams_are_left_alone():
    prepare_streams([None], environ={})          # a windowed Windows build has no stdout


def test_only_a_frozen_cli_executable_shows_help_by_default():
    assert not is_cli_executable()               # running from source


def test_cli_json_through_a_gbk_pipe(tmp_path):
    db = tmp_path / "gbk.sqlite3"
    env = dict(os.environ, PYTHONIOENCODING="gbk")
    run = [sys.executable, "main.py"]
    r = subprocess.run([*run, "demo", "--students", "20", "--db", str(db)], cwd=ROOT, env=env,
                       capture_output=True, timeout=120)
    assert r.returncode == 0, r.stderr.decode("gb18030")
    r = subprocess.run([*run, "students", "--json", "--db", str(db)], cwd=ROOT, env=env,
                       capture_output=True, timeout=120)
    assert r.returncode == 0
    rows = json.loads(r.stdout.decode("gb18030"))
    assert len(rows) == 20 and all("\u4e00" <= row["name"][0] <= "\u9fff" for row in rows)
    try:
        r.stdout.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        raise AssertionError("the output was UTF-8, not the console's code page")
