"""`print` subcommand: every printed document to a PDF, for scripting and batch jobs.

    python main.py print --list
    python main.py print card --term 2020秋 --class 三年级2班 --out 明白卡.pdf
    python main.py print sign --term 2020秋 --all --out 签领表.pdf
    python main.py print notice --term 2020秋 --all --start 2020-09-07 --end 2020-09-11 --out 公示.pdf
"""
from __future__ import annotations

import datetime as dt
import sys

from db import audit
from db.cli.common import services
from db.docs.kinds import SCOPE_LABELS, Selection, kind, kinds
from db.docs.render import render_batch
from db.errors import LedgerError, ValidationError
from db.terms import parse_term


def register(sub) -> None:
    p = sub.add_parser("print", help="打印文书：生成 PDF（明白卡、签领表、公示名单、走访记录表、档案封面……）",
                       description="生成文书 PDF。先用 print --list 查看可打印的文书。")
    p.add_argument("kind", nargs="?", metavar="文书", help="文书名称（见 --list）")
    p.add_argument("--list", action="store_true", help="列出可打印的文书及其打印范围")
    p.add_argument("--term", default="", metavar="学期", help="如 2020秋、2021春、2020年秋季学期")
    scope = p.add_mutually_exclusive_group()
    scope.add_argument("--class", dest="class_name", default="", metavar="班级", help="如 三年级2班")
    scope.add_argument("--student", type=int, action="append", default=[], metavar="ID", help="学生编号（可重复）")
    scope.add_argument("--household", type=int, action="append", default=[], metavar="ID", help="家庭编号（可重复）")
    scope.add_argument("--record", type=int, action="append", default=[], metavar="ID",
                       help="档案编号（残疾儿童档案等，可重复）")
    scope.add_argument("--all", action="store_true", help="全部")
    scope.add_argument("--id", dest="record", type=int, action="append", default=[], metavar="编号",
                       help="台账记录编号，如控辍保学个案、函件（可重复）")
    p.add_argument("--programme", default="", metavar="项目", help="只打印某个资助项目（签领表）")
    p.add_argument("--start", default="", metavar="YYYY-MM-DD", help="公示开始日期")
    p.add_argument("--end", default="", metavar="YYYY-MM-DD", help="公示结束日期")
    p.add_argument("--month", default="", metavar="YYYY-MM", help="月份（控辍保学月报表、营养改善计划月度公示）")
    p.add_argument("--round", default="", metavar="轮次", help="线上学习排查的轮次名称（默认最近一轮）")
    p.add_argument("--date", default="", metavar="YYYY-MM-DD", help="落款日期（默认今天）")
    p.add_argument("--out", default="", metavar="FILE.pdf", help="输出的 PDF 文件")
    p.set_defaults(func=cmd_print)


def _date(text: str, field: str, label: str) -> dt.date | None:
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ValidationError({field: f"{label}“{text}”应写成 YYYY-MM-DD，如 2020-09-07"}) from None


def cmd_print(args) -> int:
    if args.list:
        for k in kinds().values():
            print(f"{k.name}\t{k.title}\t{k.takes}")
        return 0
    if not args.kind:
        raise LedgerError("请写出要打印的文书，例如：print card --term 2020秋 --all --out 明白卡.pdf（用 --list 查看全部）")
    k = kind(args.kind)
    if not args.out:
        raise LedgerError("请用 --out 指定输出的 PDF 文件")
    if not args.out.lower().endswith(".pdf"):
        raise LedgerError(f"输出文件“{args.out}”应以 .pdf 结尾")
    if k.needs_term and not args.term:
        raise LedgerError(f"打印{k.title}需要指定学期，例如 --term 2020秋")
    if args.term:
        parse_term(args.term)                     # a bad term fails before the database opens
    used = {"class": bool(args.class_name), "student": bool(args.student), "household": bool(args.household),
            "all": args.all, "record": bool(args.record)}
    bad = [s for s, on in used.items() if on and s not in k.scopes]
    if bad:
        raise LedgerError(f"{k.title}不能按{SCOPE_LABELS[bad[0]]}打印；可以：{k.takes}")
    if not any(used.values()) and "term" not in k.scopes:
        raise LedgerError(f"请指定打印范围：{k.takes}（--class / --student / --household / --all）")
    start, end = _date(args.start, "start", "公示开始日期"), _date(args.end, "end", "公示结束日期")
    if start and end and end < start:
        raise ValidationError({"end": "公示结束日期不能早于开始日期"})
    sel = Selection(term=args.term, class_name=args.class_name, student_ids=tuple(args.student),
                    household_ids=tuple(args.household), all=args.all or not any(used.values()),
                    programme=args.programme, start=start, end=end, today=_date(args.date, "date", "落款日期"),
                    record_ids=tuple(args.record), month=args.month, round=args.round)
    with services(args) as sv:
        audit.can_record(sv.ctx)
        sel = sv.registry.printable(k, sel)          # a 班主任: own classes only
        result = render_batch(k.sections(sv.ctx, sel), args.out, progress=_progress if sys.stderr.isatty() else None)
        audit.log_event(sv.ctx, "print", k.name,
                        summary=f"生成{k.title} {result.path.name}：{result.sections} 份，{result.pages} 页")
    print(f"已生成{k.title}：{result.path}，{result.sections} 份，共 {result.pages} 页")
    if result.missing:
        print(f"注意：{result.missing_text()}", file=sys.stderr)
    return 0


def _progress(done: int, total: int) -> None:
    print(f"\r正在生成 {done}/{total}", end="" if done < total else "\n", file=sys.stderr, flush=True)

