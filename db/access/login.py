"""Opening a ledger as a user, making the first administrator (which encrypts the ledger) and the
recovery key's way in.

    key = login.unlock(path, name, password, clock)         # before open_database: lockout, key slot
    db = open_database(path, key=key)
    actor = login.start(services, path, key, name, password)  # the user row, audit, rehash

`first_admin` converts a plain ledger: a verified backup first, then SQLCipher's export into a
temporary file with the administrator added inside it, verified against the plain file's counts,
the key file written, and one rename; the plain automatic backups are then encrypted too
(`encrypt_backups`, also run after every login until none is left).
"""
from __future__ import annotations

import contextlib
import dataclasses
import os
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import sessionmaker

from db import audit, sqlite, tempfiles
from db import backup as backups
from db.access import keys, lockout, passwords
from db.access.detect import is_encrypted
from db.access.keys import WrongPassword
from db.access.roles import Role
from db.access.service import AccessService, _clean_name, actor_of, insert_user, locked_text
from db.clock import Clock
from db.context import Actor, ServiceContext
from db.crash import crash_point
from db.engine import _fold_wal, inspect, make_engine, open_database
from db.errors import DatabaseDamaged, LedgerError, ValidationError
from db.failures import file_problem
from db.models.core import User


def needs_login(db_path: Path) -> bool:
    return is_encrypted(Path(db_path))


def unlock(db_path: Path, name: str, password: str, clock: Clock | None = None) -> bytes:
    """The data key of an encrypted ledger for `name`'s password (WrongPassword otherwise; five in a
    row lock the name for 15 minutes, kept across restarts). The database is not touched."""
    now = (clock or Clock()).now()
    until = lockout.locked_until(db_path, name, now)
    if until is not None:
        raise WrongPassword(locked_text(until, now))
    kf = keys.load(db_path)
    try:
        return kf.unlock(name, password)
    except WrongPassword:
        until = lockout.failed(db_path, name, now)
        raise WrongPassword(locked_text(until, now) if until else "用户名或密码错误") from None


def start(access: AccessService, db_path: Path, key: bytes | None, name: str, password: str, *,
          record: bool = True) -> Actor:
    """After the ledger opened with the key: the user must be active here too (a disabled user has no
    slot, but a key file restored from elsewhere might have one); audits the login (`record` False: a
    command that may only read, while the window holds the database)."""
    access.attach(db_path, key)
    with access._ctx.read() as s:
        u = s.scalar(select(User).where(func.lower(User.name) == name.strip().lower(), User.active))
    if u is None:
        lockout.failed(db_path, name, access._ctx.clock.now())
        raise WrongPassword("该账号不存在或已停用")
    actor = actor_of(u)
    if record:
        access.logged_in(actor, password)
    access._ctx.set_actor(actor)
    if record:
        with contextlib.suppress(LedgerError):
            encrypt_backups(db_path, key)
    return actor


# ---- the first administrator ---------------------------------------------------------------------------
@dataclass(frozen=True)
class Setup:
    key: bytes
    recovery_key: str
    backup: Path            # the verified (plain) backup made before the conversion, then encrypted


def first_admin(db_path: Path, name: str, password: str, clock: Clock | None = None) -> Setup:
    """Make the first administrator of a plain ledger without users, and encrypt the ledger. The
    caller holds the database's lock and has closed every connection to it."""
    db_path = Path(db_path)
    clock = clock or Clock()
    plain = make_engine(db_path)
    try:
        access = AccessService(ServiceContext(sessionmaker(plain, expire_on_commit=False), clock=clock))
        if access.has_users():
            raise LedgerError("这个数据库已经有用户了")
        problem = access.policy_problem(name, password)
    finally:
        plain.dispose()
    name = _clean_name(name)
    if problem:
        raise ValidationError({"password": problem})
    tempfiles.sweep(db_path.parent)                 # what a conversion killed earlier left behind
    try:
        _retire_wal(db_path)
    except sqlite.Error as e:
        raise LedgerError(f"没有加密：{file_problem(e)}；数据库保持原样") from None
    before = backups.backup(db_path, "before-encrypt", now=None)
    recovery = keys.new_recovery_key()
    key = keys.data_key_from_recovery(recovery)
    tmp = tempfiles.claim(db_path.with_name(tempfiles.name(f"{db_path.stem}-encrypt")))
    try:
        sqlite.export_encrypted(db_path, tmp, key)
        _add_admin(tmp, key, name, password, clock)
        _fold_wal(tmp, key)
        _same_data(db_path, tmp, key)
        kf = keys.KeyFile.new(key)
        kf.set_slot(name, password, key)
        keys.save(db_path, kf)
        crash_point("encrypt.keys_written")
        os.replace(tmp, db_path)
        backups._fsync_dir(db_path.parent)
    except (OSError, *sqlite.Error) as e:
        raise LedgerError(f"加密没有完成：{file_problem(e)}；数据库保持原样（没有加密），"
                          f"加密前的备份：{before.name}") from None
    finally:
        for p in (tmp, Path(f"{tmp}-wal"), Path(f"{tmp}-shm")):
            tempfiles.remove(p)
    with contextlib.suppress(LedgerError):
        encrypt_backups(db_path, key)
    return Setup(key, recovery, before)


def _retire_wal(db_path: Path) -> None:
    """The plain file alone, no write-ahead log beside it (the encrypted file replaces it)."""
    conn = sqlite.connect(db_path)
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.execute("PRAGMA journal_mode=DELETE")
    finally:
        conn.close()


def _add_admin(path: Path, key: bytes, name: str, password: str, clock: Clock) -> None:
    engine = make_engine(path, key)
    try:
        ctx = ServiceContext(sessionmaker(engine, expire_on_commit=False), Actor(name, None, Role.ADMIN.value),
                             clock=clock)
        with ctx.write() as s:
            insert_user(s, ctx, name, Role.ADMIN, password)
            audit.record(s, ctx, "settings", "database", None,
                         summary="创建第一个管理员，数据库已加密（SQLCipher，AES-256），已生成恢复密钥")
    finally:
        engine.dispose()


def _same_data(plain: Path, encrypted: Path, key: bytes) -> None:
    """The encrypted copy passes integrity_check and holds what the plain file holds."""
    want = backups.verify(plain)
    got = backups.verify(encrypted, key=key)
    if (want.schema, want.students, want.lines, want.money_fen) != (got.schema, got.students, got.lines, got.money_fen):
        raise LedgerError("加密后的数据与原数据不一致，已放弃加密，数据库保持原样")


def encrypt_backups(db_path: Path, key: bytes | None) -> int:
    """Replace the plain automatic backups of an encrypted ledger by encrypted ones (each verified
    before it replaces the plain file). Returns how many were converted."""
    if key is None:
        return 0
    done = 0
    for info in backups.list_backups(db_path):
        if not backups.is_plain(info.path):
            continue
        tmp = tempfiles.claim(info.path.with_name(tempfiles.name(info.path.stem)))
        try:
            sqlite.export_encrypted(info.path, tmp, key)
            facts = backups.verify(tmp, key=key)
            os.replace(tmp, info.path)
            backups._remember(backups.folder_of(db_path), dataclasses.replace(
                info, size=info.path.stat().st_size, verified=True, facts=facts))
            done += 1
        except (OSError, *sqlite.Error) as e:
            raise LedgerError(f"备份 {info.path.name} 没有加密：{file_problem(e)}") from None
        finally:
            tempfiles.remove(tmp)
    return done


# ---- the recovery key -------------------------------------------------------------------------------
def recover(db_path: Path, recovery_key: str, name: str, new_password: str, clock: Clock | None = None) -> bytes:
    """Open an encrypted ledger with its recovery key and give the administrator `name` a new password
    (and a new key file when it was lost: a ledger restored into a fresh data folder). Returns the
    data key. Never restores or changes anything else."""
    db_path = Path(db_path)
    clock = clock or Clock()
    key = keys.data_key_from_recovery(recovery_key)
    try:
        kf = keys.load(db_path)
    except keys.KeyFileMissing:
        kf = None
    if kf is not None and not kf.matches(key):
        raise WrongPassword("恢复密钥不对：它不是这个台账的恢复密钥")
    try:
        inspect(db_path, key=key)
    except DatabaseDamaged:
        if kf is None:
            raise WrongPassword("恢复密钥与这个数据库不符，或数据库已损坏（没有做任何改动）") from None
        raise
    db = open_database(db_path, key=key)
    try:
        ctx = ServiceContext(db.session_factory, clock=clock)
        with ctx.read() as s:
            u = s.scalar(select(User).where(func.lower(User.name) == name.strip().lower(), User.active,
                                            User.role == Role.ADMIN.value))
        if u is None:
            raise LedgerError(f"没有名为“{name}”的管理员：恢复密钥只能给在用的管理员重设密码")
        problem = AccessService(ctx).policy_problem(u.name, new_password)
        if problem:
            raise ValidationError({"password": problem})
        kf = kf or keys.KeyFile.new(key)
        ctx.set_actor(actor_of(u))
        with ctx.write() as s:
            row = s.get(User, u.id)
            row.password_hash = passwords.hash_password(new_password)
            row.password_changed_at = clock.now()
            audit.record(s, ctx, "update", "user", u.id, summary=f"用恢复密钥重设管理员密码：{u.name}")
            kf.set_slot(u.name, new_password, key)
            keys.save(db_path, kf)
    finally:
        db.dispose()
    lockout.succeeded(db_path, name)
    return key
