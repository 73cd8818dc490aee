"""Roles and what each may do (pure rules, no session).

| role | may |
|---|---|
| 管理员 | everything: every ledger, users, settings, backups and restore, full numbers on request |
| 资助专干 | every ledger, imports and exports (full numbers too), backups, full numbers on request |
| 班主任 / 录入员 | enter and edit students and visits of their own classes; numbers masked; no deletes, |
|  | no exports of full numbers |
| 校长 / 查阅 | read everything, reports and prints; no changes, no full numbers |

An actor without a role (`Actor.role == ""`) is the actor of a database that has no users yet (made by
`demo` or a test, or the system's own work such as backups): such a database is open, so it may do
everything. Once a database has users, the GUI and the CLI act only as a logged-in user.

The services enforce these rules (db.access.guard, `require` at the entry of sensitive actions); the
window hides what a role cannot use (desktop.access) — hiding is for clarity, not the protection.
"""
from __future__ import annotations

from enum import StrEnum

from db.errors import LedgerError


class Role(StrEnum):
    ADMIN = "管理员"
    OFFICER = "资助专干"
    CLERK = "班主任"          # also 录入员: the same rights
    VIEWER = "校长"           # also 查阅


ROLE_ALIASES = {"录入员": Role.CLERK, "查阅": Role.VIEWER, "admin": Role.ADMIN, "officer": Role.OFFICER,
                "clerk": Role.CLERK, "viewer": Role.VIEWER}


class Perm(StrEnum):
    WRITE = "write"                      # change any ledger
    WRITE_OWN_CLASSES = "write_own"      # change students and visits of one's own classes only
    DELETE = "delete"
    IMPORT = "import"
    EXPORT = "export"                    # masked lists and reports
    EXPORT_FULL = "export_full"          # files with full ID/card/phone numbers (报送工作簿, 银行代发清单)
    PRINT = "print"
    FULL_NUMBERS = "full_numbers"        # show a full number in the form (audited)
    BACKUP = "backup"
    RESTORE = "restore"
    USERS = "users"
    SETTINGS = "settings"


_ALL = frozenset(Perm)
PERMISSIONS: dict[Role, frozenset[Perm]] = {
    Role.ADMIN: _ALL,
    Role.OFFICER: _ALL - {Perm.USERS, Perm.RESTORE, Perm.WRITE_OWN_CLASSES},
    Role.CLERK: frozenset({Perm.WRITE_OWN_CLASSES, Perm.EXPORT, Perm.PRINT}),
    Role.VIEWER: frozenset({Perm.EXPORT, Perm.PRINT}),
}

WHAT = {Perm.WRITE: "修改台账", Perm.WRITE_OWN_CLASSES: "录入学生", Perm.DELETE: "删除记录", Perm.IMPORT: "导入名单",
        Perm.EXPORT: "导出", Perm.EXPORT_FULL: "导出含完整证件号、卡号的文件", Perm.PRINT: "打印",
        Perm.FULL_NUMBERS: "查看完整的身份证号、银行卡号和电话", Perm.BACKUP: "备份", Perm.RESTORE: "从备份恢复",
        Perm.USERS: "管理用户", Perm.SETTINGS: "修改设置"}

ROLE_HELP = {Role.ADMIN: "全部功能，管理用户、设置和恢复备份",
             Role.OFFICER: "全部台账，导入导出（含完整号码），备份",
             Role.CLERK: "录入和修改本班学生及走访；号码只显示部分；不能删除，不能导出完整号码",
             Role.VIEWER: "只读：查阅、报表和打印；号码只显示部分"}


class PermissionDenied(LedgerError):
    pass


def parse_role(text: str) -> Role:
    text = (text or "").strip()
    try:
        return Role(text)
    except ValueError:
        pass
    if text in ROLE_ALIASES:
        return ROLE_ALIASES[text]
    raise LedgerError(f"没有“{text}”这个角色；可用的角色：{'、'.join(r.value for r in Role)}"
                      "（录入员 同 班主任，查阅 同 校长）")


def allowed(role: str, perm: Perm) -> bool:
    """Whether an actor of `role` may do `perm` ("" = a database without users: everything)."""
    if not role:
        return True
    try:
        return perm in PERMISSIONS[Role(role)]
    except ValueError:
        return False                     # an unknown role may do nothing


def can_write(role: str) -> bool:
    return allowed(role, Perm.WRITE) or allowed(role, Perm.WRITE_OWN_CLASSES)


def require(actor, perm: Perm) -> None:
    """Raise PermissionDenied (Chinese) unless `actor` (a db.context.Actor) may do `perm`."""
    if not allowed(actor.role, perm):
        raise PermissionDenied(f"当前用户“{actor.name}”（{actor.role}）没有权限{WHAT[perm]}；请用有权限的账号登录")


def parse_classes(text: str) -> frozenset[tuple[str, str]]:
    """A 班主任's classes as typed: "七年级3班、八年级1班" → {("七年级", "3班"), ("八年级", "1班")}.
    Separators: 、，, ; ；and spaces. A grade alone ("七年级") means every class of it: ("七年级", "")."""
    out = set()
    for part in (p.strip() for p in _split(text)):
        if not part:
            continue
        cut = part.find("年级")
        if cut < 0:
            raise LedgerError(f"班级“{part}”请写成 年级+班级，如 七年级3班")
        out.add((part[:cut + 2], part[cut + 2:].strip()))
    return frozenset(out)


def classes_text(classes: frozenset[tuple[str, str]] | set) -> str:
    return "、".join(f"{g}{c}" for g, c in sorted(classes))


def in_classes(grade: str | None, class_name: str | None, classes: frozenset[tuple[str, str]]) -> bool:
    return (grade or "", class_name or "") in classes or (grade or "", "") in classes


def _split(text: str) -> list[str]:
    for sep in "，,;；、":
        text = (text or "").replace(sep, " ")
    return text.split()


def check_write(actor, *, immediate: bool = False, audit_only: bool = False) -> bool:
    """Before a write transaction: raise PermissionDenied, or return True when its flushes must be
    checked (a role limited to its own classes)."""
    if audit_only or not actor.role:
        return False
    if not can_write(actor.role):
        raise PermissionDenied(f"当前用户“{actor.name}”（{actor.role}）只能查阅，不能修改台账")
    if allowed(actor.role, Perm.WRITE):
        return False
    if immediate:
        raise PermissionDenied(f"当前用户“{actor.name}”（{actor.role}）只能录入本班学生和走访，不能成批导入或生成")
    return True
