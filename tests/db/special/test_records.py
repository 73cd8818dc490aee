"""Assessments, placement history, plans, 送教上门 visits due and missed, the 免于学习名册, alerts,
the report and the family page's section."""
from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from db.errors import ValidationError
from db.special.dto import AssessmentForm, ExemptionForm, GoalLine, HomeVisitForm, PlacementForm, PlanForm
from tests.db.special.conftest import TODAY, new_child


def place(svc, fid, placement, since, **kw):
    return svc.save_placement(PlacementForm(file_id=fid, placement=placement, since=since,
                                            decided_by="县残疾人教育专家委员会", **kw))


def visit(svc, fid, day, **kw):
    base = dict(file_id=fid, visit_date=day, teacher1="张红梅", teacher2="李建华", content="认知训练")
    base.update(kw)
    return svc.save_home_visit(HomeVisitForm(**base))


def test_assessments_over_the_years(svc, file_id):
    with pytest.raises(ValidationError) as e:
        svc.save_assessment(AssessmentForm(file_id=file_id, assessed_on="2020-12-01", recommended="上学",
                                           next_review="2020-01-01"))
    assert set(e.value.problems) == {"assessed_on", "recommended", "conclusion", "next_review"}
    a1 = svc.save_assessment(AssessmentForm(file_id=file_id, assessed_on="2019-08-20", conclusion="暂缓入学",
                                            recommended="延缓入学", next_review="2020-08-20"))
    a2 = svc.save_assessment(AssessmentForm(file_id=file_id, assessed_on=dt.date(2020, 8, 25), members="王、刘",
                                            conclusion="可随班就读", recommended="普通学校随班就读",
                                            guardian_opinion="同意", guardian_signed_on="2020-08-28"))
    assert [a.id for a in svc.assessments(file_id)] == [a2.id, a1.id]
    svc.delete_assessment(a1.id)
    assert [a.id for a in svc.assessments(file_id)] == [a2.id]


def test_the_placement_now_is_the_newest_decision(svc, file_id):
    first = place(svc, file_id, "延缓入学", "2019-09-01")
    assert svc.get_file(file_id).placement == "延缓入学"
    second = place(svc, file_id, "送教上门", "2020-09-01", reason="评估后送教")
    f = svc.get_file(file_id)
    assert (f.placement, f.placement_since) == ("送教上门", dt.date(2020, 9, 1))
    assert [p.id for p in svc.placements(file_id)] == [second.id, first.id]
    svc.save_placement(dataclasses.replace(second, since="2019-06-01"))      # a correction: now the older one
    assert svc.get_file(file_id).placement == "延缓入学"
    svc.delete_placement(first.id)
    svc.delete_placement(second.id)
    assert svc.get_file(file_id).placement == "待安置"
    with pytest.raises(ValidationError) as e:
        svc.save_placement(PlacementForm(file_id=file_id, placement="在家", since=""))
    assert set(e.value.problems) == {"placement", "since", "decided_by"}


def test_a_plan_per_term_with_goals_by_area(svc, file_id):
    goals = [GoalLine("生活自理", "独立用勺吃饭", "每日练习", "张老师"),
             GoalLine("语言沟通", "说短句", "图片沟通", "李老师")]
    plan = svc.save_plan(PlanForm(file_id=file_id, term="2020秋", made_on="2020-09-15", teachers="张老师、李老师",
                                  review_on="2021-01-10", goals=[*goals, GoalLine()]))
    assert plan.term == "2020秋" and [g.area for g in plan.goals] == ["生活自理", "语言沟通"]
    plan.goals[0].result = "已达成"
    plan.reviewed_on, plan.review_notes = "2020-11-19", "进步明显"
    assert svc.save_plan(plan).goals[0].result == "已达成"
    with pytest.raises(ValidationError, match="已有个别化教育方案"):
        svc.save_plan(PlanForm(file_id=file_id, term="2020年秋季学期", made_on="2020-09-16", teachers="张",
                               goals=goals))
    with pytest.raises(ValidationError) as e:
        svc.save_plan(PlanForm(file_id=file_id, term="2021春", made_on="2021-03-01",
                               goals=[GoalLine("跳舞", "x")]))
    assert set(e.value.problems) == {"made_on", "goals", "teachers"}


def test_visits_due_and_missed_in_the_term(svc, file_id):
    place(svc, file_id, "送教上门", "2020-09-01")
    for day in ("2020-09-08", "2020-09-15", "2020-10-20", "2020-11-10"):
        visit(svc, file_id, day)
    visit(svc, file_id, "2020-06-10")                                # last term: not counted
    (due,) = svc.home_teaching_due(TODAY)
    # 1 Sept to 20 Nov is 80 days: 11 weekly visits expected; 4 done
    assert (due.done, due.expected, due.missed, due.minutes) == (4, 11, 7, 240)
    assert due.last_visit == dt.date(2020, 11, 10) and due.next_due == dt.date(2020, 11, 17) and due.overdue_days == 3
    svc.set_visit_settings(14, 45)
    (due,) = svc.home_teaching_due(TODAY)
    assert (due.expected, due.overdue_days, due.next_due) == (5, 0, dt.date(2020, 11, 24))
    assert visit(svc, file_id, "2020-11-19").minutes == 45                   # the setting's usual duration
    assert len(svc.home_visits(file_id, "2020秋")) == 5 and len(svc.home_visits(file_id)) == 6


def test_a_visit_needs_two_teachers_and_content(svc, file_id):
    with pytest.raises(ValidationError) as e:
        visit(svc, file_id, "2020-11-21", teacher2="", content="")
    assert set(e.value.problems) == {"visit_date", "teacher2", "content"}
    with pytest.raises(ValidationError, match="同一人"):
        visit(svc, file_id, "2020-11-20", teacher2="张红梅")


def test_no_visit_is_due_in_the_holidays(svc, file_id):
    place(svc, file_id, "送教上门", "2020-09-01")
    (due,) = svc.home_teaching_due(dt.date(2021, 2, 10))
    assert due.overdue_days == 0 and due.expected == 0


def test_the_exemption_roll_of_a_school_year(svc, file_id):
    with pytest.raises(ValidationError) as e:
        svc.save_exemption(ExemptionForm(file_id=file_id, school_year="2020", applied_on="2020-08-20",
                                         approved_on="2020-08-01"))
    assert set(e.value.problems) == {"hospital", "approved_by", "approved_on"}
    x = svc.save_exemption(ExemptionForm(file_id=file_id, school_year="2020—2021", hospital="县人民医院",
                                         diagnosis="重度智力障碍", diagnosed_on="2020-06-18", applied_on="2020-08-20",
                                         approved_by="县教育局", approved_on="2020-08-30"))
    assert x.school_year == "2020-2021" and x.review_due == dt.date(2021, 8, 31)
    with pytest.raises(ValidationError, match="已登记 2020-2021 学年"):
        svc.save_exemption(dataclasses.replace(x, id=None))
    (row,) = svc.exemption_roll("2020-2021")
    assert (row.name, row.hospital, row.category) == (svc.get_file(file_id).name, "县人民医院", "智力")
    assert svc.exemption_roll("2021-2022") == []


def test_alerts_for_the_home_page(svc, file_id):
    other = svc.save_file(new_child()).id
    place(svc, file_id, "免于学习", "2020-09-01")
    svc.save_assessment(AssessmentForm(file_id=file_id, assessed_on="2020-08-20", conclusion="免于学习",
                                       recommended="免于学习", next_review="2020-11-01"))
    kinds = {(a.file_id, a.kind) for a in svc.alerts(TODAY)}
    assert kinds == {(other, "待安置"), (file_id, "复评"), (file_id, "免于学习未登记")}
    svc.save_exemption(ExemptionForm(file_id=file_id, school_year="2020-2021", hospital="县医院", diagnosis="重度",
                                     approved_by="县教育局"))
    place(svc, other, "送教上门", "2020-11-01")
    kinds = {(a.file_id, a.kind) for a in svc.alerts(TODAY)}
    assert kinds == {(other, "送教逾期"), (file_id, "复评")}


def test_the_report_counts_by_category_and_placement(svc, file_id):
    other = svc.save_file(new_child()).id
    place(svc, other, "送教上门", "2020-09-01")
    place(svc, file_id, "资源教室", "2020-09-01")
    visit(svc, other, "2020-09-08")
    rep = svc.report("2020秋", today=TODAY)
    rows = {r.category: r for r in rep.rows}
    assert rows["智力"].groups["随班就读"] == 1 and rows["智力"].by_placement["资源教室"] == 1
    assert rows["多重"].groups["送教上门"] == 1 and rows["合计"].total == 2
    assert sum(rows["合计"].groups.values()) == rows["合计"].total == sum(r.total for r in rep.rows[:-1])
    assert [(v.file_id, v.done) for v in rep.visits] == [(other, 1)]


def test_the_family_page_section(svc, file_id, student):
    place(svc, file_id, "送教上门", "2020-09-01")
    visit(svc, file_id, "2020-11-19")
    (fam,) = svc.family_files([student[0]], TODAY)
    assert (fam.category, fam.placement, fam.visits_term) == ("智力", "送教上门", 1)
    assert fam.card_no.startswith(student[1][:6]) and "*" in fam.card_no
    assert svc.family_files([999999], TODAY) == []
