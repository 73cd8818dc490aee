"""`user` subcommand: users, roles, passwords and the recovery key (issue 14).

    python main.py user add NAME --role 管理员 [--recovery-pdf FILE]   # the first user: encrypts the database
    python main.py user add NAME --role 班主任 --classes 七年级3班      # later users (an administrator logs in)
    python main.py user list [--json]
    python main.py user passwd [NAME]          # one's own password, or an administrator's reset of NAME's
    python main.py user disable NAME | enable NAME
    python main.py user role NAME ROLE [--classes …]
    python main.py user recover NAME           # the recovery key gives administrator NAME a new password
    python main.py user settings [--min-length N] [--idle-minutes M]

The acting user logs in with --user NAME (or ZHUXUE_USER) and ZHUXUE_PASSWORD (or a prompt). A new
password comes from ZHUXUE_NEW_PASSWORD or is typed twice at a prompt; the recovery key from
ZHUXUE_RECOVERY_KEY or a prompt. The first administrator's password may also come from ZHUXUE_PASSWORD.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import sys
from pathlib import Path

from db.access import login
from db.access.dto import AccessSettings
from db.access.pdf import RecoveryPage, write_recovery_page
from db.access.roles import ROLE_HELP, Role, parse_role
from db.cli.common import ask_secret, db_arg, locked, services
from db.clock import local_text
from db.engine import open_database
from db.errors import LedgerError


def register(sub) -> None:
    p = sub.add_parser("user", help="用户：新建（第一个管理员会给数据库加密）、列出、改密码、停用、角色、恢复密钥")
    usub = p.add_subparsers(dest="user_command", required=True, metavar="操作")
    roles = "；".join(f"{r.value}：{ROLE_HELP[r]}" for r in Role)
    q = usub.add_parser("add", help="新建用户（第一个用户必须是管理员，创建后数据库即加密）")
    q.add_argument("name", metavar="NAME")
    q.add_argument("--role", required=True, help=f"角色（{roles}）")
    q.add_argument("--classes", default="", help="班主任/录入员所管的班级，如 七年级3班、八年级1班")
    q.add_argument("--recovery-pdf", metavar="FILE", help="第一个管理员：把恢复密钥页写成 PDF（打印后请删除该文件）")
    q.set_defaults(func=cmd_add)
    q = usub.add_parser("list", help="列出用户")
    q.add_argument("--json", action="store_true")
    q.set_defaults(func=cmd_list)
    q = usub.add_parser("passwd", help="修改自己的密码，或（管理员）重设别人的密码")
    q.add_argument("name", metavar="NAME", nargs="?")
    q.set_defaults(func=cmd_passwd)
    for word, active in (("disable", False), ("enable", True)):
        q = usub.add_parser(word, help="停用用户（其密码不再能打开数据库）" if not active else "重新启用用户（需设新密码）")
        q.add_argument("name", metavar="NAME")
        q.set_defaults(func=cmd_active, active=active)
    q = usub.add_parser("role", help="改变用户的角色")
    q.add_argument("name", metavar="NAME")
    q.add_argument("role", metavar="ROLE")
    q.add_argument("--classes", default="")
    q.set_defaults(func=cmd_role)
    q = usub.add_parser("recover", help="用恢复密钥为管理员设置新密码（忘记密码，或在新电脑上恢复备份后）")
    q.add_argument("name", metavar="NAME")
    q.set_defaults(func=cmd_recover)
    q = usub.add_parser("settings", help="查看或修改密码最短长度和自动锁屏时间")
    q.add_argument("--min-length", type=int)
    q.add_argument("--idle-minutes", type=int)
    q.set_defaults(func=cmd_settings)
    for q in usub.choices.values():
        db_arg(q)


def new_password(first: bool = False) -> str:
    env = os.environ.get("ZHUXUE_NEW_PASSWORD") or (os.environ.get("ZHUXUE_PASSWORD") if first else None)
    if env is not None:
        return env
    a = ask_secret("新密码：")
    if ask_secret("再输入一次新密码：") != a:
        raise LedgerError("两次输入的密码不一样，没有任何改动")
    return a


def cmd_add(args) -> int:
    with locked(args) as (path, lock):
        first = not login.needs_login(path) and not _has_users(path)
    if first:
        return _first_admin(args)
    with services(args) as sv:
        row = sv.access.add_user(args.name, args.role, new_password(), args.classes)
    print(f"已新建用户 {row.name}（{row.role}{'，' + row.classes if row.classes else ''}）")
    return 0


def _has_users(path: Path) -> bool:
    if not path.exists():
        return False
    db = open_database(path)
    try:
        from db.context import ServiceContext  # noqa: PLC0415 - start-up: loaded only when used
        from db.services import Services  # noqa: PLC0415 - start-up: loaded only when used
        return Services.build(ServiceContext(db.session_factory)).access.has_users()
    finally:
        db.dispose()


def _first_admin(args) -> int:
    if parse_role(args.role) is not Role.ADMIN:
        raise LedgerError("第一个用户必须是管理员（--role 管理员）：它管理其他用户，创建时数据库即加密")
    with locked(args) as (path, lock):
        if lock is None:
            raise LedgerError("该数据库已在助学台账窗口中打开：请在窗口中创建管理员，或先关闭窗口")
        if not path.exists():
            open_database(path).dispose()
        setup = login.first_admin(path, args.name, new_password(first=True))
    print(f"已创建管理员 {args.name.strip()}，数据库已加密（加密前的备份已校验并加密：{setup.backup.name}）")
    print("恢复密钥（忘记密码或换电脑时唯一的办法，请抄下或打印后交校长放入保险柜）：", file=sys.stderr)
    print(setup.recovery_key)
    if args.recovery_pdf:
        out = Path(args.recovery_pdf).expanduser()
        write_recovery_page(RecoveryPage(_school(path, setup.key), setup.recovery_key, args.name.strip(),
                                         str(path), dt.date.today()), out)
        print(f"恢复密钥页：{out}（打印后请删除这个文件）", file=sys.stderr)
    return 0


def _school(path: Path, key: bytes) -> str:
    db = open_database(path, key=key)
    try:
        from db.context import ServiceContext  # noqa: PLC0415 - start-up: loaded only when used
        from db.registry.school import SchoolService  # noqa: PLC0415 - start-up: loaded only when used
        return SchoolService(ServiceContext(db.session_factory)).info().name
    finally:
        db.dispose()


def cmd_list(args) -> int:
    with services(args) as sv:
        rows = sv.access.users()
    if args.json:
        json.dump([{"name": r.name, "role": r.role, "classes": r.classes, "active": r.active,
                    "last_login": local_text(r.last_login_at, "%Y-%m-%d %H:%M:%S"),
                    "locked": r.locked_until is not None} for r in rows], sys.stdout, ensure_ascii=False, indent=1)
        print()
        return 0
    for r in rows:
        state = "在用" if r.active else "已停用"
        if r.locked_until:
            state += "（已锁定）"
        print(f"{r.name}\t{r.role}\t{r.classes or '—'}\t{state}\t最近登录 {local_text(r.last_login_at) or '从未'}")
    return 0


def cmd_passwd(args) -> int:
    with services(args) as sv:
        me = sv.ctx.actor.name
        name = args.name or me
        own = name.strip().lower() == me.lower()
        sv.access.set_password(name, new_password(), old_password=getattr(args, "login_password", None) if own else None)
    print(f"已修改 {name} 的密码")
    return 0


def cmd_active(args) -> int:
    with services(args) as sv:
        if args.active:
            sv.access.set_active(args.name, True)
            sv.access.set_password(args.name, new_password())
        else:
            sv.access.set_active(args.name, False)
    print(f"已{'启用' if args.active else '停用'}用户 {args.name}")
    return 0


def cmd_role(args) -> int:
    with services(args) as sv:
        row = sv.access.set_role(args.name, args.role, args.classes)
    print(f"用户 {row.name} 的角色：{row.role}{'（' + row.classes + '）' if row.classes else ''}")
    return 0


def cmd_recover(args) -> int:
    text = os.environ.get("ZHUXUE_RECOVERY_KEY") or ask_secret("恢复密钥：")
    with locked(args) as (path, lock):
        if lock is None:
            raise LedgerError("该数据库已在助学台账窗口中打开，请先关闭窗口")
        login.recover(path, text, args.name, new_password())
    print(f"已用恢复密钥为管理员 {args.name} 设置新密码")
    return 0


def cmd_settings(args) -> int:
    with services(args) as sv:
        now = sv.access.settings()
        if args.min_length is not None or args.idle_minutes is not None:
            now = sv.access.save_settings(AccessSettings(
                args.min_length if args.min_length is not None else now.min_password_length,
                args.idle_minutes if args.idle_minutes is not None else now.idle_minutes))
    print(f"密码至少 {now.min_password_length} 位；"
          + (f"{now.idle_minutes} 分钟无操作自动锁屏" if now.idle_minutes else "不自动锁屏"))
    return 0
