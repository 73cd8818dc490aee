"""`check`, `rollover` and `log`: the self-inspection, the school-year rollover and the operation log.

    python main.py check [--term 2020秋] [--json]          exit 1 when there are gaps
    python main.py rollover --year 2021 [--map 三年级2班=3班 …] [--dry-run] [--json]
    python main.py log [--from 2020-09-01] [--to …] [--text 张三 | --student 12] [--action update] [--by 李老师]
                       [--limit 50] [--json] [--export 日志.xlsx]
"""
from __future__ import annotations

import dataclasses
import sys

from db.backup import backup
from db.cli.common import day_arg, opened, print_json, services, services_of
from db.errors import LedgerError, ValidationError
from db.office.dto import CheckResult, LogQuery, RolloverPlan
from db.office.oplog import entity_label
from db.office.yearly import parse_mapping


def register(sub) -> None:
    p = sub.add_parser("check", help="自查：名单内和名册上的每名困难学生是否落实，及其他问题；有问题时退出码为 1")
    p.add_argument("--term", default="", metavar="学期", help="如 2020秋（默认：今天所在学期）")
    p.add_argument("--json", action="store_true", help="输出 JSON（证件号已脱敏）")
    p.set_defaults(func=cmd_check)

    p = sub.add_parser("rollover", help="学年结转：全体学生升一个年级，毕业年级标记为毕业（先备份，每学年一次）")
    p.add_argument("--year", type=int, required=True, metavar="学年", help="结转到的学年，如 2021（即 2021-2022 学年）")
    p.add_argument("--map", action="append", default=[], metavar="原班级=新班级",
                   help="班级对应，如 三年级2班=3班（升入四年级3班）、六年级1班=毕业；可重复；默认班级名不变")
    p.add_argument("--roll-year", type=int, metavar="学年", help="首次结转前：名册中的年级属于哪个学年（如 2020）")
    p.add_argument("--dry-run", action="store_true", help="只显示将发生的变化，不做任何更改")
    p.add_argument("--json", action="store_true", help="输出 JSON")
    p.set_defaults(func=cmd_rollover)

    p = sub.add_parser("log", help="操作日志（只读）：按日期、学生、操作、操作人筛选；可导出给检查人员（号码已脱敏）")
    p.add_argument("--from", dest="start", default="", metavar="YYYY-MM-DD")
    p.add_argument("--to", dest="end", default="", metavar="YYYY-MM-DD")
    p.add_argument("--text", default="", metavar="文字", help="摘要中包含的文字，如学生姓名")
    p.add_argument("--student", type=int, metavar="ID", help="学生编号")
    p.add_argument("--action", default="", metavar="操作", help="如 create、update、delete、pay、settings")
    p.add_argument("--by", default="", metavar="操作人", help="只看此人的操作（--user 是登录用的用户名）")
    p.add_argument("--limit", type=int, default=50)
    p.add_argument("--json", action="store_true")
    p.add_argument("--export", default="", metavar="FILE.xlsx", help="导出全部符合条件的记录")
    p.set_defaults(func=cmd_log)


# ---- check --------------------------------------------------------------------------------------
def check_json(r: CheckResult) -> dict:
    return {"date": r.as_of.isoformat(), "term": r.term, "list": r.list_name, "children": r.children,
            "on_list": r.on_list, "on_roll": r.on_roll, "accounted": r.accounted, "missed": r.missed,
            "counts": r.counts(), "gaps": [dataclasses.asdict(g) for g in r.gaps], "notes": r.notes}


def cmd_check(args) -> int:
    with services(args) as sv:
        r = sv.inspection.run(term=args.term or None)
    if args.json:
        print_json(check_json(r))
        return 1 if r.gaps else 0
    print(f"自查日期 {r.as_of:%Y-%m-%d}，{r.term}；名单：{r.list_name or '尚未导入'}")
    print(f"核对 {r.children} 人（名单内 {r.on_list}，名册上 {r.on_roll}），已落实 {r.accounted_total}，未落实 {r.missed}")
    for how, n in sorted(r.accounted.items(), key=lambda kv: -kv[1]):
        print(f"  {how}：{n}")
    for note in r.notes:
        print(f"说明：{note}")
    for g in r.gaps:
        print(f"[{g.rule}/{g.kind}] {g.name} {g.id_number} {g.where}：{g.missing}")
    print("未发现问题" if not r.gaps else f"共 {len(r.gaps)} 项问题：" +
          "，".join(f"{k} {n}" for k, n in r.counts().items()), file=sys.stderr)
    return 1 if r.gaps else 0


# ---- rollover -----------------------------------------------------------------------------------
def plan_json(p: RolloverPlan) -> dict:
    return {"school_year": p.school_year, "promoted": p.promoted, "graduated": p.graduated, "unchanged": p.unchanged,
            "households": p.households, "to_assess": p.to_assess, "refusal": p.refusal,
            "moves": [dataclasses.asdict(m) | {"from": m.source, "to": m.target} for m in p.moves],
            "stay": {c.key: c.value for c in p.stay}}


def _print_plan(p: RolloverPlan) -> None:
    print(f"结转到 {p.school_year}-{p.school_year + 1} 学年：升级 {p.promoted} 人，毕业 {p.graduated} 人，"
          f"不变 {p.unchanged} 人；家庭 {p.households} 户原样保留；新学年需认定 {p.to_assess} 人")
    for m in p.moves:
        print(f"  {m.source}（{m.students} 人）→ {m.target}{'　' + m.note if m.note else ''}")
    for c in p.stay:
        print(f"  不变：{c.key} {c.value} 人")


def cmd_rollover(args) -> int:
    try:
        mapping = parse_mapping(args.map)
    except ValueError as e:
        raise ValidationError({"map": str(e)}) from None
    with opened(args) as (db, lock):
        sv = services_of(db, lock, args.actor)
        if args.roll_year is not None:
            sv.rollover.set_roll_year(args.roll_year)
        plan = sv.rollover.preview(args.year, mapping)
        if args.dry_run or plan.refusal:
            if args.json:
                print_json(plan_json(plan))
            else:
                _print_plan(plan)
            if plan.refusal:
                raise LedgerError(plan.refusal + "；未做任何更改")
            print("（预览，未做任何更改）", file=sys.stderr)
            return 0
        result = sv.rollover.run(args.year, mapping, backup=lambda path, reason: backup(path, reason, key=db.key))
    if args.json:
        print_json(plan_json(result.plan) | {"backup": result.backup_file, "done_on": result.done_on.isoformat()})
    else:
        _print_plan(result.plan)
        print(f"已完成学年结转（结转前备份：{result.backup_file}）。新学年需认定的学生：{result.plan.to_assess} 人"
              "（在“学生名册”的“学年认定情况”中查看）")
    return 0


# ---- log ----------------------------------------------------------------------------------------
def cmd_log(args) -> int:
    q = LogQuery(day_arg(args.start, "from"), day_arg(args.end, "to"), args.text, args.student, args.action, args.by)
    with services(args) as sv:
        if args.export:
            path, n = sv.oplog.export(q, args.export)
            print(f"已导出操作日志 {n} 条：{path}（证件号、银行卡号、手机号已脱敏）")
            return 0
        total = sv.oplog.count(q)
        rows = sv.oplog.entries(q, 0, args.limit)
    if args.json:
        print_json({"total": total, "entries": [dataclasses.asdict(r) for r in rows]})
        return 0
    for r in rows:
        print(f"{r.at}\t{r.actor}\t{r.action_label}\t{entity_label(r.entity)}\t{r.summary}")
    print(f"共 {total} 条，显示 {len(rows)} 条", file=sys.stderr)
    return 0
