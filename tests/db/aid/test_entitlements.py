"""Who gets what: rules per programme, stage, residence and category; stacking; highest tier."""
from db.aid.dto import StandardRow


def by_programme(svc, term, sid, cash_only=False):
    return {e.programme: e for e in svc.entitlements(term, [sid], cash_only=cash_only)}


def test_the_reason_reads_like_the_ledger(svc, make_student):
    sid = make_student(stage="初中", residence="走读", categories=("建档立卡",))
    e = by_programme(svc, "2020秋", sid)["非寄宿生生活补助"]
    assert e.amount_fen == 31250
    assert e.reason == "初中 走读 建档立卡 → 非寄宿生生活补助 312.50 元"


def test_compulsory_living_allowance_by_stage_and_residence(svc, make_student):
    cases = {("小学", "寄宿"): ("寄宿生生活补助", 50000), ("初中", "寄宿"): ("寄宿生生活补助", 62500),
             ("小学", "走读"): ("非寄宿生生活补助", 25000), ("初中", "走读"): ("非寄宿生生活补助", 31250)}
    for (stage, res), (prog, fen) in cases.items():
        sid = make_student(stage=stage, residence=res, categories=("农村低保",))
        got = by_programme(svc, "2021春", sid, cash_only=True)
        assert list(got) == [prog] and got[prog].amount_fen == fen, (stage, res, got)


def test_the_2024_standards_apply_from_2024(svc, make_student):
    board = make_student(stage="初中", residence="寄宿", categories=("孤儿",))
    day = make_student(stage="小学", residence="走读", categories=("特困供养",))
    assert by_programme(svc, "2023秋", board)["寄宿生生活补助"].amount_fen == 62500
    assert by_programme(svc, "2024春", board)["寄宿生生活补助"].amount_fen == 75000
    assert by_programme(svc, "2023秋", day)["非寄宿生生活补助"].amount_fen == 25000
    assert by_programme(svc, "2024秋", day)["非寄宿生生活补助"].amount_fen == 31250
    # the day-student allowance only started in autumn 2019
    assert "非寄宿生生活补助" not in by_programme(svc, "2019春", day)


def test_categories_outside_the_list_get_no_living_allowance(svc, make_student):
    sid = make_student(stage="小学", residence="寄宿", categories=("其他困难",))
    assert by_programme(svc, "2020秋", sid, cash_only=True) == {}
    none = {n.student_id: n for n in svc.students_without_entitlement("2020秋")}
    assert none[sid].kind == "无资助" and "其他困难" in none[sid].reason


def test_preschool_any_category(svc, make_student):
    sid = make_student(stage="学前", residence=None, categories=("其他困难",))
    e = by_programme(svc, "2020秋", sid)["家庭经济困难幼儿资助"]
    assert e.amount_fen == 40000 and e.reason == "学前 其他困难 → 家庭经济困难幼儿资助 400.00 元"


def test_programmes_stack_and_registered_poor_get_the_highest_tier(svc, make_student):
    poor = make_student(stage="普通高中", categories=("建档立卡", "农村低保"), level="一般困难")
    other = make_student(stage="普通高中", categories=("其他困难",), level="一般困难")
    mid = make_student(stage="普通高中", categories=("其他困难",), level="困难")
    got = by_programme(svc, "2020秋", poor)
    assert set(got) == {"普通高中国家助学金", "普通高中免学杂费"}
    assert got["普通高中国家助学金"].amount_fen == 150000          # 3,000 / year, half a term
    assert "最高档" in got["普通高中国家助学金"].reason
    assert got["普通高中免学杂费"].needs_amount and got["普通高中免学杂费"].amount_fen == 0
    assert set(by_programme(svc, "2020秋", other)) == {"普通高中国家助学金"}      # 其他困难: no fee waiver
    assert by_programme(svc, "2020秋", other)["普通高中国家助学金"].amount_fen == 50000
    assert by_programme(svc, "2020秋", mid)["普通高中国家助学金"].amount_fen == 100000


def test_vocational_grants_only_years_one_and_two(svc, make_student):
    y1 = make_student(stage="中职", grade="中职一年级", categories=("残疾学生",))
    y3 = make_student(stage="中职", grade="中职三年级", categories=("残疾学生",))
    plain = make_student(stage="中职", grade="中职二年级", categories=())
    assert set(by_programme(svc, "2020秋", y1)) == {"中职国家助学金", "中职免学费"}
    assert by_programme(svc, "2020秋", y1)["中职国家助学金"].amount_fen == 100000
    assert set(by_programme(svc, "2020秋", y3)) == {"中职免学费"}
    assert set(by_programme(svc, "2020秋", plain)) == {"中职免学费"}      # all full-time students


def test_nutrition_is_listed_but_never_cash(svc, make_student):
    sid = make_student(stage="小学", residence="寄宿", categories=("建档立卡",))
    got = by_programme(svc, "2021秋", sid)
    assert got["营养改善计划"].cash is False and got["营养改善计划"].amount_fen == 50000
    assert "不发放现金" in got["营养改善计划"].reason
    svc.plan("2021秋")
    assert {r.programme for r in svc.lines("2021秋")} == {"寄宿生生活补助"}


def test_only_students_in_school_qualify(svc, make_student):
    away = make_student(stage="初中", residence="寄宿", enrolment="在外就读")
    out = make_student(stage="初中", residence="寄宿", enrolment="辍学")
    assert svc.entitlements("2020秋", [away, out]) == []
    none = {n.student_id: n for n in svc.students_without_entitlement("2020秋")}
    assert "就读学校" in none[away].reason and "辍学" in none[out].reason


def test_incomplete_students_are_listed_with_the_reason(svc, make_student):
    no_stage = make_student(stage=None, residence=None)
    no_res = make_student(stage="小学", residence=None, categories=("农村低保",))
    no_cat = make_student(stage="初中", residence="走读", categories=())
    ok = make_student(stage="初中", residence="走读")
    none = {n.student_id: n for n in svc.students_without_entitlement("2020秋")}
    assert none[no_stage].kind == "信息不全" and "学段" in none[no_stage].reason
    assert none[no_res].kind == "信息不全" and "寄宿/走读" in none[no_res].reason
    assert none[no_cat].kind == "无资助" and "类别" in none[no_cat].reason
    assert ok not in none
    assert list(none)[:2] == [no_stage, no_res]             # the undecidable come first


def test_nobody_is_counted_twice_even_with_overlapping_standards(svc, make_student, sf):
    sid = make_student(stage="初中", residence="寄宿")
    svc.save_standard(StandardRow(programme="寄宿生生活补助", stage="初中", from_term="2020秋", to_term="",
                                  categories="建档立卡", residence="寄宿", yearly_fen=200000))
    got = [e for e in svc.entitlements("2020秋", [sid]) if e.programme == "寄宿生生活补助"]
    assert len(got) == 1 and got[0].amount_fen == 100000      # the newer standard wins, once
    r1 = svc.plan("2020秋")
    r2 = svc.plan("2020秋")
    assert r1.lines == r2.lines and r2.added == 0
    assert [r.programme for r in svc.lines("2020秋")].count("寄宿生生活补助") == 1
