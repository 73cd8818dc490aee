"""`employment` subcommands (中职毕业生就业).

    python main.py employment list [--year 2020] [--json]
    python main.py employment report [--year 2020] [--json]
"""
from __future__ import annotations

import dataclasses
import sys

from db.cli.common import db_arg, print_json, services


def register(sub) -> None:
    p = sub.add_parser("employment", help="中职毕业生就业：登记、就业率、未就业名单")
    em = p.add_subparsers(dest="employment_command", required=True, metavar="操作")
    q = em.add_parser("list", help="列出建档立卡中职毕业生及去向")
    q.set_defaults(func=cmd_list)
    q = em.add_parser("report", help="有就业意向者的就业率，及未就业、缺少就业证明的名单")
    q.set_defaults(func=cmd_report)
    for q in em.choices.values():
        q.add_argument("--year", type=int, default=None, metavar="年份", help="毕业年份，如 2020（默认全部）")
        q.add_argument("--json", action="store_true", help="输出 JSON")
        db_arg(q)


def cmd_list(args) -> int:
    with services(args) as sv:
        rows = sv.employment.graduates(args.year)
    if args.json:
        print_json([dataclasses.asdict(r) for r in rows])
        return 0
    for r in rows:
        where = f"{r.employer} {r.place} {r.job}" if r.employer else (r.reason or "")
        print(f"{r.grad_year}\t{r.name}\t{r.major}\t意向：{r.intention}\t{r.status}\t{where}")
    print(f"共 {len(rows)} 人", file=sys.stderr)
    return 0


def cmd_report(args) -> int:
    with services(args) as sv:
        rep = sv.employment.report(args.year)
    if args.json:
        out = dataclasses.asdict(rep)
        out["rate"] = rep.rate_text
        print_json(out)
        return 0
    scope = f"{rep.year} 届" if rep.year else "全部"
    print(f"{scope}建档立卡中职毕业生 {rep.graduates} 人；意向："
          + "，".join(f"{k} {v}" for k, v in rep.by_intention.items()))
    print("去向：" + ("，".join(f"{k} {v}" for k, v in rep.by_status.items()) or "无"))
    print(f"有就业意向的已就业：{rep.rate_text}")
    for r in rep.without_job:
        print(f"  未就业\t{r.name}\t{r.major}\t{r.reason}\t下一步：{r.next_action}")
    for r in rep.no_proof:
        print(f"  缺少就业证明\t{r.name}\t{r.employer}")
    return 0
