import datetime as dt
import json

import pytest
from sqlalchemy import select

from db.errors import LedgerError, NotFound, ValidationError
from db.models.core import AuditLog
from db.models.survey import SurveyCheck, SurveyChild
from db.survey import rules
from db.survey.dto import CheckForm, ProblemForm, RoundForm


@pytest.fixture
def world(town, services):
    a = town.household("王大山")
    b = town.household("李二河")
    c = town.household("张三川")
    kids = {"a": town.student("王小明", a), "b": town.student("李小红", b), "c": town.student("张小军", c)}
    town.student("张不贫", c, categories=())                       # not registered-poor: not asked about
    town.student("赵辍学", town.household("赵四"), enrolment="辍学")   # not in school: not surveyed
    r = services.survey.save_round(RoundForm(None, "2020年春季停课不停学排查", dt.date(2020, 2, 17)))
    return {"a": a, "b": b, "c": c, "kids": kids, "round": r}


def form(w, hid, **kw) -> CheckForm:
    base = {"check_date": dt.date(2020, 2, 20), "unannounced": False}
    base.update(kw)
    return CheckForm(None, w["round"].id, hid, **base)


def test_the_round_lists_every_registered_poor_household_in_school(services, world):
    rows = services.survey.households()
    assert {r.household_id for r in rows} == {world["a"], world["b"], world["c"]}
    assert all(r.status == rules.NOT_CHECKED for r in rows)
    c = next(r for r in rows if r.household_id == world["c"])
    assert c.children == "张小军"


def test_unknown_answers_stay_blank(services, sf, world):
    f = services.survey.check_form(None, world["a"])
    assert [k.name for k in f.children] == ["王小明"]
    f.check_date, f.has_phone = dt.date(2020, 2, 20), True
    f.children[0].can_attend = True
    services.survey.save_check(f)
    with sf() as s:
        c = s.scalar(select(SurveyCheck))
        child = s.scalar(select(SurveyChild))
    assert c.has_phone is True and c.has_tv is None and c.net_cable is None
    assert child.can_attend is True and child.knows_how is None


def test_failing_household_listed_until_fixed(services, world):
    svc = services.survey
    svc.save_check(form(world, world["a"], has_tv=True))
    row = svc.save_check(form(world, world["b"], has_tv=False, has_phone=False))
    assert row.status == rules.FAILING
    f = svc.check_form(None, world["b"])
    f.problems = [ProblemForm(None, "无终端", "家中无电视无手机")]
    svc.save_check(f)
    assert [r.household_id for r in svc.failing()] == [world["b"]]
    f = svc.check_form(None, world["b"])
    f.problems[0].fix, f.problems[0].how, f.problems[0].paid_by = "电视机", "购买", "县教育局"
    f.problems[0].solved_on = dt.date(2020, 2, 25)
    assert svc.save_check(f).status == rules.FIXED
    assert svc.failing() == []
    assert [r.household_id for r in svc.not_surveyed()] == [world["c"]]


def test_report_in_the_seeds_form(services, world):
    svc = services.survey
    svc.save_check(form(world, world["a"], has_phone=True, unannounced=True, problems=[
        ProblemForm(None, "流量费", fix="流量（学生）", how="赠送", quantity=2, paid_by="中国移动",
                    solved_on=dt.date(2020, 2, 21))]))
    svc.save_check(form(world, world["b"], has_tv=False, has_phone=False, problems=[
        ProblemForm(None, "无终端", fix="电视机", how="购买", paid_by="县教育局", solved_on=dt.date(2020, 2, 22)),
        ProblemForm(None, "信号差", fix="天线", how="免费安装", quantity=1, paid_by="乡镇", solved_on=dt.date(2020, 2, 22)),
        ProblemForm(None, "无宽带", fix="网络电视", how="免费安装", paid_by="广电", solved_on=dt.date(2020, 2, 23))]))
    svc.save_check(form(world, world["c"], has_tv=None, has_phone=None, problems=[ProblemForm(None, "无终端")]))
    rep = svc.report()
    assert (rep.population, rep.surveyed, rep.unannounced, rep.passed) == (3, 3, 1, 1)
    assert (rep.fixed, rep.failing, rep.not_surveyed, rep.open_problems) == (1, 1, 0, 1)
    assert rep.problems == {"无终端": 2, "信号差": 1, "无宽带": 1, "流量费": 1}
    assert rep.fixes_text() == "电视机 1 台 / 手机 0 部 / 天线 1 个 / 网络电视 1 户 / 流量 学生 2 名 教师 0 名"
    assert [r.household_id for r in rep.failing_rows] == [world["c"]]


def test_bad_checks_are_refused_with_every_problem(services, world):
    f = form(world, world["a"], check_date=dt.date(2099, 1, 1), has_tv="有",
             problems=[ProblemForm(None, "无终端", solved_on=dt.date(2020, 3, 1))])
    with pytest.raises(ValidationError) as e:
        services.survey.save_check(f)
    assert set(e.value.problems) == {"check_date", "has_tv", "problems"}
    assert "解决措施" in e.value.problems["problems"]
    with pytest.raises(ValidationError):
        services.survey.save_check(form(world, world["a"], problems=[
            ProblemForm(None, "无终端", fix="电视机", solved_on=dt.date(2020, 2, 1))]))   # before the check


def test_rounds_named_once_and_kept_while_they_have_checks(services, world):
    with pytest.raises(ValidationError):
        services.survey.save_round(RoundForm(None, "2020年春季停课不停学排查", dt.date(2020, 3, 1)))
    with pytest.raises(ValidationError):
        services.survey.save_round(RoundForm(None, "秋季", dt.date(2020, 9, 1), dt.date(2020, 8, 1)))
    services.survey.save_check(form(world, world["a"], has_tv=True))
    with pytest.raises(LedgerError):
        services.survey.delete_round(world["round"].id)
    with pytest.raises(NotFound):
        services.survey.report("没有这一轮")


def test_every_change_is_audited(services, sf, world):
    row = services.survey.save_check(form(world, world["a"], has_tv=True))
    services.survey.delete_check(row.check_id)
    with sf() as s:
        entries = [(a.action, a.entity) for a in s.scalars(select(AuditLog).where(AuditLog.entity.like("survey%")))]
        snap = s.scalar(select(AuditLog.before).where(AuditLog.action == "delete", AuditLog.entity == "survey_check"))
    assert entries == [("create", "survey_round"), ("create", "survey_check"), ("delete", "survey_check")]
    assert json.loads(snap)["has_tv"] is True
