"""Benchmark: the four seed ledgers on a large demo database (default 100,000 students, every ledger
filled by the demo hooks).

    .venv/bin/python bench/seed_ledgers.py [--students 100000] [--db PATH] [--keep]

fill_s        the demo hooks (survey, nutrition, employment, assistance) after the students
survey_s      SurveyService.report() of the round (every registered-poor household and its state)
households_s  SurveyService.households(): the page's list
nutrition_s   NutritionService.report(2020秋): month funds over the real-name list
refresh_s     NutritionService.refresh_list(2020秋) on a full list (nothing to add: the steady state)
employment_s  EmploymentService.report()
without_s     AssistanceService.without_assistance(2020): 特别困难 建档立卡 children with none
cards_s / cards_base_s   family_cards (明白卡 data) for 2,000 students with and without the assistance lines
                         (the baseline in the same run: the assistance hook disabled)
Last line: one JSON object.
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from importlib import import_module
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import select

import db.aid.paper as aid_paper
from db.aid.service import AidService
from db.assistance.service import AssistanceService
from db.context import ServiceContext
from db.demo import DEMO_HOOKS, fill_demo
from db.docs.kinds import Selection
from db.employment.service import EmploymentService
from db.engine import open_database
from db.models.registry import Student
from db.nutrition.service import NutritionService
from db.survey.service import SurveyService


def timed(fn):
    t = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - t


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--students", type=int, default=100_000)
    ap.add_argument("--db", default="")
    ap.add_argument("--keep", action="store_true")
    a = ap.parse_args()
    path = Path(a.db) if a.db else Path(tempfile.mkdtemp()) / "bench.sqlite3"
    db = open_database(path)
    ctx = ServiceContext(db.session_factory)
    fill_demo(ctx, a.students)
    t = time.perf_counter()
    for hook in DEMO_HOOKS:
        module, _, fn = hook.partition(":")
        getattr(import_module(module), fn)(ctx)
    fill_s = time.perf_counter() - t
    rep, survey_s = timed(lambda: SurveyService(ctx).report())
    _, households_s = timed(lambda: SurveyService(ctx).households())
    nut, nutrition_s = timed(lambda: NutritionService(ctx).report("2020秋"))
    _, refresh_s = timed(lambda: NutritionService(ctx).refresh_list("2020秋"))
    emp, employment_s = timed(lambda: EmploymentService(ctx).report())
    without, without_s = timed(lambda: AssistanceService(ctx).without_assistance(2020))
    AidService(ctx).plan("2020秋")
    with ctx.read() as s:
        ids = tuple(s.scalars(select(Student.id).order_by(Student.id).limit(2000)))
    sel = Selection(term="2020秋", student_ids=ids)
    real, cards_s, cards_base_s = aid_paper.card_lines, [], []
    for _ in range(3):                        # alternate, keep the best of each: the cache warms once
        cards, t = timed(lambda: aid_paper.family_cards(ctx, sel))
        cards_s.append(t)
        aid_paper.card_lines = lambda *_a: {}
        _, t = timed(lambda: aid_paper.family_cards(ctx, sel))
        cards_base_s.append(t)
        aid_paper.card_lines = real
    cards_s, cards_base_s = min(cards_s), min(cards_base_s)
    out = {"students": a.students, "households_surveyed": rep.surveyed, "pupils": nut.pupils,
           "graduates": emp.graduates, "without_assistance": len(without), "cards": len(cards),
           "cards_with_assistance": sum(1 for c in cards if c.assistance),
           "fill_s": round(fill_s, 2), "survey_s": round(survey_s, 3), "households_s": round(households_s, 3),
           "nutrition_s": round(nutrition_s, 3),
           "refresh_s": round(refresh_s, 3), "employment_s": round(employment_s, 3), "without_s": round(without_s, 3),
           "cards_s": round(cards_s, 3), "cards_base_s": round(cards_base_s, 3)}
    for k, v in out.items():
        print(f"{k:22s} {v}")
    db.dispose()
    if not a.keep and not a.db:
        path.unlink(missing_ok=True)
    print(json.dumps(out, ensure_ascii=False))


if __name__ == "__main__":
    main()
