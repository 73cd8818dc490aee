"""`import`, `export` and `reconcile` subcommands (county exchange)."""
from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict

from db.cli.common import db_arg, services
from db.exchange.import_report import report_dict, report_text
from db.exchange.reconcile import ReconcileService
from db.validators import mask_id


def register(sub) -> None:
    _register_import(sub)
    _register_export(sub)
    _register_reconcile(sub)


# ---- import ---------------------------------------------------------------------------------
def _register_import(sub) -> None:
    p = sub.add_parser("import", help="导入县里下发的名单（xlsx/xls/csv）到学生名册")
    p.add_argument("file", metavar="FILE", help="名单文件")
    p.add_argument("--sheet", metavar="NAME", help="工作表名（默认：自动找表头最完整的一张）")
    p.add_argument("--dry-run", action="store_true", help="只检查并报告，不写入数据库")
    p.add_argument("--json", action="store_true", help="输出一个 JSON 对象（证件号已脱敏）")
    p.add_argument("--update-existing", action="store_true", help="同时更新数据库中已有学生的不同信息")
    p.add_argument("--problems", metavar="OUT.xlsx", help="把被拒绝的行导出到此文件，改正后可再次导入")
    p.set_defaults(func=_cmd_import)


def _cmd_import(args) -> int:
    with services(args) as sv:
        preview = sv.exchange.preview(args.file, sheet=args.sheet)
        result = None
        if not args.dry_run and preview.importable:
            result = sv.exchange.run(preview, apply_updates=args.update_existing)
        if args.problems and preview.rejected_rows:
            sv.exchange.export_problems(preview, args.problems)
    if args.json:
        json.dump(report_dict(preview, result), sys.stdout, ensure_ascii=False)
        print()
    else:
        print(report_text(preview, result, dry_run=args.dry_run))
        if args.problems and preview.rejected_rows:
            print(f"问题行已导出到：{args.problems}")
    return 0


# ---- export ---------------------------------------------------------------------------------
def _register_export(sub) -> None:
    p = sub.add_parser("export", help="导出报送工作簿或公示名单（xlsx）")
    ex = p.add_subparsers(dest="export_command", required=True, metavar="类型")
    q = ex.add_parser("workbook", help="报送工作簿：封面汇总、学生名册、核对结果……")
    q.add_argument("out", metavar="OUT.xlsx")
    q.add_argument("--term", default="2020秋", metavar="学期", help="如 2020秋、2021春（默认 2020秋）")
    q.add_argument("--template", metavar="FILE", help="县里下发的模板（xlsx）：保留其标题、格式和列顺序")
    q.add_argument("--filled-by", default="", metavar="姓名", help="填表人")
    q.set_defaults(func=_cmd_export_workbook)
    q = ex.add_parser("notice", help="公示名单：只含姓名、学校、年级、班级、认定等级、金额（不含类别）")
    q.add_argument("out", metavar="OUT.xlsx")
    q.add_argument("--start", required=True, metavar="YYYY-MM-DD", help="公示开始日期")
    q.add_argument("--end", required=True, metavar="YYYY-MM-DD", help="公示结束日期")
    q.add_argument("--term", default="2020秋", metavar="学期")
    q.set_defaults(func=_cmd_export_notice)
    for q in ex.choices.values():
        db_arg(q)


def _cmd_export_workbook(args) -> int:
    with services(args) as sv:
        r = sv.exchange.export_workbook(args.out, term=args.term, template=args.template, filled_by=args.filled_by)
    print(f"已导出：{r.path}（{r.students} 名学生）")
    for sh in r.sheets:
        print(f"  {sh.name}：{sh.rows} 行" + (f"（{sh.note}）" if sh.note else ""))
    if args.template:
        print(f"  模板表头在工作表“{r.template_sheet}”第 {r.header_row} 行")
        if r.unmapped_headers:
            print(f"  以下表头无法对应到台账字段，未填写：{'、'.join(r.unmapped_headers)}")
    return 0


def _cmd_export_notice(args) -> int:
    with services(args) as sv:
        r = sv.aid.export_notice(args.out, start=args.start, end=args.end, term=args.term)
    print(f"已导出公示名单：{r.path}（{r.students} 名学生）")
    return 0


# ---- reconcile ------------------------------------------------------------------------------
def _register_reconcile(sub) -> None:
    p = sub.add_parser("reconcile", help="县里推送名单与本校名册核对（系统推送 + 逐人排查）")
    rc = p.add_subparsers(dest="reconcile_command", required=True, metavar="操作")
    q = rc.add_parser("import", help="导入县里推送的名单")
    q.add_argument("file", metavar="FILE")
    q.add_argument("--date", required=True, metavar="YYYY-MM-DD", help="名单日期")
    q.add_argument("--kind", default="建档立卡学龄人口", help="名单类型（默认：建档立卡学龄人口）")
    q.add_argument("--sheet", metavar="NAME")
    q.add_argument("--json", action="store_true")
    q.set_defaults(func=_cmd_reconcile_import)
    q = rc.add_parser("lists", help="列出已导入的推送名单")
    q.set_defaults(func=_cmd_reconcile_lists)
    q = rc.add_parser("show", help="显示核对结果（各组人数与名单）")
    q.add_argument("--list", type=int, metavar="ID", help="名单编号（默认：最新）")
    q.add_argument("--json", action="store_true", help="输出 JSON（身份证号已脱敏）")
    q.set_defaults(func=_cmd_reconcile_show)
    q = rc.add_parser("follow-up", help="记录名单中某个孩子的跟进情况")
    q.add_argument("entry", type=int, metavar="ENTRY_ID")
    q.add_argument("status", metavar="状态")
    q.add_argument("--note", default="")
    q.set_defaults(func=_cmd_reconcile_follow_up)
    q = rc.add_parser("export", help="把核对结果导出为工作簿（每组一张表）")
    q.add_argument("out", metavar="OUT.xlsx")
    q.add_argument("--list", type=int, metavar="ID", help="名单编号（默认：最新）")
    q.set_defaults(func=_cmd_reconcile_export)
    for q in rc.choices.values():
        db_arg(q)


@contextmanager
def _reconcile(args) -> Iterator[ReconcileService]:
    with services(args) as sv:
        yield sv.reconcile


def _cmd_reconcile_import(args) -> int:
    with _reconcile(args) as svc:
        r = svc.import_pushed_list(args.file, list_date=args.date, kind=args.kind, sheet=args.sheet)
    if args.json:
        json.dump(asdict(r), sys.stdout, ensure_ascii=False)
        print()
        return 0
    print(f"已导入名单（编号 {r.list_id}）：{r.file} 工作表“{r.sheet}”，读取 {r.rows_read} 行，导入 {r.imported} 人，"
          f"拒绝 {len(r.rejected)} 行，重复 {len(r.duplicates)} 行")
    for p in r.rejected + r.duplicates:
        print(f"  第 {p.row} 行 {p.column}：{p.reason}")
    for w in r.warnings:
        print(f"  提示：{w}")
    return 0


def _cmd_reconcile_lists(args) -> int:
    with _reconcile(args) as svc:
        lists = svc.lists()
    if not lists:
        print("还没有导入推送名单")
    for cl in lists:
        print(f"{cl.id}\t{cl.list_date:%Y-%m-%d}\t{cl.kind}\t{cl.entries} 人\t{cl.source_file}")
    return 0


def _cmd_reconcile_show(args) -> int:
    with _reconcile(args) as svc:
        rec = svc.compare(args.list)
    if args.json:
        out = {"list": {"id": rec.list.id, "kind": rec.list.kind, "date": rec.list.list_date.isoformat(),
                        "file": rec.list.source_file}, "counts": rec.counts,
               "groups": {k: [{"entry_id": ln.entry_id, "student_id": ln.student_id,
                               "id_number": mask_id(ln.id_number), "name": ln.name, "differences": ln.differences,
                               "follow_up": ln.follow_up, "note": ln.follow_up_note} for ln in lines]
                          for k, _, lines in rec.groups()}}
        json.dump(out, sys.stdout, ensure_ascii=False)
        print()
        return 0
    print(f"{rec.list.kind}（{rec.list.list_date:%Y-%m-%d}，{rec.list.source_file}）")
    for _, title, lines in rec.groups():
        print(f"【{title}】{len(lines)} 人")
        for ln in lines:
            extra = "；".join(ln.differences)
            follow = f" [{ln.follow_up}{'：' + ln.follow_up_note if ln.follow_up_note else ''}]" if ln.entry_id else ""
            print(f"  {ln.entry_id or '-'}\t{ln.name}\t{mask_id(ln.id_number)}\t{ln.grade}{ln.class_name}"
                  f"{follow}{'  ' + extra if extra else ''}")
    return 0


def _cmd_reconcile_follow_up(args) -> int:
    with _reconcile(args) as svc:
        svc.set_follow_up(args.entry, args.status, args.note)
    print("已记录")
    return 0


def _cmd_reconcile_export(args) -> int:
    with _reconcile(args) as svc:
        out = svc.export_reconciliation(args.list, args.out)
    print(f"已导出核对结果：{out}")
    return 0
