"""The self-inspection's rules, one by one: for each, a child who passes and a child who is a gap
(db/office/rules.py), with no database."""
from __future__ import annotations

import datetime as dt

from db.home import CASE, FILE, LETTER, Account
from db.office import rules
from db.office.rules import Child, Exit
from db.validators import id_check_char


def an_id(birth: dt.date = dt.date(2010, 3, 4), seq: int = 11, x: bool = False) -> str:
    body = f"341623{birth:%Y%m%d}{seq:03d}"
    return body + id_check_char(body)


def kid(**kw) -> Child:
    base = dict(key="s:1", name="张小明", id_number=an_id(), where="三年级2班", student_id=1, enrolment="在校")
    return Child(**(base | kw))


# ---- 1. another ledger's record --------------------------------------------------------------------
def test_a_dropout_case_accounts_for_a_child_whatever_else():
    c = kid(enrolment="辍学", accounts=(Account("dropout", CASE, "控辍保学个案（劝返中）", 1),))
    v = rules.decide(c)
    assert v.ok and v.way == "控辍保学个案" and "劝返中" in v.text


def test_a_special_needs_file_accounts_but_a_record_with_something_missing_does_not():
    placed = kid(enrolment="休学", accounts=(Account("special", FILE, "残疾儿童安置（送教上门）", 1),))
    assert rules.decide(placed).way == "残疾儿童安置"
    pending = kid(enrolment="休学", accounts=(Account("special", FILE, "待安置", 1, ok=False),))
    assert not rules.by_record(pending)
    v = rules.decide(pending)
    assert not v.ok and v.text == "学籍状态为休学，缺日期、原因；待安置"        # what would complete it is named


# ---- 2. the county list's follow-up ---------------------------------------------------------------
def test_a_listed_child_not_on_the_roll_is_accounted_for_by_a_follow_up_with_a_note():
    c = kid(key="c:5", student_id=None, enrolment="", on_list=True, follow_up="在外地就读", follow_up_note="江苏昆山某小学")
    v = rules.decide(c)
    assert v.ok and "江苏昆山某小学" in v.text


def test_a_listed_child_still_to_check_or_without_a_note_is_a_gap():
    pending = kid(key="c:5", student_id=None, enrolment="", on_list=True, follow_up="待核实")
    assert rules.decide(pending) == rules.gap("去向未核实", "名单内但不在本校：尚未核实去向（跟进状态“待核实”）")
    bare = kid(key="c:6", student_id=None, enrolment="", on_list=True, follow_up="非本校学生")
    assert rules.decide(bare).way == "去向说明缺失"


def test_a_listed_child_marked_dropped_out_needs_a_case():
    c = kid(key="c:7", student_id=None, enrolment="", on_list=True, follow_up="已辍学（转控辍保学）", follow_up_note="外出")
    assert rules.decide(c).way == "缺控辍保学个案"
    with_case = kid(key="c:7", student_id=None, enrolment="", on_list=True, follow_up="已辍学（转控辍保学）",
                    accounts=(Account("dropout", CASE, "控辍保学个案（辍学）", None, an_id()),))
    assert rules.decide(with_case).ok


# ---- 3. left the school ---------------------------------------------------------------------------
def test_a_transferred_student_with_date_reason_and_school_passes():
    c = kid(enrolment="转出", exit=Exit("转出", dt.date(2020, 9, 1), "随父母迁居", "利辛县城关小学"))
    v = rules.decide(c)
    assert v.ok and "利辛县城关小学" in v.text and "2020-09-01" in v.text


def test_a_transferred_student_without_the_record_is_a_gap_naming_what_is_missing():
    v = rules.decide(kid(enrolment="转出"))
    assert not v.ok and v.text == "学籍状态为转出，缺日期、原因、转入学校"


def test_a_record_for_another_status_is_stale():
    c = kid(enrolment="毕业", exit=Exit("转出", dt.date(2020, 9, 1), "随父母迁居", "某校"))
    assert rules.decide(c).text == "学籍状态为毕业，缺日期、原因"
    ok = kid(enrolment="毕业", exit=Exit("毕业", dt.date(2021, 9, 1), "初中毕业（学年结转）"))
    assert rules.decide(ok).ok


# ---- 4. dropped out ---------------------------------------------------------------------------------
def test_a_dropped_out_student_without_a_case_is_a_gap():
    assert rules.decide(kid(enrolment="辍学")).way == "缺控辍保学个案"
    assert rules.by_dropped(kid(enrolment="在校")) is None


# ---- 5. studying elsewhere ---------------------------------------------------------------------------
def test_out_of_province_with_a_letter_sent_passes_and_an_unsent_letter_is_a_gap():
    sent = kid(enrolment="在外就读", study_location="省外",
               accounts=(Account("letters", LETTER, "已发函 校资函〔2020〕3号（待回复）", 1),))
    assert rules.decide(sent).way == "省外已发函"
    unsent = kid(enrolment="在外就读", study_location="省外",
                 accounts=(Account("letters", LETTER, "函件 校资函〔2020〕3号 已生成但未发出", 1, ok=False),))
    assert rules.decide(unsent).way == "函件未发出"
    none = kid(enrolment="在外就读", study_location="省外")
    assert rules.decide(none).way == "省外未发函"


def test_studying_in_the_county_or_city_needs_the_receiving_school():
    named = kid(enrolment="在外就读", study_location="本县外校", study_school="城关二小")
    assert rules.decide(named).ok
    unnamed = kid(enrolment="在外就读", study_location="市内县外")
    assert rules.decide(unnamed).text == "在外就读（市内县外），未填写就读学校"
    nowhere = kid(enrolment="在外就读")
    assert rules.decide(nowhere).way == "就读地缺失"


# ---- 6. in school: aid lines or a stated reason -----------------------------------------------------
def test_in_school_with_aid_lines_passes():
    v = rules.decide(kid(lines=2))
    assert v.ok and v.text == "本学期资助 2 项"


def test_in_school_with_a_stated_reason_for_no_aid_passes():
    v = rules.decide(kid(no_aid=("无资助", "不困难（2020学年认定），不享受家庭经济困难资助")))
    assert v.ok and v.way == "不符合资助条件"


def test_in_school_not_assessed_or_with_incomplete_data_is_a_gap():
    for kind in ("未认定", "认定信息不全", "信息不全"):
        v = rules.decide(kid(no_aid=(kind, "原因")))
        assert not v.ok and v.way == kind


def test_in_school_entitled_but_not_in_the_batch_is_a_gap():
    v = rules.decide(kid(lines=0, no_aid=None))
    assert not v.ok and v.way == "应资助未列入"


def test_an_unknown_enrolment_is_a_gap():
    assert rules.decide(kid(enrolment="借读")).way == "学籍状态不明"


# ---- the other checks --------------------------------------------------------------------------------
def test_one_card_on_two_families_is_found_and_siblings_sharing_one_are_not():
    rows = [("6228480000000000001", 1, 10, "张一"), ("6228480000000000001", 1, 11, "张二"),   # siblings
            ("6228480000000000002", 2, 12, "李一"), ("6228480000000000002", 3, 13, "王一")]   # two families
    found = rules.shared_cards(rows)
    assert found == [("6228480000000000002", [(12, "李一"), (13, "王一")])]


def test_one_child_twice_in_two_spellings_is_found():
    with_x = next(n for n in (an_id(seq=s) for s in range(1000)) if n.endswith("X"))
    old_body = "341623100304123"                            # an old 15-digit number: 1910-03-04 …
    new = "34162319100304123" + id_check_char("34162319100304123")
    rows = [(1, "张小明", with_x, None), (2, "张晓明", None, "G" + with_x.lower()),     # lower-case x, in the 学籍号
            (3, "李四", an_id(seq=124), None),
            (4, "旧号", old_body, None), (5, "新号", new, None)]                         # 15 and 18 digits
    groups = {frozenset(s for s, _n in kids) for _k, kids in rules.duplicates(rows)}
    assert groups == {frozenset({1, 2}), frozenset({4, 5})}


def test_a_household_head_who_is_a_student_is_found():
    number = an_id(seq=200)
    students = {number: (7, "张小明")}
    found = rules.heads_at_school([(1, "张小明", number), (2, "张大山", an_id(dt.date(1980, 1, 1), 1))], students)
    assert found == [(1, "张小明", 7, "张小明")]


def test_a_student_much_older_than_the_grade_is_found():
    assert rules.over_age("小学", "三年级", dt.date(2012, 3, 1), 2020) is None          # 8, usual 8
    assert rules.over_age("小学", "三年级", dt.date(2009, 3, 1), 2020) is None          # 11: within 3 years
    why = rules.over_age("小学", "三年级", dt.date(2008, 3, 1), 2020)                   # 12
    assert why and "满 12 岁" in why and "通常为 8 岁" in why
    assert rules.over_age("", "三年级", dt.date(2000, 1, 1), 2020) is None             # unknown stage: not judged
    assert rules.over_age("小学", "三年级", None, 2020) is None
