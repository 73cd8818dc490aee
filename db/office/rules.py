"""The self-inspection's rules (自查, "对象无遗漏"), pure: no session, today is an argument.

Who is checked: every child on the county's latest pushed list, and every needy student on the roll
(a difficulty category, or a needy 认定 for the school year), whatever their enrolment.

A child is accounted for when the first rule that applies says so (`decide`):
1. `by_record`     another ledger's record accounts for the child: a dropout case in any state, a
                   special-needs file with its placement (db.home Account, kinds CASE and FILE);
2. `by_follow_up`  a child on the list who is not on the roll: the list's follow-up names where the
                   child is (a status other than 待核实, with a note); "已辍学" needs a dropout case;
3. `by_exit`       转出 / 毕业 / 休学: the date and the reason are recorded (转出 also the receiving school);
4. `by_dropped`    辍学 on the roll: only a dropout case accounts for it (rule 1);
5. `by_elsewhere`  studying elsewhere: 省外 with a letter sent; 本县外校 / 市内县外 / 省内市外 with the
                   receiving school named;
6. `by_aid`        in school: this term's aid lines, or a stated reason for none (不困难, nothing the
                   child qualifies for); 未认定, 认定信息不全 and data that cannot decide are gaps, and so
                   is a child entitled to aid who has no line in the term's batch.
Anything else is a gap that says what is missing.

The other checks, each over the whole roll:
- `shared_cards`    one bank card on the students of two families;
- `duplicates`      one child twice: the same ID number in two spellings (db.validators' normalisation;
                    the ID inside a G 学籍号 counts as the child's);
- `heads_at_school` a household head whose ID number is a student's;
- `over_age`        a student more than OVER_AGE years older (on 31 August) than the usual age of the grade.
Paid lines without a verification visit come from the aid ledger (households_not_visited).
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from db import enums
from db.home import CASE, FILE, LETTER, Account
from db.validators import IdNumberError, age_on, normalize_id_text, parse_id_number

PENDING = "待核实"
DROPOUT_WORD = "辍学"
LEFT = ("转出", "毕业", "休学")
OUT_OF_PROVINCE = "省外"
OWN_SCHOOL = "本校"
NOT_DECIDING = ("未认定", "认定信息不全", "信息不全")      # kinds of db.aid.rules that leave a child out
START_AGE = {"学前": 3, "小学": 6, "初中": 12, "普通高中": 15, "中职": 15}
OVER_AGE = {"学前": 2, "小学": 3, "初中": 3, "普通高中": 3, "中职": 5}   # years over the usual age tolerated


@dataclass(frozen=True)
class Exit:
    enrolment: str
    left_on: dt.date | None
    reason: str
    to_school: str = ""


@dataclass(frozen=True)
class Child:
    """What the inspection knows of one child. `enrolment` "" means not on the roll (list only)."""
    key: str
    name: str
    id_number: str = ""
    where: str = ""
    student_id: int | None = None
    entry_id: int | None = None
    on_list: bool = False
    follow_up: str = ""
    follow_up_note: str = ""
    enrolment: str = ""
    study_location: str = ""
    study_school: str = ""
    lines: int = 0                                 # live aid lines in the term's batch
    no_aid: tuple[str, str] | None = None          # (kind, reason): why the aid rules give nothing
    exit: Exit | None = None
    accounts: tuple[Account, ...] = field(default=())


@dataclass(frozen=True)
class Verdict:
    ok: bool
    way: str            # short: 本学期有资助 / 控辍保学个案 / … or the gap's kind
    text: str           # how the child is accounted for, or what is missing


def gap(way: str, text: str) -> Verdict:
    return Verdict(False, way, text)


def by_record(c: Child) -> Verdict | None:
    for a in c.accounts:
        if a.kind in (CASE, FILE) and a.ok:
            return Verdict(True, "控辍保学个案" if a.kind == CASE else "残疾儿童安置", a.text)
    return None


def by_follow_up(c: Child) -> Verdict | None:
    if c.enrolment:
        return None
    status, note = c.follow_up.strip(), c.follow_up_note.strip()
    if not status or status == PENDING:
        return gap("去向未核实", "名单内但不在本校：尚未核实去向（跟进状态“待核实”）")
    if DROPOUT_WORD in status:
        return gap("缺控辍保学个案", f"跟进状态为“{status}”，但没有控辍保学个案")
    if not note:
        return gap("去向说明缺失", f"跟进状态为“{status}”，缺跟进说明（就读学校或去向）")
    return Verdict(True, "名单跟进已说明", f"名单跟进：{status}（{note}）")


def by_exit(c: Child) -> Verdict | None:
    if c.enrolment not in LEFT:
        return None
    e = c.exit if c.exit is not None and c.exit.enrolment == c.enrolment else None
    missing = []
    if e is None or e.left_on is None:
        missing.append("日期")
    if e is None or not e.reason.strip():
        missing.append("原因")
    if c.enrolment == "转出" and not (e and e.to_school.strip()) and not c.study_school.strip():
        missing.append("转入学校")
    if missing:
        return gap("离校信息不全", f"学籍状态为{c.enrolment}，缺{'、'.join(missing)}")
    school = f"，转入{e.to_school or c.study_school}" if c.enrolment == "转出" else ""
    return Verdict(True, "已离校（有日期和原因）", f"{c.enrolment}：{e.left_on:%Y-%m-%d}，{e.reason}{school}")


def exit_problems(enrolment: str, left_on: dt.date | None, reason: str, to_school: str,
                  today: dt.date) -> dict[str, str]:
    """What is wrong with a 离校登记 (leaving record) for a student of `enrolment`."""
    p = {}
    if enrolment not in LEFT:
        p["enrolment"] = f"该学生学籍状态为“{enrolment}”，只有转出、毕业、休学的学生需要登记离校情况"
    if not isinstance(left_on, dt.date):
        p["left_on"] = "请填写离校（休学）日期"
    elif left_on > today:
        p["left_on"] = "离校日期不能晚于今天"
    if not reason.strip():
        p["reason"] = "请填写原因"
    if enrolment == "转出" and not to_school.strip():
        p["to_school"] = "转出学生请填写转入学校"
    return p


def by_dropped(c: Child) -> Verdict | None:
    if c.enrolment != enums.Enrolment.DROPPED_OUT:
        return None
    return gap("缺控辍保学个案", "学籍状态为辍学，但没有控辍保学个案")


def _is_elsewhere(c: Child) -> bool:
    return c.enrolment == enums.Enrolment.ELSEWHERE or (
        c.enrolment == enums.Enrolment.IN_SCHOOL and c.study_location not in ("", OWN_SCHOOL))


def by_elsewhere(c: Child) -> Verdict | None:
    if not _is_elsewhere(c):
        return None
    where = c.study_location
    if not where or where == OWN_SCHOOL:
        return gap("就读地缺失", "在外就读，未填写就读地（本县外校 / 市内县外 / 省内市外 / 省外）")
    if where == OUT_OF_PROVINCE:
        letters = [a for a in c.accounts if a.kind == LETTER]
        sent = next((a for a in letters if a.ok), None)
        if sent is not None:
            return Verdict(True, "省外已发函", sent.text)
        if letters:
            return gap("函件未发出", letters[0].text)
        return gap("省外未发函", "在省外就读，尚未向就读学校发函")
    if not c.study_school.strip():
        return gap("就读学校缺失", f"在外就读（{where}），未填写就读学校")
    return Verdict(True, "在外就读（已填写学校）", f"在外就读：{where} {c.study_school}")


def by_aid(c: Child) -> Verdict | None:
    if c.enrolment != enums.Enrolment.IN_SCHOOL:
        return None
    if c.lines:
        return Verdict(True, "本学期有资助", f"本学期资助 {c.lines} 项")
    if c.no_aid is None:
        return gap("应资助未列入", "按资助标准应享受资助，但本学期名单中没有（请生成或刷新本学期名单）")
    kind, reason = c.no_aid
    if kind in NOT_DECIDING:
        return gap(kind, reason)
    return Verdict(True, "不符合资助条件", reason)


RULES = (by_record, by_follow_up, by_exit, by_dropped, by_elsewhere, by_aid)


def decide(c: Child) -> Verdict:
    v = next((v for v in (rule(c) for rule in RULES) if v is not None), None)
    v = v or gap("学籍状态不明", f"学籍状态“{c.enrolment}”无法判断是否落实")
    unfinished = [a.text for a in c.accounts if a.kind in (CASE, FILE) and not a.ok]
    if not v.ok and unfinished:             # a record that would account for the child, once complete
        return gap(v.way, "；".join([v.text, *unfinished]))
    return v


# ---- the other checks ------------------------------------------------------------------------------
def id_key(raw: str | None) -> str:
    """One spelling of an ID number: the checked 18-character number, else the normalised text."""
    if not raw:
        return ""
    try:
        return parse_id_number(raw).number
    except IdNumberError:
        return normalize_id_text(raw)


def shared_cards(rows: Iterable[tuple[str, object, int, str]]) -> list[tuple[str, list[tuple[int, str]]]]:
    """rows: (card number, family key, student id, name). The cards used by two or more families, with
    their students."""
    by_card: dict[str, dict[object, list[tuple[int, str]]]] = {}
    for card, family, sid, name in rows:
        if card:
            by_card.setdefault(card, {}).setdefault(family, []).append((sid, name))
    return [(card, [s for kids in fams.values() for s in kids]) for card, fams in by_card.items() if len(fams) > 1]


def duplicates(rows: Iterable[tuple[int, str, str | None, str | None]]) -> list[tuple[str, list[tuple[int, str]]]]:
    """rows: (student id, name, ID number, 学籍号). Groups of two or more students that are one child:
    the same ID number once normalised (a G 学籍号 gives the ID it carries)."""
    by_key: dict[str, dict[int, str]] = {}
    for sid, name, number, student_no in rows:
        keys = {id_key(number)}
        if student_no and student_no[:1].upper() == "G":
            keys.add(id_key(student_no[1:]))
        for k in keys - {""}:
            by_key.setdefault(k, {})[sid] = name
    seen: set[frozenset[int]] = set()
    out = []
    for k, kids in by_key.items():
        ids = frozenset(kids)
        if len(ids) > 1 and ids not in seen:
            seen.add(ids)
            out.append((k, sorted(kids.items())))
    return out


def heads_at_school(households: Iterable[tuple[int, str, str | None]],
                    students: dict[str, tuple[int, str]]) -> list[tuple[int, str, int, str]]:
    """households: (id, head name, head ID number); students: normalised ID -> (student id, name).
    (household id, head name, student id, student name) where the head's ID is a student's."""
    out = []
    for hid, head, number in households:
        hit = students.get(id_key(number))
        if hit is not None:
            out.append((hid, head, *hit))
    return out


def usual_age(stage: str, grade: str) -> int | None:
    try:
        st = enums.Stage(stage)
        return START_AGE[stage] + enums.GRADES[st].index(grade)
    except (ValueError, KeyError):
        return None


def over_age(stage: str, grade: str, birth: dt.date | None, school_year: int) -> str | None:
    """Why the student is older than the grade allows, or None (unknown grade or birth: None)."""
    usual = usual_age(stage or "", grade or "")
    if usual is None or birth is None:
        return None
    age = age_on(birth, dt.date(school_year, 8, 31))
    if age > usual + OVER_AGE[stage]:
        return (f"{school_year}年8月31日满 {age} 岁，{stage}{grade}通常为 {usual} 岁，"
                f"超出 {age - usual} 岁（出生日期或年级可能有误，或应转入其他学段）")
    return None


def where_text(grade: str, class_name: str, fallback: str = "") -> str:
    return f"{grade or ''}{class_name or ''}" or fallback


def join_names(kids: Sequence[tuple[int, str]]) -> str:
    return "、".join(name for _sid, name in kids)
