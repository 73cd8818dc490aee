"""`dropout` subcommands (控辍保学): the case list, one case, opening a case, persuasion attempts, moves
(辍学 / 复学 / 销号), the follow-up after 复学, what is late and the monthly report.

    python main.py dropout list [--state 辍学] [--all] [--poor] [--overdue] [--json]
    python main.py dropout open --student 12 --state 疑似辍学 --last-day 2020-09-10 --reason 厌学/学习困难
    python main.py dropout attempt 3 --date 2020-10-13 --person 张老师/班主任/13912345678 --result 拒绝返校
    python main.py dropout move 3 --to 复学 --date 2020-10-30 --class 七年级4班
    python main.py dropout report --month 2020-10 [--json]
"""
from __future__ import annotations

import dataclasses
import sys

from db.cli.common import day_arg, db_arg, print_json, services
from db.dropout.dto import (
    ALL_OPEN,
    CLOSE_REASONS,
    COUNT_COLUMNS,
    LEVELS,
    METHODS,
    RESULTS,
    AttemptForm,
    CaseForm,
    CaseQuery,
    Move,
    Person,
)
from db.dropout.report import parse_month


def register(sub) -> None:
    p = sub.add_parser("dropout", help="控辍保学：个案、劝返记录、复学或销号、月报")
    d = p.add_subparsers(dest="dropout_command", required=True, metavar="操作")
    q = d.add_parser("list", help="个案列表（默认只列未结案的）")
    q.add_argument("--state", default="", metavar="状态", help="疑似辍学 / 辍学 / 劝返中 / 复学 / 销号")
    q.add_argument("--all", action="store_true", help="包括已复学、已销号的个案")
    q.add_argument("--poor", action="store_true", help="只列建档立卡学生")
    q.add_argument("--overdue", action="store_true", help="只列有逾期事项或应上报的个案")
    q.add_argument("--json", action="store_true", help="输出 JSON（证件号、电话已脱敏）")
    q.set_defaults(func=cmd_list)
    q = d.add_parser("show", help="一个个案的全部信息、状态变化和劝返记录")
    q.add_argument("case", type=int, metavar="个案编号")
    q.add_argument("--json", action="store_true")
    q.set_defaults(func=cmd_show)
    q = d.add_parser("open", help="建立个案：本校学生（--student）或推送名单上的孩子（--entry）")
    who = q.add_mutually_exclusive_group(required=True)
    who.add_argument("--student", type=int, metavar="学生编号")
    who.add_argument("--entry", type=int, metavar="名单记录编号", help="推送名单核对中“名单内但不在本校”的孩子")
    q.add_argument("--state", default="疑似辍学", choices=("疑似辍学", "辍学"))
    q.add_argument("--date", default="", metavar="YYYY-MM-DD", help="建档日期（默认今天）")
    q.add_argument("--last-day", default="", metavar="YYYY-MM-DD", help="最后到校日期")
    q.add_argument("--days", type=int, default=None, metavar="N", help="缺课天数（不知道最后到校日期时）")
    q.add_argument("--reason", default="", metavar="原因")
    q.add_argument("--guardian", default="", metavar="姓名")
    q.add_argument("--guardian-phone", default="", metavar="电话")
    q.add_argument("--head-teacher", default="", metavar="班主任")
    q.set_defaults(func=cmd_open)
    q = d.add_parser("attempt", help="登记一次劝返")
    q.add_argument("case", type=int, metavar="个案编号")
    q.add_argument("--date", required=True, metavar="YYYY-MM-DD")
    q.add_argument("--level", default=LEVELS[0], choices=LEVELS)
    q.add_argument("--method", default=METHODS[0], choices=METHODS)
    q.add_argument("--person", action="append", default=[], metavar="姓名/职务/电话", help="参加劝返的人（可重复）")
    q.add_argument("--result", required=True, choices=RESULTS)
    q.add_argument("--note", default="", metavar="情况")
    q.add_argument("--next-step", default="", metavar="下一步")
    q.add_argument("--next-date", default="", metavar="YYYY-MM-DD")
    q.add_argument("--deadline", default="", metavar="YYYY-MM-DD", help="限期复学日期（县教育局书面通知）")
    q.set_defaults(func=cmd_attempt)
    q = d.add_parser("move", help="变更状态：辍学、复学（--class）或销号（--reason 及证明材料）")
    q.add_argument("case", type=int, metavar="个案编号")
    q.add_argument("--to", required=True, choices=("辍学", "复学", "销号"))
    q.add_argument("--date", required=True, metavar="YYYY-MM-DD")
    q.add_argument("--note", default="")
    q.add_argument("--class", dest="return_class", default="", metavar="年级班级", help="复学后的年级班级")
    q.add_argument("--reason", dest="close_reason", default="", choices=("",) + CLOSE_REASONS, metavar="销号原因")
    q.add_argument("--school", dest="close_school", default="", metavar="学校", help="转入或就读的学校")
    q.add_argument("--location", dest="close_location", default="", metavar="就读地")
    q.add_argument("--evidence", dest="close_evidence", default="", metavar="证明材料")
    q.add_argument("--approved-by", default="", metavar="批准机关")
    q.add_argument("--approved-on", default="", metavar="YYYY-MM-DD")
    q.add_argument("--special-ref", default="", metavar="档案编号", help="特殊教育（一人一案）档案编号")
    q.set_defaults(func=cmd_move)
    q = d.add_parser("follow-up", help="复学一个月后的回访")
    q.add_argument("case", type=int, metavar="个案编号")
    q.add_argument("--date", required=True, metavar="YYYY-MM-DD")
    q.add_argument("--note", required=True, metavar="回访情况")
    q.set_defaults(func=cmd_follow_up)
    q = d.add_parser("overdue", help="逾期未办的下一步（劝返、上报、认定辍学、复学回访）")
    q.add_argument("--json", action="store_true")
    q.set_defaults(func=cmd_overdue)
    q = d.add_parser("report", help="控辍保学月报（按学段，含建档立卡人数）")
    q.add_argument("--month", required=True, metavar="YYYY-MM")
    q.add_argument("--json", action="store_true")
    q.set_defaults(func=cmd_report)
    for q in d.choices.values():
        db_arg(q)


def cmd_list(args) -> int:
    state = args.state or ("" if args.all else ALL_OPEN)
    with services(args) as sv:
        rows = sv.dropout.cases(CaseQuery(state=state, poor_only=args.poor, overdue_only=args.overdue))
    if args.json:
        print_json([dataclasses.asdict(r) for r in rows])
        return 0
    for r in rows:
        flags = "　".join(x for x in (r.poor, r.escalation, r.overdue) if x)
        print(f"{r.id}\t{r.name}\t{r.stage}{r.grade_class}\t{r.state}\t{r.reason}\t劝返 {r.attempts} 次\t{flags}")
    print(f"共 {len(rows)} 个个案", file=sys.stderr)
    return 0


def cmd_show(args) -> int:
    with services(args) as sv:
        c = sv.dropout.get_case(args.case)
    if args.json:
        print_json(dataclasses.asdict(c))
        return 0
    print(f"{c.name}（{c.gender}，{c.id_number}）{c.stage} {c.grade}{c.class_name}　{c.state}（{c.state_since}）"
          + ("　建档立卡" if c.registered_poor else "") + (f"　{c.escalation}" if c.escalation else ""))
    for t in c.transitions:
        print(f"  {t.on}\t{t.from_state or '建档'} → {t.to_state}\t{t.by}\t{t.note}")
    for a in c.attempts:
        print(f"  第 {a.seq} 次\t{a.on}\t{a.level}\t{a.method}\t{a.people}\t{a.result}\t{a.next_step}")
    return 0


def cmd_open(args) -> int:
    form = CaseForm(student_id=args.student, county_entry_id=args.entry, state=args.state,
                    opened_on=day_arg(args.date, "opened_on", "建档日期"),
                    last_at_school=day_arg(args.last_day, "last_at_school", "最后到校日期"), absent_days=args.days,
                    reason=args.reason, guardian_name=args.guardian, guardian_phone=args.guardian_phone,
                    head_teacher=args.head_teacher)
    with services(args) as sv:
        c = sv.dropout.open_case(form)
    print(f"已建立个案 {c.id}：{c.name}（{c.state}）")
    return 0


def cmd_attempt(args) -> int:
    people = [Person(*(p.split("/") + ["", ""])[:3]) for p in args.person]
    form = AttemptForm(args.case, day_arg(args.date, "on", "劝返日期"), args.level, args.method, people, args.result,
                       args.note, args.next_step, day_arg(args.next_date, "next_date", "下一步日期"),
                       day_arg(args.deadline, "deadline", "限期复学日期"))
    with services(args) as sv:
        c = sv.dropout.record_attempt(form)
    print(f"已登记第 {len(c.attempts)} 次劝返：{c.name}（{c.state}）" + (f"，{c.escalation}" if c.escalation else ""))
    return 0


def cmd_move(args) -> int:
    m = Move(args.to, day_arg(args.date, "on", "日期"), args.note, args.return_class, args.close_reason, args.close_school,
             args.close_location, args.close_evidence, args.approved_by,
             day_arg(args.approved_on, "approved_on", "批准日期"), args.special_ref)
    with services(args) as sv:
        c = sv.dropout.move(args.case, m)
    print(f"个案 {c.id}（{c.name}）已改为：{c.state}")
    return 0


def cmd_follow_up(args) -> int:
    with services(args) as sv:
        c = sv.dropout.record_follow_up(args.case, day_arg(args.date, "on", "回访日期"), args.note)
    print(f"已记录 {c.name} 的复学回访（{c.follow_up_on}）")
    return 0


def cmd_overdue(args) -> int:
    with services(args) as sv:
        items = sv.dropout.overdue()
    if args.json:
        print_json([dataclasses.asdict(x) for x in items])
        return 0
    for x in items:
        print(f"{x.case_id}\t{x.name}\t{x.kind}\t{x.due}（逾期 {x.days_late} 天）\t{x.text}")
    print(f"共 {len(items)} 项", file=sys.stderr)
    return 0


def cmd_report(args) -> int:
    month = parse_month(args.month)            # a bad month fails before the database opens
    with services(args) as sv:
        r = sv.dropout.month_report(month)
    if args.json:
        counts = lambda row: {k: {"total": row.get(k)[0], "registered_poor": row.get(k)[1]} for k, _t in COUNT_COLUMNS}
        print_json({"month": f"{month:%Y-%m}", "by_stage": [{"stage": row.stage, **counts(row)} for row in r.rows],
               "total": counts(r.total),
               "closed_by_reason": [{"reason": x, "total": n, "registered_poor": p} for x, n, p in r.closed_by_reason],
               "cases": [dataclasses.asdict(c) for c in r.cases]})
        return 0
    print(f"控辍保学月报 {r.label}（月末人数 / 其中建档立卡）")
    print("学段\t" + "\t".join(t for _k, t in COUNT_COLUMNS))
    for row in [*r.rows, r.total]:
        print(row.stage + "\t" + "\t".join(f"{row.get(k)[0]}/{row.get(k)[1]}" for k, _t in COUNT_COLUMNS))
    for reason, n, p in r.closed_by_reason:
        print(f"销号 {reason}：{n} 人（建档立卡 {p}）")
    return 0
