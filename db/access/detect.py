"""Whether a ledger file is encrypted, without importing any cryptography (start-up stays lean)."""
from __future__ import annotations

from pathlib import Path

MAGIC = b"SQLite format 3\x00"


def key_file(db_path: Path) -> Path:
    return Path(f"{db_path}.keys")


def is_encrypted(db_path: Path) -> bool:
    """An existing, non-empty database file that does not start with SQLite's plain header. (A plain
    file whose header was damaged is told apart by `looks_encrypted`.)"""
    try:
        with open(db_path, "rb") as f:
            head = f.read(16)
    except OSError:
        return False
    return len(head) == 16 and head != MAGIC and key_file(db_path).exists()


def looks_encrypted(db_path: Path) -> bool:
    """Without a key file: whether the file is ciphertext (no SQLite structure to be seen in its first
    pages) rather than a plain database with a damaged header."""
    try:
        with open(db_path, "rb") as f:
            head = f.read(65536)
    except OSError:
        return False
    if len(head) < 1024 or head.startswith(MAGIC):
        return False
    return not any(word in head for word in (b"CREATE TABLE", b"CREATE INDEX", b"alembic_version"))
