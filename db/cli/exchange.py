"""`import`, `export` and `reconcile` subcommands (county exchange)."""
from __future__ import annotations

import json
import sys


def register(sub) -> None:
    _register_import(sub)


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
    from db.engine import open_database
    from db.exchange.import_report import report_dict, report_text
    from db.exchange.importer import preview_import, run_import
    db = open_database(args.db)
    try:
        preview = preview_import(db.session_factory, args.file, sheet=args.sheet)
        result = None
        if not args.dry_run and preview.importable:
            result = run_import(db.session_factory, preview, apply_updates=args.update_existing)
        if args.problems and preview.rejected_rows:
            from db.exchange.import_problems import export_problem_rows
            export_problem_rows(preview, args.problems)
    finally:
        db.dispose()
    if args.json:
        json.dump(report_dict(preview, result), sys.stdout, ensure_ascii=False)
        print()
    else:
        print(report_text(preview, result, dry_run=args.dry_run))
        if args.problems and preview.rejected_rows:
            print(f"问题行已导出到：{args.problems}")
    return 0
