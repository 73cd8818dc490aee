"""`audit` subcommand: check the log's hash chain, export it for an inspector, purge past retention.

    python main.py audit verify            # exit 0, or 1 naming the first broken entry
    python main.py audit export 审计日志.xlsx
    python main.py audit purge --yes       # entries older than 3 years (the purge is recorded)
"""
from __future__ import annotations

import sys

from db import audit
from db.audit_export import export_audit_log
from db.cli.common import db_arg, services
from db.errors import LedgerError


def register(sub) -> None:
    p = sub.add_parser("audit", help="审计日志：校验哈希链、导出、清理保留期以前的记录")
    asub = p.add_subparsers(dest="audit_command", required=True, metavar="操作")
    q = asub.add_parser("verify", help="校验审计日志没有被改动（哈希链）")
    q.set_defaults(func=cmd_verify)
    q = asub.add_parser("export", help="导出审计日志（xlsx，证件号已脱敏）")
    q.add_argument("out", metavar="OUT.xlsx")
    q.set_defaults(func=cmd_export)
    q = asub.add_parser("purge", help=f"清理 {audit.RETENTION_YEARS} 年以前的审计记录（清理本身会被记录）")
    q.add_argument("--years", type=int, default=audit.RETENTION_YEARS, help=f"保留年数（不少于 {audit.RETENTION_YEARS}）")
    q.add_argument("--yes", action="store_true", help="确认清理")
    q.set_defaults(func=cmd_purge)
    for q in asub.choices.values():
        db_arg(q)


def cmd_verify(args) -> int:
    with services(args) as sv, sv.ctx.read() as s:
        report = audit.verify_chain(s)
    print(report.text(), file=sys.stdout if report.ok else sys.stderr)
    return 0 if report.ok else 1


def cmd_export(args) -> int:
    if not args.out.lower().endswith(".xlsx"):
        raise LedgerError(f"输出文件“{args.out}”应以 .xlsx 结尾")
    with services(args) as sv:
        n = export_audit_log(sv.ctx, args.out)
    print(f"已导出审计日志 {n} 条：{args.out}")
    return 0


def cmd_purge(args) -> int:
    if not args.yes:
        raise LedgerError("清理会永久删除保留期以前的审计记录：请加 --yes 确认")
    with services(args) as sv:
        n = audit.purge(sv.ctx, years=args.years)
    print(f"已清理 {n} 条 {args.years} 年以前的审计记录" if n else f"没有 {args.years} 年以前的审计记录")
    return 0
