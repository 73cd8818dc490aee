"""Who gets what, one test per rule of the policy (DOMAIN.md "Aid", issue 9), each with a child who is
in and a child who is out."""
import pytest

from db.aid.dto import AidSettings, StandardRow


def by_programme(svc, term, sid, cash_only=False):
    return {e.programme: e for e in svc.entitlements(term, [sid], cash_only=cash_only)}


def left_out(svc, term="2020秋"):
    return {n.student_id: n for n in svc.students_without_entitlement(term)}


def test_the_basis_names_the_rule(svc, make_student):
    sid = make_student(stage="初中", residence="寄宿", categories=("其他困难",), level="特别困难")
    e = by_programme(svc, "2020秋", sid)["寄宿生生活补助"]
    assert e.amount_fen == 62500
    assert e.reason == "初中 寄宿 特别困难（2020学年认定） → 寄宿生生活补助 625.00 元"
    day = make_student(stage="初中", residence="走读", categories=("建档立卡",), level=None)
    assert by_programme(svc, "2020秋", day)["非寄宿生生活补助"].reason == \
        "初中 走读 建档立卡 → 非寄宿生生活补助 312.50 元"


def test_the_assessment_decides_not_the_category(svc, make_student):
    """认定 decides: a 学前 or 中职 child rated 不困难 gets no needs-based aid, whatever the category."""
    needy = make_student(stage="学前", residence=None, categories=("其他困难",), level="困难")
    rich = make_student(stage="学前", residence=None, categories=("其他困难",), level="不困难")
    voc = make_student(stage="中职", categories=("其他困难",), level="不困难", hukou="非农业")
    assert by_programme(svc, "2020秋", needy)["家庭经济困难幼儿资助"].amount_fen == 40000
    assert by_programme(svc, "2020秋", rich) == {} and by_programme(svc, "2020秋", voc) == {}
    out = left_out(svc)
    assert out[rich].kind == "无资助" and out[rich].reason.startswith("不困难（2020学年认定）")
    assert out[voc].kind == "无资助" and "不困难" in out[voc].reason
    assert needy not in out


def test_a_term_uses_the_assessment_of_its_school_year(svc, make_student):
    sid = make_student(stage="初中", residence="寄宿", categories=("其他困难",), level="困难", years=(2019,))
    assert "寄宿生生活补助" in by_programme(svc, "2020春", sid)          # 2020春 is in the 2019-2020 school year
    assert by_programme(svc, "2020秋", sid) == {}                       # autumn starts 2020-2021: not assessed
    assert left_out(svc, "2020秋")[sid].kind == "未认定"


def test_registered_poor_count_as_special_without_an_assessment(svc, make_student):
    poor = make_student(stage="普通高中", categories=("建档立卡",), level=None)
    other = make_student(stage="普通高中", categories=("其他困难",), level=None)
    got = by_programme(svc, "2020秋", poor)
    assert got["普通高中国家助学金"].amount_fen == 150000 and "最高档" in got["普通高中国家助学金"].reason
    assert by_programme(svc, "2020秋", other) == {}


def test_unassessed_students_are_listed_not_placed(svc, make_student):
    unassessed = make_student(stage="初中", residence="寄宿", categories=("残疾人子女",), level=None)
    assessed = make_student(stage="初中", residence="寄宿", categories=("残疾人子女",), level="一般困难")
    svc.plan("2020秋")
    assert {r.student_id for r in svc.lines("2020秋")} == {assessed}
    n = left_out(svc)[unassessed]
    assert n.kind == "未认定" and "2020学年未认定" in n.reason


def test_presumed_groups_without_a_level_wait_or_count_as_special_by_setting(svc, make_student):
    """低保/特困/孤儿/残疾 without a level: 认定信息不全 (out of the batch) — never the lowest tier;
    or, by the school's setting, 特别困难."""
    dibao = make_student(stage="普通高中", categories=("农村低保",), level=None)
    mid = make_student(stage="普通高中", categories=("农村低保",), level="困难")
    svc.plan("2020秋")
    assert {r.student_id for r in svc.lines("2020秋") if r.programme == "普通高中国家助学金"} == {mid}
    n = left_out(svc)[dibao]
    assert n.kind == "认定信息不全" and "农村低保" in n.reason
    svc.save_aid_settings(AidSettings(presumed_special=True))
    e = by_programme(svc, "2020秋", dibao)["普通高中国家助学金"]
    assert e.amount_fen == 150000 and "按设置视同特别困难" in e.reason
    assert by_programme(svc, "2020秋", mid)["普通高中国家助学金"].amount_fen == 100000


def test_boarding_allowance_for_every_needy_boarder(svc, make_student):
    special = make_student(stage="初中", residence="寄宿", categories=("其他困难",), level="特别困难")
    general = make_student(stage="小学", residence="寄宿", categories=(), level="一般困难")
    not_needy = make_student(stage="初中", residence="寄宿", categories=("农村低保",), level="不困难")
    assert by_programme(svc, "2020秋", special, True)["寄宿生生活补助"].amount_fen == 62500
    assert by_programme(svc, "2020秋", general, True)["寄宿生生活补助"].amount_fen == 50000
    assert by_programme(svc, "2020秋", not_needy) == {}


@pytest.mark.parametrize(("cats", "level", "hukou", "gets"), [
    (("建档立卡",), None, None, True),
    (("残疾学生",), "困难", None, True),
    (("农村低保",), "一般困难", None, True),
    (("特困供养",), "困难", "农业", True),
    (("城市低保",), "困难", None, False),
    (("孤儿",), "特别困难", None, False),
    (("特困供养",), "困难", "非农业", False),        # 城市特困: not 农村特困供养
    (("残疾学生",), "不困难", None, False),          # "残疾学生" means a needy disabled student
    (("其他困难",), "特别困难", None, False),
])
def test_day_allowance_only_for_the_four_groups(svc, make_student, cats, level, hukou, gets):
    sid = make_student(stage="小学", residence="走读", categories=cats, level=level, hukou=hukou)
    got = by_programme(svc, "2020秋", sid, cash_only=True)
    assert ("非寄宿生生活补助" in got) is gets, got
    if gets:
        assert got["非寄宿生生活补助"].amount_fen == 25000


def test_senior_fee_waiver_only_for_the_four_groups(svc, make_student):
    poor = make_student(stage="普通高中", categories=("建档立卡",), level=None)
    dibao = make_student(stage="普通高中", categories=("农村低保",), level="困难")
    urban = make_student(stage="普通高中", categories=("城市低保",), level="困难")
    orphan = make_student(stage="普通高中", categories=("孤儿",), level="特别困难")
    for sid in (poor, dibao):
        w = by_programme(svc, "2020秋", sid)["普通高中免学杂费"]
        assert w.waiver and not w.cash and "减免" in w.reason
    for sid in (urban, orphan):
        assert set(by_programme(svc, "2020秋", sid)) == {"普通高中国家助学金"}
    assert by_programme(svc, "2020秋", urban)["普通高中国家助学金"].amount_fen == 100000   # 困难: middle tier


def test_vocational_grant_for_needy_and_agri_students_years_one_and_two(svc, make_student):
    needy = make_student(stage="中职", grade="中职一年级", categories=(), level="困难", hukou="非农业")
    agri = make_student(stage="中职", grade="中职二年级", categories=(), level="不困难", hukou="非农业",
                        major="现代农艺技术", agri_major=True)
    neither = make_student(stage="中职", grade="中职二年级", categories=(), level="不困难", hukou="非农业",
                           major="计算机应用", agri_major=False)
    third = make_student(stage="中职", grade="中职三年级", categories=(), level="特别困难", hukou="非农业")
    assert by_programme(svc, "2020秋", needy)["中职国家助学金"].amount_fen == 100000
    assert "涉农专业" in by_programme(svc, "2020秋", agri)["中职国家助学金"].reason
    assert by_programme(svc, "2020秋", neither) == {}
    assert set(by_programme(svc, "2020秋", third)) == {"中职免学费"}


def test_vocational_fee_waiver_for_rural_agri_and_needy_not_everyone(svc, make_student):
    rural = make_student(stage="中职", grade="中职三年级", categories=(), level="不困难", hukou="农业")
    agri = make_student(stage="中职", grade="中职三年级", categories=(), level="不困难", hukou="非农业",
                        agri_major=True)
    needy = make_student(stage="中职", grade="中职三年级", categories=(), level="一般困难", hukou="非农业")
    urban = make_student(stage="中职", grade="中职三年级", categories=(), level="不困难", hukou="非农业",
                         agri_major=False)
    for sid, why in ((rural, "农业户籍"), (agri, "涉农专业"), (needy, "一般困难")):
        e = by_programme(svc, "2020秋", sid)["中职免学费"]
        assert e.waiver and why in e.reason
    assert by_programme(svc, "2020秋", urban) == {}


def test_monitored_households_are_not_registered_poor(svc, make_student):
    monitored = make_student(stage="普通高中", categories=("监测对象",), level="困难")
    poor = make_student(stage="普通高中", categories=("建档立卡",), level=None)
    got = by_programme(svc, "2020秋", monitored)
    assert set(got) == {"普通高中国家助学金"} and "中间档" in got["普通高中国家助学金"].reason
    assert "最高档" in by_programme(svc, "2020秋", poor)["普通高中国家助学金"].reason
    day = make_student(stage="初中", residence="走读", categories=("监测对象",), level="特别困难")
    assert by_programme(svc, "2020秋", day) == {}                    # not one of the four groups


def test_nutrition_only_in_pilot_schools_and_never_cash(svc, make_student):
    sid = make_student(stage="小学", residence="寄宿", categories=(), level="困难", years=(2021,))
    assert "营养改善计划" not in by_programme(svc, "2021秋", sid)
    svc.save_aid_settings(AidSettings(nutrition_pilot=True, nutrition_county="利辛县"))
    meal = by_programme(svc, "2021秋", sid)["营养改善计划"]
    assert meal.cash is False and meal.amount_fen == 50000 and "不发放现金" in meal.reason
    svc.save_aid_settings(AidSettings(nutrition_pilot=True, nutrition_county="利辛县", nutrition_daily_fen="6"))
    assert by_programme(svc, "2021秋", sid)["营养改善计划"].amount_fen == 60000
    svc.plan("2021秋")
    assert {r.programme for r in svc.lines("2021秋")} == {"寄宿生生活补助"}


def test_periods_boarding_since_2011_day_allowance_since_2019_new_figures_2024(svc, make_student):
    board = make_student(stage="初中", residence="寄宿", categories=("孤儿",), level="困难",
                         years=(2010, 2011, 2019, 2023))
    day = make_student(stage="小学", residence="走读", categories=("建档立卡",), level=None)
    assert by_programme(svc, "2011秋", board)["寄宿生生活补助"].amount_fen == 62500
    assert by_programme(svc, "2011春", board) == {}
    assert by_programme(svc, "2023秋", board)["寄宿生生活补助"].amount_fen == 62500
    assert by_programme(svc, "2024春", board)["寄宿生生活补助"].amount_fen == 75000
    assert "非寄宿生生活补助" not in by_programme(svc, "2019春", day)
    assert by_programme(svc, "2019秋", day)["非寄宿生生活补助"].amount_fen == 25000
    assert by_programme(svc, "2024秋", day)["非寄宿生生活补助"].amount_fen == 31250


def test_students_studying_elsewhere_are_not_paid_here(svc, make_student):
    away = make_student(stage="初中", residence="寄宿", enrolment="在外就读", study_location="省外")
    city = make_student(stage="初中", residence="寄宿", enrolment="在外就读", study_location="市内县外")
    here = make_student(stage="初中", residence="寄宿", enrolment="在校", study_location="本校")
    out = make_student(stage="初中", residence="寄宿", enrolment="辍学")
    assert svc.entitlements("2020秋", [away, city, out]) == []
    assert by_programme(svc, "2020秋", here)["寄宿生生活补助"].amount_fen == 62500
    none = left_out(svc)
    assert none[away].reason.startswith("在外就读 省外") and "发函" in none[away].reason
    assert "市级系统" in none[city].reason and "辍学" in none[out].reason


def test_incomplete_students_are_listed_with_the_reason(svc, make_student):
    no_stage = make_student(stage=None, residence=None)
    no_res = make_student(stage="小学", residence=None, categories=("农村低保",))
    nothing = make_student(stage="初中", residence="走读", categories=(), level=None)
    ok = make_student(stage="初中", residence="走读")
    none = left_out(svc)
    assert none[no_stage].kind == "信息不全" and "学段" in none[no_stage].reason
    assert none[no_res].kind == "信息不全" and "寄宿/走读" in none[no_res].reason
    assert none[nothing].kind == "无资助" and "资助对象类别" in none[nothing].reason
    assert ok not in none
    assert list(none)[:2] == [no_stage, no_res]             # the undecidable come first


def test_programmes_stack_and_tiers_follow_the_level(svc, make_student):
    poor = make_student(stage="普通高中", categories=("建档立卡", "农村低保"), level="一般困难")
    low = make_student(stage="普通高中", categories=("其他困难",), level="一般困难")
    got = by_programme(svc, "2020秋", poor)
    assert set(got) == {"普通高中国家助学金", "普通高中免学杂费"}
    assert got["普通高中免学杂费"].needs_amount and got["普通高中免学杂费"].amount_fen == 0
    assert by_programme(svc, "2020秋", low)["普通高中国家助学金"].amount_fen == 50000


def test_nobody_is_counted_twice_even_with_overlapping_standards(svc, make_student):
    sid = make_student(stage="初中", residence="寄宿")
    svc.save_standard(StandardRow(programme="寄宿生生活补助", stage="初中", from_term="2020秋", to_term="",
                                  scope="needy", residence="寄宿", yearly_fen=200000))
    got = [e for e in svc.entitlements("2020秋", [sid]) if e.programme == "寄宿生生活补助"]
    assert len(got) == 1 and got[0].amount_fen == 100000      # the newer standard wins, once
    r1 = svc.plan("2020秋")
    r2 = svc.plan("2020秋")
    assert r1.lines == r2.lines and r2.added == 0
    assert [r.programme for r in svc.lines("2020秋")].count("寄宿生生活补助") == 1
