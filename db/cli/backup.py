"""`backup` subcommand: the automatic backups, a backup to a folder (USB stick), restore, verify.

    python main.py backup list [--json]
    python main.py backup create [--to DIR]
    python main.py backup verify FILE [--recovery-key]
    python main.py backup restore FILE [--yes] [--recovery-key]

An encrypted ledger's backups are encrypted: verifying or restoring one needs a login to the ledger
(`--user`), or its recovery key (`--recovery-key`: ZHUXUE_RECOVERY_KEY or a prompt) — the way to
restore a backup into a fresh data folder on another computer.
"""
from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

from db import audit
from db import backup as backups
from db.access.keys import data_key_from_recovery
from db.access.login import needs_login
from db.access.roles import Perm, require
from db.cli.common import OPEN_ELSEWHERE, actor_context, ask_secret, db_arg, db_path, locked, opened
from db.context import CLI_ACTOR, Actor, ServiceContext
from db.engine import open_database
from db.errors import LedgerError
from db.money import format_yuan
from db.restore import restore


def register(sub) -> None:
    p = sub.add_parser("backup", help="备份：列出、立即备份（可到U盘）、校验、恢复")
    bsub = p.add_subparsers(dest="backup_command", required=True, metavar="操作")
    q = bsub.add_parser("list", help="列出自动备份（新的在前）")
    q.add_argument("--json", action="store_true", help="输出 JSON：path、time、size、verified")
    q.set_defaults(func=cmd_list)
    q = bsub.add_parser("create", help="立即备份（默认到数据库旁的 backups 文件夹）")
    q.add_argument("--to", metavar="DIR", help="备份到这个文件夹（U盘或其他位置），写完后校验")
    q.set_defaults(func=cmd_create)
    q = bsub.add_parser("verify", help="校验一个备份文件（完整性、版本、人数和金额）")
    q.add_argument("file", metavar="FILE")
    q.add_argument("--recovery-key", action="store_true", help=RECOVERY_HELP)
    q.set_defaults(func=cmd_verify)
    q = bsub.add_parser("restore", help="用备份替换当前数据库（先自动备份当前数据）")
    q.add_argument("file", metavar="FILE")
    q.add_argument("--yes", action="store_true", help="不再询问，直接恢复")
    q.add_argument("--recovery-key", action="store_true", help=RECOVERY_HELP)
    q.set_defaults(func=cmd_restore)
    for q in bsub.choices.values():
        db_arg(q)


RECOVERY_HELP = "加密的备份：用恢复密钥打开（取自环境变量 ZHUXUE_RECOVERY_KEY 或提示输入），不需要登录"


def recovery_key(args) -> bytes:
    import os  # noqa: PLC0415 - start-up: loaded only when used
    text = os.environ.get("ZHUXUE_RECOVERY_KEY") or ask_secret("恢复密钥：")
    return data_key_from_recovery(text)


def key_and_actor(args, file: Path | None = None) -> tuple[bytes | None, Actor]:
    """The data key to read encrypted backups with, and who acts: the recovery key's holder, the
    logged-in user of an encrypted ledger, or the CLI (plain ledger and plain backup)."""
    if getattr(args, "recovery_key", False):
        return recovery_key(args), Actor("恢复密钥")
    if needs_login(db_path(args)):
        with opened(args) as (db, _lock):
            return db.key, args.actor
    if file is not None and not backups.is_plain(file) and file.exists():
        raise LedgerError(f"“{file.name}”是加密的备份：请加 --recovery-key，用恢复密钥打开")
    return None, CLI_ACTOR


def size_text(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB" if n >= 1024 * 1024 else f"{max(n // 1024, 1)} KB"


def facts_text(f: backups.Facts) -> str:
    return f"学生 {f.students} 名，发放明细 {f.lines} 条，金额合计 {format_yuan(f.money_fen)} 元"


def cmd_list(args) -> int:
    items = backups.list_backups(db_path(args))
    if args.json:
        json.dump([b.as_json() for b in items], sys.stdout, ensure_ascii=False, indent=1)
        print()
        return 0
    for b in items:
        print(f"{b.time:%Y-%m-%d %H:%M:%S}\t{size_text(b.size)}\t{'已校验' if b.verified else '未校验'}\t"
              f"{b.reason}\t{b.path}")
    last = backups.last_external(db_path(args))
    print(f"共 {len(items)} 个自动备份；最近一次备份到U盘/其他位置："
          f"{f'{last:%Y-%m-%d %H:%M}' if last else '从未'}", file=sys.stderr)
    return 0


def cmd_create(args) -> int:
    with opened(args) as (db, lock):
        require(args.actor, Perm.BACKUP)
        if args.to:
            info = backups.backup_to(db.path, Path(args.to).expanduser(), key=db.key)
        else:
            info = backups.backup_info(db.path, "manual", key=db.key)
            backups.thin_folder(db.path, dt.date.today())
        if lock is not None:
            audit.log_event(actor_context(args, db), "backup", "database",
                            summary=f"备份到 {info.path}（{size_text(info.size)}）")
    print(f"已备份并校验：{info.path}（{size_text(info.size)}，{info.time:%Y-%m-%d %H:%M:%S}；{facts_text(info.facts)}）")
    return 0


def cmd_verify(args) -> int:
    path = Path(args.file).expanduser()
    key, _actor = key_and_actor(args, path) if not backups.is_plain(path) else (None, None)
    facts = backups.verify(path, key=key)
    print(f"备份完好：{path}（版本 {facts.schema}；{facts_text(facts)}）")
    return 0


def cmd_restore(args) -> int:
    source = Path(args.file).expanduser().resolve()
    key, actor = key_and_actor(args, source)
    require(actor, Perm.RESTORE)
    facts = backups.verify(source, key=key)
    with locked(args) as (path, lock):
        if lock is None:
            raise LedgerError(OPEN_ELSEWHERE.replace("只能查询，不能修改", "不能恢复"))
        if source == path:
            raise LedgerError("不能用数据库自己恢复自己")
        print(f"将用备份 {source} 替换 {path}：{facts_text(facts)}", file=sys.stderr)
        if not args.yes and not _confirm():
            print("已取消，没有任何改动", file=sys.stderr)
            return 2
        result = restore(path, source, key=key)
        db = open_database(path, key=key)
        try:
            audit.log_event(ServiceContext(db.session_factory, actor), "restore", "database",
                            summary=f"从备份 {source.name} 恢复" + (f"；恢复前的数据已备份到 {result.saved_current.name}"
                                                                  if result.saved_current else ""))
        finally:
            db.dispose()
    print(f"已恢复：{facts_text(facts)}")
    if result.saved_current:
        print(f"恢复前的数据已备份到：{result.saved_current}")
    if result.damaged_copy:
        print(f"损坏的数据库已保存到：{result.damaged_copy}")
    if key is not None and not needs_login(path):
        print("数据库是加密的，这个文件夹还没有密钥文件：请用 main.py user recover 管理员名 设置新密码后登录")
    return 0


def _confirm() -> bool:
    if not sys.stdin or not sys.stdin.isatty():
        raise LedgerError("恢复会替换当前数据库：请加 --yes 确认")
    return input("确定要恢复吗？输入 y 确认：").strip().lower() in ("y", "yes", "是")
