"""`assistance` subcommands (个性化帮扶).

    python main.py assistance list [--year 2020] [--kind 结对帮扶] [--json]
    python main.py assistance report [--year 2020] [--json]
"""
from __future__ import annotations

import dataclasses
import sys

from db.assistance.dto import KINDS
from db.cli.common import db_arg, print_json, services
from db.money import format_yuan


def register(sub) -> None:
    p = sub.add_parser("assistance", help="个性化帮扶：结对帮扶、社会捐助、临时救助……及未帮扶的特别困难学生")
    a = p.add_subparsers(dest="assistance_command", required=True, metavar="操作")
    q = a.add_parser("list", help="列出帮扶记录")
    q.add_argument("--kind", default="", choices=("", *KINDS), metavar="方式", help="、".join(KINDS))
    q.set_defaults(func=cmd_list)
    q = a.add_parser("report", help="按方式汇总，并列出没有任何帮扶的特别困难建档立卡学生")
    q.set_defaults(func=cmd_report)
    for q in a.choices.values():
        q.add_argument("--year", type=int, default=None, metavar="学年", help="学年起始年份，如 2020（默认本学年）")
        q.add_argument("--json", action="store_true", help="输出 JSON（金额为分）")
        db_arg(q)


def cmd_list(args) -> int:
    with services(args) as sv:
        year = args.year if args.year is not None else sv.assistance.report().school_year
        rows = sv.assistance.items(school_year=year, kind=args.kind)
    if args.json:
        print_json([dataclasses.asdict(r) for r in rows])
        return 0
    for r in rows:
        money = f"{format_yuan(r.amount_fen)} 元" if r.amount_fen else ""
        until = f" 至 {r.until}" if r.until else ""
        print(f"{r.given_on}{until}\t{r.name}\t{r.grade}\t{r.kind}\t{r.who}\t{money}\t{r.note}")
    print(f"共 {len(rows)} 项", file=sys.stderr)
    return 0


def cmd_report(args) -> int:
    with services(args) as sv:
        rep = sv.assistance.report(args.year)
    if args.json:
        print_json(dataclasses.asdict(rep))
        return 0
    print(f"{rep.school_year}-{rep.school_year + 1}学年个性化帮扶：{rep.items} 项，{rep.children} 名学生；"
          + "，".join(f"{k} {v}" for k, v in rep.by_kind.items()))
    print(f"金额合计 {format_yuan(rep.money_fen)} 元（不属于国家资助资金，不计入资助发放）"
          + "".join(f"；{k} {format_yuan(v)} 元" for k, v in rep.money_by_kind.items()))
    print(f"没有任何帮扶的特别困难建档立卡学生：{len(rep.without)} 人")
    for c in rep.without:
        print(f"  {c.name}\t{c.grade}\t{c.village}\t户主 {c.head_name}")
    return 0
