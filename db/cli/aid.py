"""`aid` subcommands: plan, summary, pay, export-bank, standards."""
from __future__ import annotations

import datetime as dt
import json
import sys
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager

from db.aid.service import AidService
from db.cli.common import db_arg, services
from db.errors import ValidationError
from db.money import format_yuan
from db.terms import parse_term


def register(sub) -> None:
    p = sub.add_parser("aid", help="学生资助：生成发放批次、汇总、发放、导出银行代发名单")
    aid = p.add_subparsers(dest="aid_command", required=True, metavar="操作")

    def term_arg(q):
        q.add_argument("--term", required=True, metavar="学期", help="如 2020秋、2021春、2020年秋季学期")

    q = aid.add_parser("plan", help="生成或刷新本学期发放批次（保留手工调整和已发放记录）")
    term_arg(q)
    q.add_argument("--dry-run", action="store_true", help="只列出刷新会改变什么，不写入")
    q.set_defaults(func=cmd_plan)
    q = aid.add_parser("summary", help="按项目、学段、状态汇总，并列出无资助学生")
    term_arg(q)
    q.add_argument("--json", action="store_true", help="输出 JSON（金额同时给出分和元）")
    q.set_defaults(func=cmd_summary)
    q = aid.add_parser("pay", help="把本学期待发放记录标记为已发放")
    term_arg(q)
    q.add_argument("--date", required=True, metavar="YYYY-MM-DD", help="发放日期")
    q.set_defaults(func=cmd_pay)
    q = aid.add_parser("export-bank", help="导出银行代发名单（xlsx）")
    term_arg(q)
    q.add_argument("out", metavar="OUT.xlsx")
    q.add_argument("--unpaid", action="store_true", help="只导出待发放记录")
    q.set_defaults(func=cmd_export_bank)
    q = aid.add_parser("standards", help="列出资助标准")
    q.add_argument("--json", action="store_true")
    q.set_defaults(func=cmd_standards)
    for q in aid.choices.values():
        db_arg(q)


@contextmanager
def _service(args) -> Iterator[AidService]:
    parse_term(getattr(args, "term", None) or "2020秋")   # a bad term fails before the database opens
    with services(args) as sv:
        yield sv.aid


def _money(fen: int) -> dict:
    return {"fen": fen, "yuan": format_yuan(fen).replace(",", "")}


def cmd_plan(args) -> int:
    with _service(args) as svc:
        r = svc.plan(args.term, dry_run=args.dry_run)
    if r.dry_run:
        print(f"{r.term}（预览，未写入）：将新增 {r.added}，更新 {r.updated}，移除 {r.removed}；"
              f"保留（已发放/已调整/已作废）{r.kept}")
        for c in r.changes[:200]:
            money = " → ".join(format_yuan(x) if x is not None else "无" for x in (c.old_fen, c.new_fen))
            print(f"  {c.action}\t{c.name}\t{c.programme}\t{money}\t{c.reason}")
        if len(r.changes) > 200:
            print(f"  …（另有 {len(r.changes) - 200} 项）")
        return 0
    print(f"{r.term}：新增 {r.added}，更新 {r.updated}，移除 {r.removed}，保留 {r.kept}；"
          f"共 {r.lines} 笔，现金合计 {format_yuan(r.total_fen)} 元；减免 {r.waiver_lines} 笔"
          f"（{format_yuan(r.waiver_fen)} 元，不发放现金）")
    return 0


def cmd_summary(args) -> int:
    with _service(args) as svc:
        sm = svc.summary(args.term)
    if args.json:
        def rows(items):
            return [{"key": r.key, "lines": r.lines, "amount": _money(r.amount_fen)} for r in items]
        out = {"term": sm.term, "lines": sm.lines, "total": _money(sm.batch_total_fen),
               "waivers": {"lines": sm.waiver_lines, "amount": _money(sm.waiver_fen)},
               "by_programme": rows(sm.by_programme), "by_stage": rows(sm.by_stage),
               "by_status": rows(sm.by_status),
               "no_entitlement": [{"student_id": n.student_id, "name": n.name, "stage": n.stage,
                                   "grade": n.grade, "kind": n.kind, "reason": n.reason}
                                  for n in sm.no_entitlement]}
        json.dump(out, sys.stdout, ensure_ascii=False, indent=1)
        print()
        return 0
    print(f"{sm.term}：现金 {sm.cash_lines} 笔，合计 {format_yuan(sm.batch_total_fen)} 元；"
          f"减免 {sm.waiver_lines} 笔，{format_yuan(sm.waiver_fen)} 元（不发放现金）")
    for title, items in (("按项目", sm.by_programme), ("按学段", sm.by_stage), ("按状态", sm.by_status)):
        print(f"\n{title}：")
        for r in items:
            print(f"  {r.key}\t{r.lines} 笔\t{format_yuan(r.amount_fen)} 元")
    kinds = Counter(n.kind for n in sm.no_entitlement)
    print(f"\n未纳入发放的学生：{len(sm.no_entitlement)} 人（" + "，".join(f"{k} {v}" for k, v in kinds.items()) + "）")
    for n in sm.no_entitlement[:50]:
        print(f"  {n.name}\t{n.stage}{n.grade}\t{n.kind}\t{n.reason}")
    if len(sm.no_entitlement) > 50:
        print(f"  …（另有 {len(sm.no_entitlement) - 50} 人，用 --json 查看全部）")
    return 0


def cmd_pay(args) -> int:
    try:
        day = dt.date.fromisoformat(args.date)
    except ValueError:
        raise ValidationError({"date": f"发放日期“{args.date}”应写成 YYYY-MM-DD，如 2020-09-20"}) from None
    with _service(args) as svc:
        r = svc.pay(args.term, day)
    print(f"已标记发放 {r.paid} 笔，合计 {format_yuan(r.paid_fen)} 元（{day}）")
    if r.skipped:
        print(f"未发放 {len(r.skipped)} 笔：", file=sys.stderr)
        for lid, name, why in r.skipped[:30]:
            print(f"  {lid}\t{name}\t{why}", file=sys.stderr)
    return 0


def cmd_export_bank(args) -> int:
    with _service(args) as svc:
        path, total = svc.export_bank_list(args.term, args.out, status="待发放" if args.unpaid else "")
    print(f"已导出银行代发名单：{path}，合计 {format_yuan(total)} 元（只含现金；减免项目不进入代发名单）")
    return 0


def cmd_standards(args) -> int:
    with _service(args) as svc:
        rows = svc.list_standards()
    if args.json:
        json.dump([r.__dict__ for r in rows], sys.stdout, ensure_ascii=False, indent=1)
        print()
        return 0
    for r in rows:
        amount = ("/".join(format_yuan(t) for t in r.tiers) if r.tiers else
                  f"{format_yuan(r.per_day_fen)}×{r.school_days}天" if r.per_day_fen else
                  format_yuan(r.yearly_fen) if r.yearly_fen else "待填写")
        print(f"{r.stage}\t{r.programme}\t{r.residence or '不限'}\t{r.from_term or '…'}–{r.to_term or '…'}\t"
              f"{amount}\t{r.kind}\t{r.scope}\t{'默认值' if r.is_default else ''}")
    return 0
