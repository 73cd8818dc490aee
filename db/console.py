"""Chinese text on any console, and the frozen build's console executable.

A Windows console window gets Unicode from Python itself (WriteConsoleW), whatever its code page. Output
that goes to a pipe or a file is written in the system's code page: on a Chinese Windows that is 936
(GBK), which lacks rarer characters found in names (e.g. 𠮷). GBK is written as GB18030 instead: the
same bytes for every GBK character and a lossless encoding for the rest. Nothing that cannot be encoded
may crash a command: such characters become "?".

The frozen build ignores PYTHONIOENCODING (PyInstaller does not read PYTHON* variables), so a script
that wants UTF-8 sets ZHUXUE_ENCODING=utf-8.
"""
from __future__ import annotations

import codecs
import os
import sys
from pathlib import Path

ENCODING_VARIABLE = "ZHUXUE_ENCODING"
_GBK_FAMILY = {"gbk", "gb2312", "cp936"}


def _target_encoding(current: str | None, override: str | None) -> str | None:
    for name in (override, current):
        if not name:
            continue
        try:
            canonical = codecs.lookup(name).name
        except LookupError:
            continue                      # an unknown override is ignored, never fatal
        return "gb18030" if canonical in _GBK_FAMILY else canonical
    return None


def prepare_streams(streams=None, environ=None) -> None:
    """Reconfigure stdout/stderr (or `streams`) as described above; None streams (a windowed
    Windows build has none) are left alone."""
    environ = os.environ if environ is None else environ
    override = environ.get(ENCODING_VARIABLE)
    for stream in (sys.stdout, sys.stderr) if streams is None else streams:
        if stream is None or not hasattr(stream, "reconfigure"):
            continue
        if sys.platform == "win32" and stream.isatty():   # pragma: no cover - Windows console: Unicode
            stream.reconfigure(errors="replace")
            continue
        encoding = _target_encoding(stream.encoding, override)
        stream.reconfigure(encoding=encoding, errors="replace")


def is_cli_executable() -> bool:
    """True in the frozen build's console executable (zhuxue-cli), which shows help when started
    without a command instead of opening the window."""
    return bool(getattr(sys, "frozen", False)) and Path(sys.executable).stem.lower().endswith("-cli")
