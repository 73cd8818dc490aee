"""`letters` subcommands (省外就读): letters to out-of-province schools and their tracking.

    python main.py letters list [--status 待回复] [--json]
    python main.py letters due [--json]                     # 应发函: registered-poor students with no letter
    python main.py letters make --student 12 --school 昆山市玉山镇第一中心小学 --province 江苏省 …
    python main.py letters make --all-due                   # one letter for every student in the due list
    python main.py letters send 3 --how 邮寄 --tracking 1180123456789 --date 2020-10-09
    python main.py letters reply 3 --date 2020-10-30 --result 已落实 --programme 生活补助 --amount 625
    python main.py letters call 3 --date 2020-10-20 --note "王老师说正在核实"
    python main.py letters overdue [--json]
Print them with `print letter --id 3` or `print letter --all` (every letter not yet sent).
"""
from __future__ import annotations

import dataclasses
import sys

from db.cli.common import day_arg, db_arg, print_json, services
from db.letters.dto import RESULTS, SENT_HOW, STATUSES, LetterQuery, ReplyForm, SendForm

RECEIVER = (("school", "to_school", "就读学校（收函单位）"), ("province", "to_province", "省"), ("city", "to_city", "市"),
            ("county", "to_county", "县（区）"), ("address", "to_address", "地址"), ("contact", "to_contact", "联系人"),
            ("phone", "to_phone", "联系电话"))


def register(sub) -> None:
    p = sub.add_parser("letters", help="省外就读：资助政策落实函的发函、跟踪和回执")
    d = p.add_subparsers(dest="letters_command", required=True, metavar="操作")
    q = d.add_parser("list", help="函件列表")
    q.add_argument("--status", default="", choices=("",) + STATUSES, metavar="状态", help="、".join(STATUSES))
    q.add_argument("--year", type=int, default=None)
    q.add_argument("--json", action="store_true", help="输出 JSON（身份证号已脱敏）")
    q.set_defaults(func=cmd_list)
    q = d.add_parser("due", help="应发函：在省外就读、还没有发函的建档立卡学生")
    q.add_argument("--json", action="store_true")
    q.set_defaults(func=cmd_due)
    q = d.add_parser("make", help="新建函件：一名学生（--student），或为应发函的全部学生（--all-due）")
    who = q.add_mutually_exclusive_group(required=True)
    who.add_argument("--student", type=int, metavar="学生编号")
    who.add_argument("--all-due", action="store_true")
    q.add_argument("--date", default="", metavar="YYYY-MM-DD", help="发函日期（默认今天）")
    for opt, _field, label in RECEIVER:
        q.add_argument(f"--{opt}", default="", metavar=label)
    q.add_argument("--grade", default="", metavar="年级", help="在对方学校就读的年级（知道时）")
    q.set_defaults(func=cmd_make)
    q = d.add_parser("send", help="登记发出")
    q.add_argument("letter", type=int, metavar="函件编号")
    q.add_argument("--how", required=True, choices=SENT_HOW)
    q.add_argument("--tracking", default="", metavar="单号")
    q.add_argument("--date", required=True, metavar="YYYY-MM-DD")
    q.add_argument("--due", default="", metavar="YYYY-MM-DD", help="回复期限（默认发出后 30 天，可在设置中修改）")
    q.set_defaults(func=cmd_send)
    q = d.add_parser("reply", help="登记回复（回执）")
    q.add_argument("letter", type=int, metavar="函件编号")
    q.add_argument("--date", required=True, metavar="YYYY-MM-DD")
    q.add_argument("--result", required=True, choices=RESULTS)
    q.add_argument("--note", default="")
    q.add_argument("--programme", default="", metavar="资助项目")
    q.add_argument("--term", default="", metavar="学期")
    q.add_argument("--amount", default="", metavar="元")
    q.add_argument("--handler", default="", metavar="经办人")
    q.add_argument("--phone", default="", metavar="电话")
    q.set_defaults(func=cmd_reply)
    q = d.add_parser("call", help="登记电话跟进")
    q.add_argument("letter", type=int, metavar="函件编号")
    q.add_argument("--date", required=True, metavar="YYYY-MM-DD")
    q.add_argument("--note", required=True, metavar="情况")
    q.set_defaults(func=cmd_call)
    q = d.add_parser("overdue", help="已发出、过了回复期限还没有回复的函件")
    q.add_argument("--json", action="store_true")
    q.set_defaults(func=cmd_overdue)
    for q in d.choices.values():
        db_arg(q)


def _print_rows(rows) -> None:
    for r in rows:
        print(f"{r.id}\t{r.number}\t{r.child_name}\t{r.to_school}\t{r.status}\t{r.sent}\t{r.reply or r.reply_due}")
    print(f"共 {len(rows)} 份", file=sys.stderr)


def cmd_list(args) -> int:
    with services(args) as sv:
        rows = sv.letters.letters(LetterQuery(status=args.status, year=args.year))
    if args.json:
        print_json([dataclasses.asdict(r) for r in rows])
    else:
        _print_rows(rows)
    return 0


def cmd_due(args) -> int:
    with services(args) as sv:
        rows = sv.letters.due()
    if args.json:
        print_json([dataclasses.asdict(r) for r in rows])
        return 0
    for r in rows:
        school = r.study_school or "（未填就读学校）"
        print(f"{r.student_id}\t{r.name}\t{r.id_number}\t{r.stage}{r.grade}\t{school}\t{r.last_letter}")
    print(f"共 {len(rows)} 人", file=sys.stderr)
    return 0


def cmd_make(args) -> int:
    day = day_arg(args.date, "letter_date", "发函日期")
    with services(args) as sv:
        if args.all_due:
            r = sv.letters.make_for_due(day)
            for name, why in r.skipped:
                print(f"未生成：{name}（{why}）", file=sys.stderr)
            print(f"已生成 {len(r.made)} 份函件：" + "、".join(x.number for x in r.made))
            return 0
        form = sv.letters.new_form(args.student)
        form.letter_date = day or form.letter_date
        for opt, field, _label in RECEIVER:
            if getattr(args, opt):
                setattr(form, field, getattr(args, opt))
        form.child_grade = args.grade or form.child_grade
        x = sv.letters.save_letter(form)
    print(f"已生成函件 {x.number}（编号 {x.id}）：致{x.form.to_school}，学生{x.form.child_name}")
    return 0


def cmd_send(args) -> int:
    with services(args) as sv:
        x = sv.letters.send(SendForm(args.letter, args.how, day_arg(args.date, "sent_on", "发出日期"), args.tracking,
                                     day_arg(args.due, "reply_due", "回复期限")))
    print(f"{x.number} 已登记发出（{x.sent_how}，{x.sent_on}），回复期限 {x.reply_due}")
    return 0


def cmd_reply(args) -> int:
    with services(args) as sv:
        x = sv.letters.reply(ReplyForm(args.letter, day_arg(args.date, "reply_on", "回复日期"), args.result, args.note,
                                       args.programme, args.term, args.amount or None, args.handler, args.phone))
    print(f"{x.number} 已登记回复：{x.result}")
    return 0


def cmd_call(args) -> int:
    with services(args) as sv:
        x = sv.letters.call(args.letter, day_arg(args.date, "on", "跟进日期"), args.note)
    print(f"{x.number} 已登记电话跟进（共 {len(x.calls)} 次）")
    return 0


def cmd_overdue(args) -> int:
    with services(args) as sv:
        rows = sv.letters.overdue()
    if args.json:
        print_json([dataclasses.asdict(r) for r in rows])
    else:
        _print_rows(rows)
    return 0

