import datetime as dt

import pytest
from sqlalchemy import select

from db.aid.dto import AidSettings
from db.errors import LedgerError, ValidationError
from db.models.nutrition import NutritionPupil
from db.nutrition import rules
from db.nutrition.dto import MealForm, PlanForm
from db.terms import parse_term


@pytest.fixture
def pilot(services):
    services.aid.save_aid_settings(AidSettings(nutrition_pilot=True, nutrition_county="利辛县"))
    return services.nutrition


@pytest.fixture
def roll(town):
    hh = town.household()
    return {"p1": town.student("小学甲", hh, stage="小学"), "p2": town.student("初中乙", hh, stage="初中"),
            "k": town.student("学前丙", hh, stage="学前"), "h": town.student("高中丁", hh, stage="普通高中"),
            "away": town.student("辍学戊", hh, stage="初中", enrolment="辍学"),
            "rich": town.student("非困难己", None, stage="小学", categories=())}


def test_not_a_pilot_school_keeps_no_nutrition_ledger(services, roll):
    assert services.nutrition.enabled() is False
    with pytest.raises(LedgerError, match="未设为营养改善计划试点学校"):
        services.nutrition.save_plan(PlanForm("2021春", "食堂供餐", 400, {"2021-03": 20}))
    assert services.nutrition.needs_doing(dt.date(2021, 4, 1)) == []


def test_the_daily_standard_is_4_yuan_then_5_from_2021_autumn(pilot):
    assert pilot.default_plan("2021春").daily_fen == 400
    assert pilot.default_plan("2021秋").daily_fen == 500
    assert rules.default_daily_fen(parse_term("2021春"), 450) == 450    # the school's own setting wins
    assert list(pilot.default_plan("2020秋").months) == ["2020-09", "2020-10", "2020-11", "2020-12", "2021-01"]


def test_month_funds_are_days_times_pupils_times_standard(pilot, roll, sf):
    pilot.save_plan(PlanForm("2021春", "食堂供餐", "4.00", {"2021-03": 20, "2021-04": 18, "2021-05": 21}))
    assert pilot.refresh_list("2021春", "2021-03") == (3, 0)       # 小学甲, 初中乙, 非困难己: the whole roll
    names = {p.name for p in pilot.pupils("2021春")}
    assert names == {"小学甲", "初中乙", "非困难己"}
    kid = next(p for p in pilot.pupils("2021春") if p.name == "初中乙")
    pilot.end_pupil(kid.id, "2021-04", "转学")
    funds = {m.month: m for m in pilot.funds("2021春")}
    assert (funds["2021-03"].pupils, funds["2021-03"].funds_fen) == (3, 20 * 3 * 400)
    assert (funds["2021-05"].pupils, funds["2021-05"].funds_fen) == (2, 21 * 2 * 400)
    rep = pilot.report("2021春")
    assert rep.total_fen == 24000 + 18 * 3 * 400 + 16800 and isinstance(rep.total_fen, int)
    notice = pilot.notice("2021春", "2021-05")
    assert notice.funds.funds_fen == 16800 and len(notice.pupils) == 2
    assert all(len(p) == 3 for p in notice.pupils)                   # grade, class, name: nothing else


def test_a_pupil_who_left_school_is_ended_at_the_month_before(pilot, roll, sf):
    pilot.save_plan(PlanForm("2021春", "企业供餐", 400, {"2021-03": 20}))
    pilot.refresh_list("2021春", "2021-03")
    with sf.begin() as s:
        from db.models.registry import Student
        s.get(Student, roll["p1"]).enrolment = "转出"
    assert pilot.refresh_list("2021春", "2021-05") == (0, 1)
    with sf() as s:
        gone = s.scalar(select(NutritionPupil).where(NutritionPupil.student_id == roll["p1"]))
    assert (gone.to_month, gone.note) == ("2021-04", "已不在校")


def test_bad_plans_are_refused(pilot):
    with pytest.raises(ValidationError) as e:
        pilot.save_plan(PlanForm("2021春", "送现金", "-1", {"2021-09": 20, "2021-03": 40}))
    assert set(e.value.problems) == {"meal_model", "daily_fen", "months"}


def test_the_meal_log_and_what_needs_doing(pilot, roll, sctx):
    pilot.save_plan(PlanForm("2021春", "食堂供餐", 400, {"2021-03": 20, "2021-04": 0}))
    pilot.refresh_list("2021春")
    pilot.save_meal(MealForm(None, dt.date(2021, 3, 9), "王校长", "校长", "午餐", "分量足"))
    with pytest.raises(ValidationError):
        pilot.save_meal(MealForm(None, dt.date(2021, 3, 9), " ", meal="夜宵"))
    todo = pilot.needs_doing(dt.date(2021, 5, 10))
    assert todo == ["未填写供餐天数：2021年2月、2021年4月"]
    assert [m.leader for m in pilot.meals("2021春")] == ["王校长"]


def test_meals_never_reach_the_aid_batch(pilot, roll, services):
    pilot.save_plan(PlanForm("2020秋", "食堂供餐", 400, {"2020-09": 20}))
    pilot.refresh_list("2020秋")
    services.aid.plan("2020秋")
    lines = services.aid.lines("2020秋", None, 0, 1000)
    assert lines and all("营养" not in ln.programme for ln in lines)
    assert services.aid.batch_total("2020秋") == sum(ln.amount_fen for ln in lines if ln.status != "减免")
