"""`special` subcommands: the special-needs files (一人一案).

    python main.py special list [--category 智力] [--placement 送教上门] [--review-due] [--visit-due] [--json]
    python main.py special report [--term 2020秋] [--json]      # counts by category × placement, 送教 per child
    python main.py special alerts [--json]                      # 待安置, reviews due, 送教 overdue …
    python main.py special attach FILE_ID 残疾人证.jpg --kind 残疾人证 [--date 2019-06-01] [--note …]
    python main.py special verify                               # every attachment against its SHA-256

The printed documents are `print` kinds (print --list): special-file, special-iep, special-visit,
special-visits, special-exempt.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import sys

from db.cli.common import db_arg, print_json, services
from db.errors import LedgerError
from db.special import rules
from db.special.dto import FileQuery, SpecialReport
from db.terms import parse_term


def register(sub) -> None:
    p = sub.add_parser("special", help="残疾儿童一人一案：档案列表、统计报表、提醒、附件")
    sp = p.add_subparsers(dest="special_command", required=True, metavar="操作")
    q = sp.add_parser("list", help="列出档案（证件号已脱敏）")
    q.add_argument("--category", default="", choices=rules.CATEGORIES, metavar="类别", help="残疾类别，如 智力")
    q.add_argument("--placement", default="", choices=rules.PLACEMENTS, metavar="安置方式", help="如 送教上门")
    q.add_argument("--review-due", action="store_true", help="只列复评、方案复查或免于学习复核到期的")
    q.add_argument("--visit-due", action="store_true", help="只列应送教上门的")
    q.add_argument("--closed", action="store_true", help="包括已结案的档案")
    q.add_argument("--json", action="store_true")
    q.set_defaults(func=cmd_list)
    q = sp.add_parser("report", help="统计：按残疾类别和安置方式，本学期每名儿童的送教次数")
    q.add_argument("--term", default="", metavar="学期", help="如 2020秋（默认本学期）")
    q.add_argument("--json", action="store_true")
    q.set_defaults(func=cmd_report)
    q = sp.add_parser("alerts", help="需要处理的事项：待安置、复评到期、送教逾期……")
    q.add_argument("--json", action="store_true")
    q.set_defaults(func=cmd_alerts)
    q = sp.add_parser("attach", help="给档案添加附件（图片会缩小为 JPEG，PDF 原样保存）")
    q.add_argument("file_id", type=int, metavar="档案编号")
    q.add_argument("path", metavar="文件")
    q.add_argument("--kind", required=True, choices=rules.ATTACHMENT_KINDS, metavar="类别",
                   help="、".join(rules.ATTACHMENT_KINDS))
    q.add_argument("--date", default="", metavar="YYYY-MM-DD", help="材料日期")
    q.add_argument("--note", default="", metavar="备注")
    q.set_defaults(func=cmd_attach)
    q = sp.add_parser("verify", help="逐个核对附件内容与保存时的校验值（SHA-256）")
    q.set_defaults(func=cmd_verify)
    for q in sp.choices.values():
        db_arg(q)


def _default(v):
    if isinstance(v, (dt.date, dt.datetime)):
        return v.isoformat()
    if dataclasses.is_dataclass(v):
        return dataclasses.asdict(v)
    raise TypeError(type(v).__name__)


def cmd_list(args) -> int:
    q = FileQuery(category=args.category, placement=args.placement, review_due=args.review_due,
                  visit_due=args.visit_due, include_closed=args.closed)
    with services(args) as sv:
        rows = sv.special.list_files(q)
    if args.json:
        print_json([dataclasses.asdict(r) for r in rows], _default)
        return 0
    for r in rows:
        print(f"{r.id}\t{r.name}\t{r.id_number}\t{r.where}\t{r.category}{r.grade}\t{r.placement}\t"
              f"本学期送教 {r.visits_term} 次\t{r.alerts}")
    print(f"共 {len(rows)} 份档案", file=sys.stderr)
    return 0


def cmd_report(args) -> int:
    if args.term:
        parse_term(args.term)
    with services(args) as sv:
        rep = sv.special.report(args.term or None)
    if args.json:
        print_json(_report_json(rep), _default)
        return 0
    groups = list(rules.PLACEMENT_GROUPS)
    print(f"{rep.term}（{rep.school_year}学年）残疾儿童少年安置情况")
    print("类别\t" + "\t".join(groups) + "\t合计\t其中建档立卡")
    for r in rep.rows:
        print(f"{r.category}\t" + "\t".join(str(r.groups[g]) for g in groups) + f"\t{r.total}\t{r.registered_poor}")
    print(f"\n送教上门（{rep.term}，至今）：")
    for v in rep.visits:
        last = f"{v.last_visit:%Y-%m-%d}" if v.last_visit else "无"
        print(f"  {v.name}\t{v.where}\t已送教 {v.done} 次（应约 {v.expected} 次，缺 {v.missed} 次）\t"
              f"共 {v.minutes} 分钟\t最近 {last}")
    print(f"\n{rep.school_year}学年免于学习名册：{rep.exemptions} 人；"
          f"需处理事项 {len(rep.alerts)} 项（special alerts 查看）")
    return 0


def _report_json(rep: SpecialReport) -> dict:
    return {"term": rep.term, "school_year": rep.school_year,
            "counts": [dataclasses.asdict(r) for r in rep.rows],
            "home_teaching": [{**dataclasses.asdict(v), "missed": v.missed} for v in rep.visits],
            "exemptions": rep.exemptions, "alerts": [dataclasses.asdict(a) for a in rep.alerts]}


def cmd_alerts(args) -> int:
    with services(args) as sv:
        alerts = sv.special.alerts()
    if args.json:
        print_json([dataclasses.asdict(a) for a in alerts], _default)
        return 0
    for a in alerts:
        print(f"{a.file_id}\t{a.name}\t{a.kind}\t{a.text}")
    print(f"共 {len(alerts)} 项", file=sys.stderr)
    return 0


def cmd_attach(args) -> int:
    with services(args) as sv:
        added = sv.special.add_attachment(args.file_id, args.path, kind=args.kind, doc_date=args.date or None,
                                          note=args.note)
    print(f"已添加附件 {added.row.id}：{added.row.filename}（{added.note}）")
    return 0


def cmd_verify(args) -> int:
    with services(args) as sv:
        n, bad = sv.special.verify_attachments()
    if bad:
        raise LedgerError(f"{len(bad)} 个附件与保存时的校验值不符：{'、'.join(bad[:20])}")
    print(f"全部 {n} 个附件完好")
    return 0
