"""T07: encryption at rest — a wrong password is not a damaged file; the recovery key opens the ledger
and its backups in a fresh folder; no ID number in clear in the database, WAL or backup bytes."""
from __future__ import annotations

import hashlib
import shutil

import pytest
from sqlalchemy import select

from db import backup as backups
from db.access import keys, login
from db.access.detect import is_encrypted, key_file
from db.access.keys import WrongPassword
from db.context import ServiceContext
from db.engine import inspect, open_database
from db.errors import DatabaseDamaged, DatabaseEncrypted
from db.models.registry import Student
from db.restore import restore
from db.services import Services
from tests.db.access.conftest import ADMIN, PASSWORD


def _ids(path) -> list[str]:
    db = open_database(path)
    with db.session_factory() as s:
        ids = [i for i in s.scalars(select(Student.id_number)) if i]
    db.dispose()
    return ids


def _digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_first_admin_encrypts_and_keeps_every_record(plain_path, clock):
    ids = _ids(plain_path)
    facts = backups.verify(plain_path)
    setup = login.first_admin(plain_path, ADMIN, PASSWORD, clock)
    assert is_encrypted(plain_path) and key_file(plain_path).exists()
    raw = plain_path.read_bytes()
    assert not raw.startswith(b"SQLite format 3") and not any(i.encode() in raw for i in ids)
    got = backups.verify(plain_path, key=setup.key)
    assert (got.students, got.lines, got.money_fen) == (facts.students, facts.lines, facts.money_fen)
    # the verified plain backup made first is itself encrypted afterwards, like every automatic backup
    assert setup.backup.exists() and not backups.is_plain(setup.backup)
    assert all(not backups.is_plain(b.path) and b.verified for b in backups.list_backups(plain_path))


def test_without_a_key_the_ledger_asks_for_a_login_never_a_restore(encrypted):
    path, _ = encrypted
    before = _digest(path)
    with pytest.raises(DatabaseEncrypted):
        open_database(path)
    assert _digest(path) == before


def test_wrong_password_is_told_apart_from_a_damaged_file(encrypted, clock):
    path, setup = encrypted
    before, n_backups = _digest(path), len(backups.list_backups(path))
    with pytest.raises(WrongPassword, match="用户名或密码错误"):
        login.unlock(path, ADMIN, "not-the-password", clock)
    with pytest.raises(WrongPassword, match="用户名或密码错误"):
        login.unlock(path, "nobody", PASSWORD, clock)
    assert _digest(path) == before and len(backups.list_backups(path)) == n_backups
    assert not (path.parent / "damaged").exists()
    # the right password opens it; a damaged file with the right key is DatabaseDamaged
    key = login.unlock(path, ADMIN, PASSWORD, clock)
    assert key == setup.key
    data = bytearray(path.read_bytes())
    for i in range(4096 + 100, 4096 + 400):
        data[i] ^= 0x5A
    path.write_bytes(bytes(data))
    with pytest.raises(DatabaseDamaged):
        inspect(path, key=key)


def test_recovery_key_opens_the_ledger_and_resets_the_admin_password(encrypted, clock):
    path, setup = encrypted
    key_file(path).unlink()                                  # the key file is lost
    with pytest.raises(DatabaseEncrypted) as e:
        open_database(path)
    assert not e.value.has_key_file
    with pytest.raises(WrongPassword, match="输入有误"):
        typo = setup.recovery_key[:5] + ("A" if setup.recovery_key[5] != "A" else "B") + setup.recovery_key[6:]
        login.recover(path, typo, ADMIN, "New#Pass2021", clock)
    other = keys.new_recovery_key()
    with pytest.raises(WrongPassword, match="不符"):
        login.recover(path, other, ADMIN, "New#Pass2021", clock)
    key = login.recover(path, setup.recovery_key.lower().replace("-", " "), ADMIN, "New#Pass2021", clock)
    assert key == setup.key
    assert login.unlock(path, ADMIN, "New#Pass2021", clock) == key
    with pytest.raises(WrongPassword):
        login.unlock(path, ADMIN, PASSWORD, clock)


def test_an_encrypted_backup_restores_in_a_fresh_folder_with_only_the_recovery_key(encrypted, tmp_path, clock):
    path, setup = encrypted
    ids = set()
    db = open_database(path, key=setup.key)
    with db.session_factory() as s:
        ids = {i for i in s.scalars(select(Student.id_number)) if i}
    db.dispose()
    stick = tmp_path / "usb"
    stick.mkdir()
    info = backups.backup_to(path, stick, key=setup.key)
    raw = info.path.read_bytes()
    assert not raw.startswith(b"SQLite format 3") and not any(i.encode() in raw for i in ids)
    with pytest.raises(backups.BackupInvalid):
        backups.verify(info.path)                             # no key: cannot even be checked
    fresh = tmp_path / "new-pc" / "ledger.sqlite3"
    fresh.parent.mkdir()
    key = keys.data_key_from_recovery(setup.recovery_key)
    restore(fresh, info.path, key=key)
    login.recover(fresh, setup.recovery_key, ADMIN, "New#Pass2021", clock)
    db = open_database(fresh, key=login.unlock(fresh, ADMIN, "New#Pass2021", clock))
    with db.session_factory() as s:
        assert {i for i in s.scalars(select(Student.id_number)) if i} == ids
    db.dispose()


def test_no_id_number_in_clear_in_the_database_wal_or_backup(admin_services, encrypted, tmp_path):
    path, setup = encrypted
    sv = admin_services
    form = sv.registry.get_student(1, reveal=True)
    marker = "110101201001019992"                             # a valid ID only this test writes
    form.id_number, form.student_no = marker, ""
    sv.registry.save_student(form)
    wal = path.with_name(path.name + "-wal")
    assert wal.exists() and wal.stat().st_size > 0
    for f in (path, wal):
        assert marker.encode() not in f.read_bytes(), f
    info = backups.backup_info(path, "manual", key=setup.key)
    assert marker.encode() not in info.path.read_bytes()
    shutil.copy(info.path, tmp_path / "copy.sqlite3")
    assert backups.verify(tmp_path / "copy.sqlite3", key=setup.key).students == 40


def test_a_plain_backup_is_not_restored_over_an_encrypted_ledger(encrypted, tmp_path):
    path, setup = encrypted
    plain = tmp_path / "plain.sqlite3"
    db = open_database(plain)
    db.dispose()
    with pytest.raises(Exception, match="加密以前的备份"):
        restore(path, plain, key=setup.key)
    assert backups.verify(path, key=setup.key).students == 40


def test_services_of_an_encrypted_ledger_work(admin_services):
    sv: Services = admin_services
    assert sv.registry.count(sv.registry.__class__.__mro__[0] and __import__(
        "db.registry.dto", fromlist=["StudentQuery"]).StudentQuery()) == 40
    assert isinstance(sv.ctx, ServiceContext) and sv.ctx.actor.name == ADMIN


def test_encrypted_connections_get_the_app_settings(encrypted):
    """T11 on SQLCipher: the same pragmas on every connection of the pool."""
    path, setup = encrypted
    db = open_database(path, key=setup.key)
    try:
        with db.engine.connect() as conn:
            got = {p: conn.exec_driver_sql(f"PRAGMA {p}").scalar()
                   for p in ("journal_mode", "synchronous", "foreign_keys", "secure_delete", "trusted_schema")}
            assert conn.exec_driver_sql("PRAGMA cipher_version").scalar().startswith("4.")
        assert got == {"journal_mode": "wal", "synchronous": 2, "foreign_keys": 1, "secure_delete": 1,
                       "trusted_schema": 0}
    finally:
        db.dispose()
