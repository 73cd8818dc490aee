"""Failed logins and lockouts, kept across restarts in a small file beside the database
(`ledger.sqlite3.logins`, JSON): the count of failures of each user name since its last success, the
time a lockout ends, and the failures not yet written to the audit log.

It lives outside the database because the database is encrypted: a login is checked before the
ledger can be read. After MAX_FAILURES failures in a row a name is locked for LOCK_MINUTES; a
success clears its count. Failures are written to the audit log ("login_failed") at the next
successful login, with the time they happened (db.access.login).

Whoever can change this file can also copy the database away and guess offline; the lockout slows
guessing at the keyboard, and argon2id slows guessing anywhere.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

MAX_FAILURES = 5
LOCK_MINUTES = 15
KEEP_PENDING = 200           # failures waiting for the audit log (a flood is cut, the count kept)


@dataclass(frozen=True)
class Failure:
    name: str
    at: dt.datetime              # naive UTC


def path_of(db_path: Path) -> Path:
    return Path(f"{db_path}.logins")


def _load(db_path: Path) -> dict:
    try:
        data = json.loads(path_of(db_path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _save(db_path: Path, data: dict) -> None:
    target = path_of(db_path)
    tmp = target.with_name(f".{target.name}.{secrets.token_hex(4)}.tmp")
    try:
        tmp.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
        os.replace(tmp, target)
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink()


def _key(name: str) -> str:
    return name.strip().lower()


def locked_until(db_path: Path, name: str, now: dt.datetime) -> dt.datetime | None:
    """When the lockout of `name` ends (UTC), or None when it may try now."""
    entry = _load(db_path).get("users", {}).get(_key(name)) or {}
    with contextlib.suppress(KeyError, TypeError, ValueError):
        until = dt.datetime.fromisoformat(entry["locked_until"])
        if until > now:
            return until
    return None


def failed(db_path: Path, name: str, now: dt.datetime) -> dt.datetime | None:
    """Count one failure; returns the end of the lockout it starts (UTC), if any."""
    data = _load(db_path)
    users = data.setdefault("users", {})
    entry = users.setdefault(_key(name), {})
    count = int(entry.get("failures", 0) or 0) + 1
    until = None
    if count >= MAX_FAILURES:
        until = now + dt.timedelta(minutes=LOCK_MINUTES)
        entry["locked_until"] = until.isoformat()
        count = 0                        # after the lockout, five more tries
    entry["failures"] = count
    pending = data.setdefault("pending", [])
    pending.append({"name": name.strip()[:60], "at": now.isoformat()})
    del pending[:-KEEP_PENDING]
    _save(db_path, data)
    return until


def succeeded(db_path: Path, name: str) -> None:
    data = _load(db_path)
    if data.get("users", {}).pop(_key(name), None) is not None:
        _save(db_path, data)


def failures(db_path: Path, name: str) -> int:
    return int((_load(db_path).get("users", {}).get(_key(name)) or {}).get("failures", 0) or 0)


def take_pending(db_path: Path) -> list[Failure]:
    """The failures not yet in the audit log (removed from the file: call inside the write that
    records them, and put them back with `restore_pending` if it fails)."""
    data = _load(db_path)
    raw = data.pop("pending", [])
    out = []
    for p in raw if isinstance(raw, list) else []:
        with contextlib.suppress(KeyError, TypeError, ValueError):
            out.append(Failure(str(p["name"]), dt.datetime.fromisoformat(p["at"])))
    if raw:
        _save(db_path, data)
    return out


def restore_pending(db_path: Path, items: list[Failure]) -> None:
    if not items:
        return
    data = _load(db_path)
    data["pending"] = [{"name": f.name, "at": f.at.isoformat()} for f in items] + list(data.get("pending", []))
    _save(db_path, data)
