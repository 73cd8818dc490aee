"""Entitlement rules: which programmes a student qualifies for in a term, and how much.

Pure functions over plain tuples, so that a whole school (100,000 students) is decided in one pass
after two SQL queries. The rules:

- Only students whose enrolment is 在校 qualify. A student 在外就读 (studying elsewhere, in or out of
  the province) is paid by the school where they actually study: paying here as well would count them
  twice, so they are listed with that reason instead (and out-of-province children get a letter).
- Programmes stack: a student gets every programme of their stage they qualify for, one line per
  student × programme × term (when two standards of one programme overlap, the one that started
  latest wins).
- Tiers (普通高中国家助学金): 建档立卡 and 特别困难 get the highest tier, 困难 the middle one, everyone
  else the lowest.
- A student whose data cannot decide a programme (no stage; no residence where boarding/day matters;
  no grade where grades matter) is reported as incomplete, never silently left out.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from db.aid.dto import Entitlement, NoEntitlement
from db.money import format_yuan
from db.terms import SPRING, Term

REGISTERED_POOR = "建档立卡"
IN_SCHOOL = "在校"
INCOMPLETE, NOTHING = "信息不全", "无资助"


@dataclass(frozen=True)
class Rule:
    """An AidStandard row prepared for fast matching."""
    id: int
    version: int
    programme: str
    stage: str
    from_key: int | None
    to_key: int | None
    categories: frozenset[str] | None     # None: every student; empty: any difficulty category
    residence: str
    grades: frozenset[str]
    yearly_fen: int
    per_day_fen: int
    school_days: int
    tiers: tuple[int, ...]
    spring_share: int
    cash: bool

    def in_force(self, term: Term) -> bool:
        k = term.key
        return (self.from_key is None or self.from_key <= k) and (self.to_key is None or k <= self.to_key)

    @property
    def needs_amount(self) -> bool:
        return self.cash and not self.yearly_fen and not self.per_day_fen and not self.tiers


# (id, name, stage, grade, residence, enrolment, difficulty_level, categories)
StudentFacts = tuple[int, str, str | None, str | None, str | None, str | None, str | None, frozenset[str]]


def term_share(yearly_fen: int, spring_share: int, term: Term) -> int:
    """The part of a yearly amount paid in `term`; spring + autumn add up to the year, to the fen."""
    spring = yearly_fen * spring_share // 100
    return spring if term.season == SPRING else yearly_fen - spring


def pick_tier(tiers: tuple[int, ...], categories: frozenset[str], level: str | None) -> tuple[int, str]:
    if categories and REGISTERED_POOR in categories or level == "特别困难":
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


class Decider:
    """Decides many students against the rules of one term."""

    def __init__(self, rules: Iterable[Rule], term: Term, *, cash_only: bool = False):
        self.term = term
        self.by_stage = rules_for((r for r in rules if r.cash or not cash_only), term)
        self._profiles: dict[tuple, tuple] = {}

    def decide(self, st: StudentFacts) -> tuple[list[Entitlement], NoEntitlement | None]:
        sid, name = st[0], st[1]
        ents, missing = self.profile(st[2:])
        if missing is not None:
            return [], NoEntitlement(sid, name, st[2] or "", st[3] or "", missing[0], missing[1])
        return [Entitlement(sid, *e) for e in ents], None

    def profile(self, facts: tuple) -> tuple[tuple[tuple, ...], tuple[str, str] | None]:
        """The decision for a student profile (stage, grade, residence, enrolment, level, categories):
        entitlement templates (Entitlement fields without the student id) or (kind, reason). Many
        students share a profile, so decisions are cached."""
        got = self._profiles.get(facts)
        if got is None:
            got = self._profiles[facts] = self._decide(*facts)
        return got

    def _decide(self, stage, grade, residence, enrolment, level, cats):
        if not stage:
            return (), (INCOMPLETE, "未填写学段，无法判断资助项目")
        if enrolment != IN_SCHOOL:
            why = ("在外就读，由就读学校发放（避免重复资助）" if enrolment == "在外就读"
                   else f"学籍状态为“{enrolment or '未填写'}”，不在校不发放")
            return (), (NOTHING, why)
        out: list[tuple] = []
        missing: list[str] = []
        for r in self.by_stage.get(stage, ()):
            if r.categories is None:
                matched = ""
            elif not r.categories:
                if not cats:
                    continue
                matched = REGISTERED_POOR if REGISTERED_POOR in cats else min(cats)
            else:
                hit = r.categories & cats
                if not hit:
                    continue
                matched = REGISTERED_POOR if REGISTERED_POOR in hit else min(hit)
            if r.grades:
                if not grade:
                    missing.append(f"未填写年级（{r.programme}按年级发放）")
                    continue
                if grade not in r.grades:
                    continue
            if r.residence:
                if not residence:
                    missing.append(f"未填写寄宿/走读（{r.programme}）")
                    continue
                if residence != r.residence:
                    continue
            if r.tiers:
                yearly, tier = pick_tier(r.tiers, cats, level)
            else:
                yearly, tier = r.yearly_fen, ""
            if r.per_day_fen:
                amount = r.per_day_fen * r.school_days
            else:
                amount = term_share(yearly, r.spring_share, self.term)
            reason = _reason(r, stage, residence if r.residence else "", matched, tier, amount)
            out.append((r.programme, stage, amount, r.id, r.version, reason, r.cash, r.needs_amount))
        if out:
            return tuple(out), None
        if missing:
            return (), (INCOMPLETE, "；".join(missing))
        if not cats:
            return (), (NOTHING, "未登记资助对象类别")
        if stage not in self.by_stage:
            return (), (NOTHING, f"{self.term.label}没有适用于{stage}的资助标准")
        return (), (NOTHING, f"资助对象类别（{'、'.join(sorted(cats))}）不在本学段资助范围内")


def _reason(r: Rule, stage: str, residence: str, matched: str, tier: str, amount: int) -> str:
    who = " ".join(x for x in (stage, residence, matched, tier) if x)
    if r.per_day_fen:
        money = f"{format_yuan(r.per_day_fen)} 元×{r.school_days} 天（不发放现金）"
    elif r.needs_amount:
        money = "金额待填写"
    else:
        money = f"{format_yuan(amount)} 元"
    return f"{who} → {r.programme} {money}"
