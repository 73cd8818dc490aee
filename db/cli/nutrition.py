"""`nutrition` subcommands (营养改善计划, pilot schools only).

    python main.py nutrition report --term 2021春 [--json]
    python main.py nutrition pupils --term 2021春 [--json]
"""
from __future__ import annotations

import dataclasses
import json
import sys

from db.cli.common import db_arg, services
from db.money import format_yuan
from db.nutrition.rules import month_label
from db.terms import parse_term


def register(sub) -> None:
    p = sub.add_parser("nutrition", help="营养改善计划（试点学校）：每月资金、实名名单")
    nu = p.add_subparsers(dest="nutrition_command", required=True, metavar="操作")
    q = nu.add_parser("report", help="本学期各月供餐天数、受益人数、资金及合计")
    q.set_defaults(func=cmd_report)
    q = nu.add_parser("pupils", help="本学期实名制受益学生名单")
    q.set_defaults(func=cmd_pupils)
    for q in nu.choices.values():
        q.add_argument("--term", required=True, metavar="学期", help="如 2021春、2020秋")
        q.add_argument("--json", action="store_true", help="输出 JSON（金额为分）")
        db_arg(q)


def cmd_report(args) -> int:
    parse_term(args.term)
    with services(args) as sv:
        rep = sv.nutrition.report(args.term)
    if args.json:
        json.dump(dataclasses.asdict(rep), sys.stdout, ensure_ascii=False, indent=1)
        print()
        return 0
    print(f"{rep.term} 营养改善计划：{rep.meal_model}，{format_yuan(rep.daily_fen)} 元/生·天，"
          f"名单在册 {rep.pupils} 人，陪餐记录 {rep.meals_logged} 次")
    for m in rep.months:
        print(f"  {month_label(m.month)}\t{m.meal_days} 天 × {m.pupils} 人 × {format_yuan(m.daily_fen)} 元"
              f"\t= {format_yuan(m.funds_fen)} 元")
    print(f"合计 {format_yuan(rep.total_fen)} 元（膳食补助，不发放现金）")
    return 0


def cmd_pupils(args) -> int:
    parse_term(args.term)
    with services(args) as sv:
        rows = sv.nutrition.pupils(args.term)
    if args.json:
        json.dump([dataclasses.asdict(r) for r in rows], sys.stdout, ensure_ascii=False, indent=1)
        print()
        return 0
    for r in rows:
        print(f"{r.grade}{r.class_name}\t{r.name}\t{r.from_month} 至 {r.to_month or '学期末'}\t{r.note}")
    print(f"共 {len(rows)} 人", file=sys.stderr)
    return 0
