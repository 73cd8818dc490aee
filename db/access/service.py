"""Users, their roles and passwords, the access settings, and logins while the ledger is open
(the lock screen and "switch user"). The login that opens an encrypted ledger is db.access.login.

Every change is audited. Passwords are argon2id (db.access.passwords); in an encrypted ledger each
user's password also wraps the data key in the key file (db.access.keys): the service changes a
user's slot together with the hash once it knows the key (`attach`).
"""
from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db import audit
from db.access import keys, lockout, passwords
from db.access.dto import AccessSettings, UserRow
from db.access.keys import WrongPassword
from db.access.roles import Perm, Role, classes_text, parse_classes, parse_role, require
from db.context import Actor, ServiceContext
from db.errors import LedgerError, NotFound, ValidationError
from db.models.core import Setting, User

MIN_LENGTH_KEY = "access.min_password_length"
IDLE_KEY = "access.idle_minutes"
DEFAULT_IDLE_MINUTES = 15


class AccessService:
    def __init__(self, ctx: ServiceContext):
        self._ctx = ctx
        self.db_path: Path | None = None
        self._key: bytes | None = None

    def attach(self, db_path: Path, key: bytes | None) -> None:
        """The database file (for lockouts) and its data key (for the key file's slots)."""
        self.db_path, self._key = Path(db_path), key

    # ---- reading ----------------------------------------------------------------------------------
    def has_users(self) -> bool:
        with self._ctx.read() as s:
            return bool(s.scalar(select(func.count(User.id))))

    def users(self) -> list[UserRow]:
        now = self._ctx.clock.now()
        kf = self._keyfile()
        with self._ctx.read() as s:
            return [UserRow(u.id, u.name, u.role, u.classes, u.active, u.created_at, u.last_login_at,
                            lockout.locked_until(self.db_path, u.name, now) if self.db_path else None,
                            kf is None or kf.has_slot(u.name))
                    for u in s.scalars(select(User).order_by(User.active.desc(), User.id))]

    def settings(self) -> AccessSettings:
        with self._ctx.read() as s:
            return AccessSettings(_int(s, MIN_LENGTH_KEY, passwords.DEFAULT_MIN_LENGTH),
                                  _int(s, IDLE_KEY, DEFAULT_IDLE_MINUTES))

    def policy_problem(self, name: str, password: str) -> str | None:
        return passwords.policy_problem(name, password, self.settings().min_password_length)

    # ---- settings ---------------------------------------------------------------------------------
    def save_settings(self, new: AccessSettings) -> AccessSettings:
        require(self._ctx.actor, Perm.SETTINGS)
        problems = {}
        if not passwords.MIN_LENGTH_FLOOR <= new.min_password_length <= passwords.MIN_LENGTH_CEILING:
            problems["min_password_length"] = (f"密码最短长度应在 {passwords.MIN_LENGTH_FLOOR}–"
                                               f"{passwords.MIN_LENGTH_CEILING} 位之间")
        if not 0 <= new.idle_minutes <= 240:
            problems["idle_minutes"] = "自动锁屏时间应在 0–240 分钟之间（0 表示不自动锁屏）"
        if problems:
            raise ValidationError(problems)
        old = self.settings()
        with self._ctx.write() as s:
            _put(s, MIN_LENGTH_KEY, str(new.min_password_length))
            _put(s, IDLE_KEY, str(new.idle_minutes))
            audit.record(s, self._ctx, "settings", "access", None, before=old, after=new,
                         summary=f"登录设置：密码至少 {new.min_password_length} 位，"
                                 f"{new.idle_minutes or '不'}{'分钟无操作自动锁屏' if new.idle_minutes else '自动锁屏'}")
        return self.settings()

    # ---- users ------------------------------------------------------------------------------------
    def add_user(self, name: str, role: str, password: str, classes: str = "") -> UserRow:
        """A new user (administrators only). In an encrypted ledger the password gets its key slot."""
        require(self._ctx.actor, Perm.USERS)
        name, role_ = _clean_name(name), parse_role(role)
        cls = _classes(role_, classes)
        problem = self.policy_problem(name, password)
        if problem:
            raise ValidationError({"password": problem})
        if not self.has_users():
            raise LedgerError("第一个用户是管理员，创建它会给数据库加密：请在首次启动时创建，"
                              "或用 main.py user add 名字 --role 管理员")
        kf = self._keyfile()
        with self._ctx.write() as s:
            if s.scalar(select(User).where(func.lower(User.name) == name.lower())):
                raise ValidationError({"name": f"已有名为“{name}”的用户（停用的用户也占用名字）"})
            u = insert_user(s, self._ctx, name, role_, password, cls)
            if kf is not None:
                kf.set_slot(name, password, self._key)
                keys.save(self.db_path, kf)          # inside the transaction: a failed save adds no user
        return self._row(u.id)

    def set_password(self, name: str, new_password: str, old_password: str | None = None) -> None:
        """A user's own change (with the old password) or an administrator's reset."""
        actor = self._ctx.actor
        own = actor.name.lower() == name.strip().lower()
        if not own or old_password is None:
            require(actor, Perm.USERS)
        problem = self.policy_problem(name, new_password)
        if problem:
            raise ValidationError({"password": problem})
        kf = self._keyfile()
        with self._ctx.write(audit_only=True) as s:
            u = _user(s, name)
            if old_password is not None and not passwords.verify(u.password_hash, old_password):
                raise ValidationError({"old_password": "原密码不对"})
            u.password_hash = passwords.hash_password(new_password)
            u.password_changed_at = self._ctx.clock.now()
            audit.record(s, self._ctx, "update", "user", u.id,
                         summary=f"{'修改自己的密码' if own else '重设用户密码'}：{u.name}")
            if kf is not None and u.active:
                kf.set_slot(u.name, new_password, self._key)
                keys.save(self.db_path, kf)
        if self.db_path is not None:
            lockout.succeeded(self.db_path, name)     # a reset also ends a lockout

    def set_active(self, name: str, active: bool) -> None:
        """Disable (its key slot goes: the password no longer opens the ledger) or enable again (it
        needs a new password then: `set_password`)."""
        require(self._ctx.actor, Perm.USERS)
        kf = self._keyfile()
        with self._ctx.write() as s:
            u = _user(s, name)
            if not active:
                _keep_an_admin(s, u, self._ctx.actor)
            u.active = active
            audit.record(s, self._ctx, "update", "user", u.id, summary=f"{'启用' if active else '停用'}用户：{u.name}")
            if kf is not None and not active:
                kf.drop_slot(u.name)
                keys.save(self.db_path, kf)

    def set_role(self, name: str, role: str, classes: str = "") -> UserRow:
        require(self._ctx.actor, Perm.USERS)
        role_ = parse_role(role)
        cls = _classes(role_, classes)
        with self._ctx.write() as s:
            u = _user(s, name)
            if role_ is not Role.ADMIN:
                _keep_an_admin(s, u, self._ctx.actor)
            before = {"role": u.role, "classes": u.classes}
            u.role, u.classes = role_.value, cls
            audit.record(s, self._ctx, "update", "user", u.id, summary=f"用户 {u.name} 的角色：{u.role}",
                         before=before, after={"role": u.role, "classes": u.classes})
        return self._row(u.id)

    # ---- logins while the ledger is open ----------------------------------------------------------
    def authenticate(self, name: str, password: str) -> Actor:
        """The lock screen and "switch user": check the password against the user table (lockouts
        count), audit the login or the failure, and return the user's Actor (not yet acting)."""
        now = self._ctx.clock.now()
        if self.db_path is not None:
            until = lockout.locked_until(self.db_path, name, now)
            if until is not None:
                raise WrongPassword(locked_text(until, now))
        with self._ctx.read() as s:
            u = s.scalar(select(User).where(func.lower(User.name) == name.strip().lower(), User.active))
            ok = u is not None and passwords.verify(u.password_hash, password)
        if not ok:
            self._failed(name, now)
        actor = actor_of(u)
        self.logged_in(actor, password)
        return actor

    def _failed(self, name: str, now) -> None:
        until = lockout.failed(self.db_path, name, now) if self.db_path is not None else None
        if self.db_path is not None:
            lockout.take_pending(self.db_path)         # recorded right here, not again at the next login
        audit.log_event(self._ctx, "login_failed", "user", None, summary=f"登录失败：{name.strip()[:30]}", ok=False)
        raise WrongPassword(locked_text(until, now) if until else "用户名或密码错误")

    def logged_in(self, actor: Actor, password: str) -> None:
        """After a successful login: lockout cleared, failures before it audited with their time, the
        login audited, a hash or key slot made with older parameters replaced."""
        pending = lockout.take_pending(self.db_path) if self.db_path is not None else []
        try:
            with self._ctx.write(audit_only=True) as s:
                for f in pending:
                    audit.record(s, self._ctx, "login_failed", "user", None, ok=False,
                                 summary=f"登录失败：{f.name[:30]}（{f.at:%Y-%m-%d %H:%M:%S} UTC）")
                u = s.get(User, actor.user_id)
                u.last_login_at = self._ctx.clock.now()
                if passwords.needs_rehash(u.password_hash):
                    u.password_hash = passwords.hash_password(password)
                audit.record(s, _AsActor(self._ctx, actor), "login", "user", u.id, summary=f"登录：{u.name}（{u.role}）")
        except BaseException:
            if self.db_path is not None:
                lockout.restore_pending(self.db_path, pending)
            raise
        if self.db_path is not None:
            lockout.succeeded(self.db_path, actor.name)
        kf = self._keyfile()
        if kf is not None and kf.has_slot(actor.name) and keys.slot_outdated(kf.slots[actor.name.strip().lower()]):
            kf.set_slot(actor.name, password, self._key)
            keys.save(self.db_path, kf)

    # ---- helpers ----------------------------------------------------------------------------------
    def _keyfile(self) -> keys.KeyFile | None:
        if self._key is None or self.db_path is None:
            return None
        return keys.load(self.db_path)

    def _row(self, user_id: int) -> UserRow:
        return next(r for r in self.users() if r.id == user_id)


class _AsActor:
    """The context `ctx` seen with `actor` acting (the login entry is written in the user's name)."""

    def __init__(self, ctx: ServiceContext, actor: Actor):
        self._ctx, self.actor, self.clock = ctx, actor, ctx.clock


def actor_of(u: User) -> Actor:
    return Actor(u.name, u.id, u.role, parse_classes(u.classes) if u.role == Role.CLERK else frozenset())


def locked_text(until, now) -> str:
    minutes = max(1, int((until - now).total_seconds() + 59) // 60)
    return f"连续 {lockout.MAX_FAILURES} 次密码错误，该账号已锁定，请 {minutes} 分钟后再试"


def insert_user(s: Session, ctx, name: str, role: Role, password: str, classes: str = "") -> User:
    u = User(name=name, role=role.value, classes=classes, password_hash=passwords.hash_password(password),
             active=True, created_at=ctx.clock.now(), password_changed_at=ctx.clock.now())
    s.add(u)
    s.flush()
    audit.record(s, ctx, "create", "user", u.id, summary=f"新建用户：{name}（{role.value}）",
                 after={"name": name, "role": role.value, "classes": classes})
    return u


def _clean_name(name: str) -> str:
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": "请填写用户名"})
    if len(name) > 30 or any(c in name for c in "\t\r\n/\\:*?\"<>|"):
        raise ValidationError({"name": "用户名最多 30 个字，不能含有 / \\ : * ? \" < > | 等符号"})
    return name


def _classes(role: Role, text: str) -> str:
    if role is not Role.CLERK:
        return ""
    cls = parse_classes(text)
    if not cls:
        raise ValidationError({"classes": "班主任/录入员请填写所管的班级，如 七年级3班、八年级1班"})
    return classes_text(cls)


def _user(s: Session, name: str) -> User:
    u = s.scalar(select(User).where(func.lower(User.name) == (name or "").strip().lower()))
    if u is None:
        raise NotFound(f"没有名为“{name}”的用户")
    return u


def _keep_an_admin(s: Session, u: User, actor: Actor) -> None:
    if u.role != Role.ADMIN or not u.active:
        return
    others = s.scalar(select(func.count(User.id)).where(User.role == Role.ADMIN.value, User.active, User.id != u.id))
    if not others:
        raise LedgerError("这是唯一的管理员，不能停用或改为其他角色；请先新建另一个管理员")


def _int(s: Session, key: str, default: int) -> int:
    raw = s.scalar(select(Setting.value).where(Setting.key == key))
    try:
        return int(raw) if raw not in (None, "") else default
    except ValueError:
        return default


def _put(s: Session, key: str, value: str) -> None:
    row = s.get(Setting, key)
    if row is None:
        s.add(Setting(key=key, value=value))
    else:
        row.value = value
    s.flush()
