"""T07: encryption at rest, with the faults of T06. A wrong password is not a damaged file: the
message says 用户名或密码错误, the file is unchanged, nothing is moved aside or restored. With the
right password a damaged encrypted file is DatabaseDamaged, the newest verified (encrypted) backup is
offered, a restore keeps the damaged file, and the recovery key opens the ledger and its backups
(tests/db/access/test_encryption.py covers the fresh folder and the bytes of the database, WAL and
backups)."""
from __future__ import annotations

import datetime as dt
import os
import random
import shutil

import pytest

from db import backup as backups
from db.access import login
from db.access.keys import WrongPassword, data_key_from_recovery
from db.engine import open_database
from db.errors import DatabaseDamaged
from db.restore import restore
from tests.faults.conftest import child_env, digest, no_traceback, run_main
from tests.faults.scenario import make_ledger

NOW = dt.datetime(2024, 6, 1, 10, 0)
ADMIN, PASSWORD = "王老师", "Zhuxue#2020"


@pytest.fixture(scope="module")
def encrypted_ledger(tmp_path_factory):
    path = make_ledger(tmp_path_factory.mktemp("t07") / "ledger.sqlite3", 300)
    setup = login.first_admin(path, ADMIN, PASSWORD)
    return path, setup


@pytest.fixture
def ledger(encrypted_ledger, tmp_path):
    src, setup = encrypted_ledger
    db = tmp_path / "ledger.sqlite3"
    for suffix in ("", ".keys"):
        shutil.copy(f"{src}{suffix}", f"{db}{suffix}")
    older = backups.backup(db, "auto", now=NOW - dt.timedelta(days=3), key=setup.key)
    newest = backups.backup(db, "close", now=NOW - dt.timedelta(hours=2), key=setup.key)
    return db, setup, older, newest


def _damage(path, how: str) -> None:
    data = bytearray(path.read_bytes())
    rng = random.Random(7)
    if how == "header":
        data[0:16] = bytes(rng.randrange(256) for _ in range(16))     # the salt SQLCipher keeps in clear
    elif how == "page":
        start = 4096 * (len(data) // 4096 // 2) + 100
        data[start:start + 400] = bytes(rng.randrange(256) for _ in range(400))
    elif how == "truncate":
        del data[len(data) // 2:]
    path.write_bytes(bytes(data))


def _cli(db, *args, password):
    return run_main(*args, "--db", str(db), env=child_env(ZHUXUE_USER=ADMIN, ZHUXUE_PASSWORD=password))


def test_a_wrong_password_never_looks_like_damage(ledger):
    db, setup, older, newest = ledger
    before = {p: digest(p) for p in (db, older, newest, db.with_name(db.name + ".keys"))}
    for _ in range(3):
        with pytest.raises(WrongPassword, match="用户名或密码错误"):
            login.unlock(db, ADMIN, "guessing-1234")
    r = _cli(db, "students", password="guessing-1234")
    assert r.returncode == 2 and "用户名或密码错误" in r.stderr and "损坏" not in r.stderr
    no_traceback(r)
    r = run_main("--smoke-test", "--db", str(db))
    assert r.returncode == 2 and "已加密" in r.stderr and "损坏" not in r.stderr
    assert {p: digest(p) for p in before} == before
    assert not (db.parent / "damaged").exists() and len(backups.list_backups(db)) == 2


@pytest.mark.parametrize("how", ["header", "page", "truncate"])
def test_a_damaged_encrypted_ledger_with_the_right_password(ledger, how):
    db, setup, older, newest = ledger
    _damage(db, how)
    before = digest(db)
    key = login.unlock(db, ADMIN, PASSWORD)                      # the key file is fine: the key is right
    with pytest.raises(DatabaseDamaged):
        open_database(db, key=key)
    assert digest(db) == before
    r = _cli(db, "students", password=PASSWORD)
    assert r.returncode == 2 and "已损坏" in r.stderr and "密码错误" not in r.stderr
    no_traceback(r)
    offer = backups.newest_verified(db, key=key)
    assert offer.path == newest and offer.facts.students == 300
    assert backups.newest_verified(db) is None                   # no key: nothing can even be checked
    result = restore(db, offer.path, key=key)
    assert result.damaged_copy is not None and digest(result.damaged_copy) == before
    db_ = open_database(db, key=data_key_from_recovery(setup.recovery_key))
    db_.dispose()
    assert backups.verify(db, key=key).students == 300


def test_every_backup_of_an_encrypted_ledger_is_encrypted(ledger):
    db, setup, older, newest = ledger
    for b in backups.list_backups(db):
        assert not backups.is_plain(b.path)
        with pytest.raises(backups.BackupInvalid):
            backups.verify(b.path)
        assert backups.verify(b.path, key=data_key_from_recovery(setup.recovery_key)).students == 300
    assert os.path.exists(setup.backup) and not backups.is_plain(setup.backup)
