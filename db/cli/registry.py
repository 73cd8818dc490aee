"""`demo` and `students` subcommands."""
from __future__ import annotations

import json
import sys
import time

from db.cli.common import services
from db.demo import fill_demo


def register(sub) -> None:
    p = sub.add_parser("demo", help="生成演示数据（家庭、学生、有效身份证号）")
    p.add_argument("--students", type=int, default=500, metavar="N", help="学生人数（默认 500）")
    p.add_argument("--seed", type=int, default=2020, help="随机种子")
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser("students", help="查找学生")
    p.add_argument("--search", default="", metavar="TEXT", help="姓名、身份证号前缀、学籍号、户主或村")
    p.add_argument("--limit", type=int, default=50)
    p.add_argument("--json", action="store_true", help="输出 JSON（证件号等已脱敏）")
    p.set_defaults(func=cmd_students)


def cmd_demo(args) -> int:
    if args.students <= 0 or args.students > 1_000_000:
        print("错误：--students 应在 1 到 1000000 之间", file=sys.stderr)
        return 2
    with services(args) as sv:
        t = time.perf_counter()
        n = fill_demo(sv.ctx, args.students, seed=args.seed, ledgers=True)
        print(f"已生成 {n} 名学生，用时 {time.perf_counter() - t:.1f} 秒")
    return 0


def cmd_students(args) -> int:
    with services(args) as sv:
        rows = sv.registry.search_json(args.search, args.limit)
    if args.json:
        json.dump(rows, sys.stdout, ensure_ascii=False, indent=1)
        print()
    else:
        for r in rows:
            print(f"{r['name']}\t{r['gender']}\t{r['id_number']}\t{r['stage']}{r['grade']}{r['class_name']}\t"
                  f"{r['categories']}\t{r['village']}")
        print(f"共 {len(rows)} 人", file=sys.stderr)
    return 0
