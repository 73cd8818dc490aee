"""`survey` subcommands: the households of a round (线上学习排查) and the report in the seed's form.

    python main.py survey list [--round NAME] [--status 待整改] [--json]
    python main.py survey report [--round NAME] [--json]
    python main.py survey rounds
"""
from __future__ import annotations

import dataclasses
import sys

from db.cli.common import db_arg, print_json, services
from db.survey import rules


def register(sub) -> None:
    p = sub.add_parser("survey", help="线上学习排查：各户一看二问三查、问题整改、汇总")
    sv = p.add_subparsers(dest="survey_command", required=True, metavar="操作")
    q = sv.add_parser("list", help="列出一轮排查的建档立卡家庭及状态")
    q.add_argument("--status", default="", choices=("", rules.NOT_CHECKED, rules.PASSED, rules.FAILING, rules.FIXED),
                   metavar="状态", help="未排查 / 达标 / 待整改 / 已整改")
    q.set_defaults(func=cmd_list)
    q = sv.add_parser("report", help="汇总：排查户数、达标、问题及解决（电视机/手机/天线/网络电视/流量）")
    q.set_defaults(func=cmd_report)
    q = sv.add_parser("rounds", help="列出排查轮次")
    q.set_defaults(func=cmd_rounds)
    for name, q in sv.choices.items():
        if name != "rounds":
            q.add_argument("--round", default="", metavar="轮次", help="轮次名称（默认最近一轮）")
        q.add_argument("--json", action="store_true", help="输出 JSON")
        db_arg(q)


def cmd_list(args) -> int:
    with services(args) as sv:
        rows = sv.survey.households(args.round or None, args.status)
    if args.json:
        print_json([dataclasses.asdict(r) for r in rows])
        return 0
    for r in rows:
        when = f"{r.check_date:%Y-%m-%d}{'（暗访）' if r.unannounced else ''}" if r.check_date else ""
        print(f"{r.household_id}\t{r.head_name}\t{r.village}\t{r.children}\t{r.status}\t{when}\t"
              f"{r.devices}\t{r.problems}")
    print(f"共 {len(rows)} 户", file=sys.stderr)
    return 0


def cmd_report(args) -> int:
    with services(args) as sv:
        rep = sv.survey.report(args.round or None)
    if args.json:
        out = dataclasses.asdict(rep)
        out["failing_rows"] = [{"household_id": r.household_id, "head_name": r.head_name, "village": r.village,
                                "children": r.children, "problems": r.problems} for r in rep.failing_rows]
        print_json(out)
        return 0
    print(f"{rep.round}：应排查建档立卡家庭 {rep.population} 户，已排查 {rep.surveyed} 户（暗访 {rep.unannounced} 户），"
          f"未排查 {rep.not_surveyed} 户")
    print(f"达标（有可正常使用的智能手机或电视机）{rep.passed} 户，已整改 {rep.fixed} 户，待整改 {rep.failing} 户")
    print("发现问题：" + ("，".join(f"{k} {v} 个" for k, v in rep.problems.items()) or "无"))
    print(f"解决：{rep.fixes_text()}")
    print(f"未解决问题：{rep.open_problems} 个")
    if rep.no_household:
        print(f"注意：{rep.no_household} 名在校建档立卡学生未登记家庭，无法按户排查")
    for r in rep.failing_rows:
        print(f"  待整改\t{r.head_name}\t{r.village}\t{r.children}\t{r.problems or '未登记问题'}")
    return 0


def cmd_rounds(args) -> int:
    with services(args) as sv:
        rows = sv.survey.rounds()
    if args.json:
        print_json([dataclasses.asdict(r) for r in rows])
        return 0
    for r in rows:
        print(f"{r.name}\t{r.start_date}–{r.end_date or ''}\t已排查 {r.checked} 户")
    return 0
