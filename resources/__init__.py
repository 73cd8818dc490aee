"""One resolver for files shipped with the app; works from a checkout and from a frozen build.
No Qt here: db/ may use it too (fonts for PDFs)."""
from __future__ import annotations

import sys
from pathlib import Path


def resource_dir() -> Path:
    base = getattr(sys, "_MEIPASS", None)   # PyInstaller one-file/one-folder builds
    return Path(base) / "resources" if base else Path(__file__).resolve().parent


def resource_path(*parts: str) -> Path:
    return resource_dir().joinpath(*parts)
