"""The editable standards table: seeded once with Anhui's defaults, validated on save."""
import pytest
from sqlalchemy import delete

from db.aid.dto import StandardRow
from db.errors import ValidationError
from db.models.aid import AidStandard
from db.terms import parse_term


def test_seeded_once_with_the_domain_figures(svc, sf):
    rows = svc.list_standards()
    assert all(r.is_default for r in rows)
    find = {(r.programme, r.stage, r.from_term): r for r in rows}
    assert find[("寄宿生生活补助", "初中", "2011秋")].yearly_fen == 125000
    assert find[("寄宿生生活补助", "初中", "2011秋")].scope == "needy"
    assert find[("非寄宿生生活补助", "小学", "2019秋")].scope == "registered,groups"
    assert find[("非寄宿生生活补助", "小学", "2019秋")].categories == "残疾学生,农村低保,特困供养"
    assert find[("中职免学费", "中职", "")].scope == "needy,agri,rural"
    assert all(r.waiver and not r.cash for r in rows if "免学" in r.programme)
    assert find[("非寄宿生生活补助", "小学", "2019秋")].yearly_fen == 50000
    assert find[("寄宿生生活补助", "小学", "2024春")].yearly_fen == 125000
    assert find[("非寄宿生生活补助", "初中", "2024春")].yearly_fen == 75000
    assert find[("普通高中国家助学金", "普通高中", "")].tiers == [100000, 200000, 300000]
    assert find[("中职国家助学金", "中职", "")].grades == "中职一年级,中职二年级"
    assert find[("普通高中免学杂费", "普通高中", "")].needs_amount
    assert not any(r.cash for r in rows if r.programme == "营养改善计划")
    with sf.begin() as s:                       # deleting them all does not bring the defaults back
        s.execute(delete(AidStandard))
    assert svc.list_standards() == []


def test_validation_collects_every_problem(svc):
    bad = StandardRow(programme=" ", stage="大学", from_term="2024秋", to_term="2020春", categories="富裕",
                      residence="住校", yearly_fen=-1, tiers=[300000, 100000], spring_share=120)
    with pytest.raises(ValidationError) as e:
        svc.save_standard(bad)
    assert {"programme", "stage", "categories", "residence", "yearly_fen", "tiers", "spring_share"} <= set(e.value.problems)
    bad = StandardRow(programme="x", stage="中职", from_term="2024秋", to_term="2020春", grades="高一")
    with pytest.raises(ValidationError) as e:
        svc.save_standard(bad)
    assert set(e.value.problems) == {"to_term", "grades"}
    bad = StandardRow(programme="x", stage="初中", scope="groups,rich", cash=True, waiver=True)
    with pytest.raises(ValidationError) as e:
        svc.save_standard(bad)
    assert set(e.value.problems) == {"scope", "waiver", "categories"}
    with pytest.raises(ValidationError) as e:
        svc.save_standard(StandardRow(programme="x", stage="初中", scope="groups"))
    assert set(e.value.problems) == {"categories"}


def test_spring_share_and_deactivation(svc, make_student):
    sid = make_student(stage="学前", residence=None, categories=("孤儿",))
    std = next(r for r in svc.list_standards() if r.programme == "家庭经济困难幼儿资助")
    std.yearly_fen, std.spring_share = 100001, 40          # odd fen: the year still adds up
    svc.save_standard(std)
    spring = svc.entitlements("2021春", [sid])[0].amount_fen
    autumn = svc.entitlements("2020秋", [sid])[0].amount_fen
    assert (spring, spring + autumn) == (40000, 100001)
    svc.set_standard_active(std.id, False)
    assert svc.entitlements("2020秋", [sid]) == []
    none = {n.student_id: n for n in svc.students_without_entitlement("2020秋")}
    assert "没有适用于学前的资助标准" in none[sid].reason


def test_deadline_on_29_february_in_a_common_year():
    assert parse_term("2021春").deadline("02-29").day == 28
    assert parse_term("2024春").deadline("02-29").day == 29
