"""Entitlement rules: which programmes a student qualifies for in a term, and how much.

Pure functions over plain tuples, so that a whole school (100,000 students) is decided in one pass
after one SQL query. The rules, as the policy has them (DOMAIN.md "Aid", issue 9):

- **认定 decides, categories prioritise.** Needs-based aid goes to students identified (认定) as
  家庭经济困难 for the school year of the term (autumn starts it): 特别困难, 困难 or 一般困难. A student
  assessed 不困难, or not assessed, gets no needs-based aid whatever the category list says.
  建档立卡 students count as 特别困难 (highest tier) without a separate assessment.
- A student with a category but no assessment for the year is "未认定". 低保, 特困, 孤儿 and 残疾
  students without a level are "认定信息不全": left out of the batch until assessed, unless the
  school's setting treats them as 特别困难 (never as the lowest tier).
- Each standard says who it is for (its `scope`, any of):
    all         every student in school (营养改善计划, only where the school is a pilot)
    needy       identified needy students (建档立卡 included)
    registered  建档立卡
    groups      needy students, not registered, of the listed categories (非寄宿生生活补助 and
                普通高中免学杂费: 残疾学生, 农村低保, 特困供养 — 特困供养 with a 非农业 户籍 is not 农村)
    agri        涉农专业 students (中职)
    rural       农业户籍 students (中职免学费)
- Only students whose enrolment is 在校 qualify. A student 在外就读 is paid by the school where they
  study (市内 through the city's system, 省外 through a letter): listed with that reason.
- Programmes stack: one line per student × programme × term (of two overlapping standards of one
  programme the one that started latest wins).
- Tiers (普通高中国家助学金): 特别困难 (and 建档立卡) the highest, 困难 the middle one, 一般困难 the lowest.
- Waivers (免学费 …) are 减免: in the batch and the totals, never paid. Meals (营养改善计划) are in kind:
  shown as entitlements, never in the batch.
- A student whose data cannot decide a programme (no stage; no residence where boarding/day matters;
  no grade where grades matter) is reported as incomplete, never silently left out. Every line's
  basis names the rule that produced it; every student left out says why.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from db.aid.dto import AidSettings, Entitlement, NoEntitlement
from db.money import format_yuan
from db.registry.rules import PRESUMED_NEEDY as PRESUMED
from db.terms import SPRING, Term

REGISTERED_POOR = "建档立卡"
IN_SCHOOL, ELSEWHERE = "在校", "在外就读"
NOT_NEEDY = "不困难"
NEEDY_LEVELS = ("特别困难", "困难", "一般困难")
INCOMPLETE, NOTHING, UNASSESSED, ASSESSMENT_GAP = "信息不全", "无资助", "未认定", "认定信息不全"
KIND_ORDER = {INCOMPLETE: 0, ASSESSMENT_GAP: 1, UNASSESSED: 2, NOTHING: 3}
SCOPES = {"all": "全体在校学生", "needy": "认定为家庭经济困难的学生（含建档立卡）", "registered": "建档立卡学生",
          "groups": "非建档立卡的困难学生中的所列类别", "agri": "涉农专业学生", "rural": "农业户籍（含县镇）学生"}
SCOPE_ORDER = ("registered", "groups", "needy", "agri", "rural", "all")


@dataclass(frozen=True)
class Rule:
    """An AidStandard row prepared for fast matching."""
    id: int
    version: int
    programme: str
    stage: str
    from_key: int | None
    to_key: int | None
    scope: frozenset[str]
    groups: frozenset[str]               # the categories of scope "groups"
    residence: str
    grades: frozenset[str]
    yearly_fen: int
    per_day_fen: int
    school_days: int
    tiers: tuple[int, ...]
    spring_share: int
    cash: bool
    waiver: bool = False

    def in_force(self, term: Term) -> bool:
        k = term.key
        return (self.from_key is None or self.from_key <= k) and (self.to_key is None or k <= self.to_key)

    @property
    def in_kind(self) -> bool:
        """Meals (营养改善计划): neither paid nor waived."""
        return not self.cash and not self.waiver

    @property
    def needs_amount(self) -> bool:
        return not self.yearly_fen and not self.per_day_fen and not self.tiers


# (stage, grade, residence, enrolment, study_location, level of the year, categories, hukou, agri_major);
# categories arrive as "a,b" text (or None) and are decided as a frozenset
Facts = tuple[str | None, str | None, str | None, str | None, str | None, str | None, frozenset[str],
              str | None, bool | None]
StudentFacts = tuple      # (id, name, *Facts)


@dataclass(frozen=True)
class Need:
    """Whether a student counts as needy this school year, the level that decides the tier, the
    words that say why, and — when not needy — (kind, reason) for the list of students left out."""
    needy: bool
    level: str | None
    basis: str
    left_out: tuple[str, str] | None = None


def school_year(term: Term) -> int:
    """2020 for 2020秋 and 2021春 (the 2020-2021 school year)."""
    return term.start_year


def term_share(yearly_fen: int, spring_share: int, term: Term) -> int:
    """The part of a yearly amount paid in `term`; spring + autumn add up to the year, to the fen."""
    spring = yearly_fen * spring_share // 100
    return spring if term.season == SPRING else yearly_fen - spring


def pick_tier(tiers: tuple[int, ...], level: str | None) -> tuple[int, str]:
    if level == "特别困难":
        return tiers[-1], "最高档"
    if level == "困难" and len(tiers) >= 3:
        return tiers[(len(tiers) - 1) // 2], "中间档"
    return tiers[0], "最低档"


def rules_for(rules: Iterable[Rule], term: Term) -> dict[str, list[Rule]]:
    """Rules in force in `term`, by stage; of overlapping rules for one programme the latest wins."""
    best: dict[tuple[str, str], Rule] = {}
    for r in rules:
        if not r.in_force(term):
            continue
        key = (r.stage, r.programme)
        old = best.get(key)
        if old is None or (r.from_key or 0, r.id) > (old.from_key or 0, old.id):
            best[key] = r
    by_stage: dict[str, list[Rule]] = {}
    for (stage, _), r in sorted(best.items()):
        by_stage.setdefault(stage, []).append(r)
    return by_stage


def need_of(level: str | None, cats: frozenset[str], year: int, presumed_special: bool) -> Need:
    """The 认定 decides; 建档立卡 counts as 特别困难 without one."""
    if REGISTERED_POOR in cats:
        return Need(True, "特别困难", "建档立卡（视同特别困难）")
    if level in NEEDY_LEVELS:
        return Need(True, level, f"{level}（{year}学年认定）")
    if level == NOT_NEEDY:
        return Need(False, level, "", (NOTHING, f"不困难（{year}学年认定），不享受家庭经济困难资助"))
    presumed = sorted(cats & PRESUMED)
    if presumed and presumed_special:
        return Need(True, "特别困难", f"{'、'.join(presumed)}，{year}学年未认定，按设置视同特别困难")
    if presumed:
        return Need(False, None, "", (ASSESSMENT_GAP, f"{'、'.join(presumed)}，{year}学年未认定困难等级"
                                                      "（认定信息不全），认定后纳入发放"))
    if cats:
        return Need(False, None, "", (UNASSESSED, f"{'、'.join(sorted(cats))}，{year}学年未认定家庭经济困难"))
    return Need(False, None, "", (NOTHING, f"{year}学年未认定家庭经济困难，也未登记资助对象类别"))


def _group_hits(r: Rule, cats: frozenset[str], hukou: str | None) -> list[str]:
    hits = sorted(r.groups & cats)
    if hukou == "非农业" and "特困供养" in hits:       # 农村特困供养 only
        hits.remove("特困供养")
    return hits


def who_qualifies(r: Rule, f: Facts, need: Need) -> str | None:
    """The words naming why the student is within the rule's scope, or None."""
    cats, hukou, agri = f[6], f[7], f[8]
    for flag in SCOPE_ORDER:
        if flag not in r.scope:
            continue
        if flag == "registered" and REGISTERED_POOR in cats:
            return "建档立卡"
        if flag == "groups" and need.needy and REGISTERED_POOR not in cats and (hits := _group_hits(r, cats, hukou)):
            return f"{'、'.join(hits)} {need.basis}"
        if flag == "needy" and need.needy:
            return need.basis
        if flag == "agri" and agri:
            return "涉农专业"
        if flag == "rural" and hukou == "农业":
            return "农业户籍"
        if flag == "all":
            return "在校生"
    return None


def _not_here(f: Facts) -> tuple[str, str] | None:
    stage, enrolment, location = f[0], f[3], f[4]
    if not stage:
        return INCOMPLETE, "未填写学段，无法判断资助项目"
    if enrolment == ELSEWHERE:
        where = f" {location}" if location else ""
        how = {"市内县外": "由市内就读学校通过市级系统资助", "省外": "由就读学校资助（另行发函）"}.get(
            location or "", "由就读学校资助")
        return NOTHING, f"在外就读{where}：{how}，本校不发放（避免重复资助）"
    if enrolment != IN_SCHOOL:
        return NOTHING, f"学籍状态为“{enrolment or '未填写'}”，不在校不发放"
    return None


def _data_gap(r: Rule, f: Facts) -> str | None:
    """Why the student's data cannot decide this rule ("" when it decides: not in the rule)."""
    grade, residence = f[1], f[2]
    if r.grades:
        if not grade:
            return f"未填写年级（{r.programme}按年级发放）"
        if grade not in r.grades:
            return ""
    if r.residence:
        if not residence:
            return f"未填写寄宿/走读（{r.programme}）"
        if residence != r.residence:
            return ""
    return None


class Decider:
    """Decides many students against the rules of one term."""

    def __init__(self, rules: Iterable[Rule], term: Term, *, in_batch_only: bool = False,
                 settings: AidSettings | None = None):
        self.term = term
        self.year = school_year(term)
        self.settings = settings or AidSettings()
        keep = [r for r in rules if not (in_batch_only and r.in_kind)
                and not (r.in_kind and not self.settings.nutrition_pilot)]
        self.by_stage = rules_for(keep, term)
        self._profiles: dict[tuple, tuple] = {}

    def decide(self, st: StudentFacts) -> tuple[list[Entitlement], NoEntitlement | None]:
        sid, name = st[0], st[1]
        ents, missing = self.profile(st[2:])
        if missing is not None:
            return [], NoEntitlement(sid, name, st[2] or "", st[3] or "", missing[0], missing[1])
        return [Entitlement(sid, *e) for e in ents], None

    def profile(self, facts: tuple) -> tuple[tuple[tuple, ...], tuple[str, str] | None]:
        """The decision for a student profile (Facts): entitlement templates (Entitlement fields
        without the student id) or (kind, reason). Many students share a profile: cached."""
        got = self._profiles.get(facts)
        if got is None:
            got = self._profiles[facts] = self._decide(facts)
        return got

    def _decide(self, raw: tuple) -> tuple[tuple[tuple, ...], tuple[str, str] | None]:
        cats = raw[6]
        if not isinstance(cats, frozenset):
            cats = frozenset(x for x in (cats or "").split(",") if x)
        f: Facts = (*raw[:6], cats, raw[7], raw[8])
        away = _not_here(f)
        if away is not None:
            return (), away
        need = need_of(f[5], f[6], self.year, self.settings.presumed_special)
        out, gaps, outside = [], [], []
        for r in self.by_stage.get(f[0], ()):
            who = who_qualifies(r, f, need)
            if who is None:
                outside.append(r.programme)
                continue
            gap = _data_gap(r, f)
            if gap:
                gaps.append(gap)
            elif gap is None:
                out.append(self._entitlement(r, f, need, who))
        if out:
            return tuple(out), None
        return (), self._why_none(f, need, gaps, outside)

    def _entitlement(self, r: Rule, f: Facts, need: Need, who: str) -> tuple:
        tier = ""
        if r.tiers:
            yearly, tier = pick_tier(r.tiers, need.level)
        else:
            yearly = r.yearly_fen
        per_day = self.settings.nutrition_daily_fen if r.in_kind and self.settings.nutrition_daily_fen else r.per_day_fen
        amount = per_day * r.school_days if per_day else term_share(yearly, r.spring_share, self.term)
        residence = f[2] if r.residence else ""
        reason = basis_text(r, f[0], residence, who, tier, amount, per_day)
        return (r.programme, f[0], amount, r.id, r.version, reason, r.cash, r.needs_amount, r.waiver)

    def _why_none(self, f: Facts, need: Need, gaps: list[str], outside: list[str]) -> tuple[str, str]:
        if gaps:
            return INCOMPLETE, "；".join(gaps)
        if need.left_out is not None:
            return need.left_out
        if f[0] not in self.by_stage:
            return NOTHING, f"{self.term.label}没有适用于{f[0]}的资助标准"
        who = "、".join(sorted(f[6])) or "未登记类别"
        if outside:
            return NOTHING, f"{need.basis}；{who}不在{'、'.join(dict.fromkeys(outside))}的对象范围内"
        return NOTHING, f"{need.basis}；{f[2] or ''}{f[1] or ''}不符合{f[0]}各资助项目的寄宿/年级条件"


def basis_text(r: Rule, stage: str, residence: str, who: str, tier: str, amount: int, per_day: int) -> str:
    """"初中 寄宿 特别困难（2020学年认定） → 寄宿生生活补助 625.00 元"."""
    head = " ".join(x for x in (stage, residence, who, tier) if x)
    if per_day:
        money = f"{format_yuan(per_day)} 元×{r.school_days} 天（膳食补助，不发放现金）"
    elif r.needs_amount:
        money = "减免（按核定标准，金额待填写）" if r.waiver else "金额待填写"
    elif r.waiver:
        money = f"减免 {format_yuan(amount)} 元（不发放现金）"
    else:
        money = f"{format_yuan(amount)} 元"
    return f"{head} → {r.programme} {money}"
