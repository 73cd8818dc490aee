"""Aid standards (editable, seeded with Anhui's defaults on first use) and payment deadlines."""
from __future__ import annotations

from dataclasses import replace

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db import audit, enums
from db.aid.dto import StandardRow
from db.aid.rules import SCOPES, Rule
from db.aid.seed import SEED
from db.context import ServiceContext
from db.errors import NotFound, ValidationError
from db.models.aid import AidStandard
from db.models.core import Setting
from db.terms import AUTUMN, DEADLINE_KEYS, DEFAULT_DEADLINES, SPRING, Term, parse_month_day, parse_term

SEEDED_KEY = "aid.standards_seeded"
Problems = dict[str, str]


def ensure_seeded(s: Session) -> None:
    """Insert the default standards once per database (deleting them all later does not re-seed)."""
    if s.get(Setting, SEEDED_KEY) is not None:
        return
    if s.scalar(select(AidStandard.id).limit(1)) is None:
        for i, row in enumerate(SEED):
            st = AidStandard(sort_order=i)
            _apply(st, row)
            s.add(st)
    s.add(Setting(key=SEEDED_KEY, value="1"))
    s.flush()


def load_rules(s: Session) -> list[Rule]:
    out = []
    for st in s.scalars(select(AidStandard).where(AidStandard.active.is_(True))):
        out.append(Rule(st.id, st.version, st.programme, st.stage, st.from_term, st.to_term,
                        frozenset(x for x in st.scope.split(",") if x),
                        frozenset(x for x in st.categories.split(",") if x),
                        st.residence, frozenset(x for x in st.grades.split(",") if x), st.yearly_fen,
                        st.per_day_fen, st.school_days,
                        tuple(int(x) for x in st.tiers.split(",") if x), st.spring_share, st.cash, st.waiver))
    return out


def _term_text(key: int | None) -> str:
    return Term.from_key(key).short if key is not None else ""


def _row(st: AidStandard) -> StandardRow:
    return StandardRow(st.id, st.programme, st.stage, _term_text(st.from_term), _term_text(st.to_term),
                       st.categories, st.residence, st.grades, st.yearly_fen, st.per_day_fen,
                       st.school_days, [int(x) for x in st.tiers.split(",") if x], st.spring_share,
                       st.cash, st.is_default, st.active, st.version, st.notes, st.waiver, st.scope)


def _apply(st: AidStandard, row: StandardRow) -> None:
    st.programme, st.stage = row.programme.strip(), row.stage
    st.from_term = parse_term(row.from_term).key if row.from_term else None
    st.to_term = parse_term(row.to_term).key if row.to_term else None
    st.categories, st.residence, st.grades = row.categories, row.residence, row.grades
    st.yearly_fen, st.per_day_fen, st.school_days = row.yearly_fen, row.per_day_fen, row.school_days
    st.tiers = ",".join(str(t) for t in row.tiers)
    st.spring_share, st.cash, st.is_default, st.active = row.spring_share, row.cash, row.is_default, row.active
    st.waiver, st.scope = row.waiver, row.scope
    st.notes = row.notes


def _split(text: str) -> list[str]:
    return [x for x in (text or "").split(",") if x]


def _check_terms(row: StandardRow, p: Problems) -> None:
    keys = {}
    for f in ("from_term", "to_term"):
        if getattr(row, f):
            try:
                keys[f] = parse_term(getattr(row, f)).key
            except ValidationError as e:
                p[f] = e.problems["term"]
    if len(keys) == 2 and keys["from_term"] > keys["to_term"]:
        p["to_term"] = "执行截止学期不能早于起始学期"


def _check_scope(row: StandardRow, p: Problems) -> None:
    scope = _split(row.scope)
    if not scope:
        p["scope"] = "请选择资助对象范围"
    elif any(x not in SCOPES for x in scope):
        p["scope"] = f"未知的对象范围：{'、'.join(x for x in scope if x not in SCOPES)}"
    bad = [c for c in _split(row.categories) if c not in enums.values(enums.Category)]
    if bad:
        p["categories"] = f"未知的资助对象类别：{'、'.join(bad)}"
    elif "groups" in scope and not _split(row.categories):
        p["categories"] = "对象范围含“所列类别”时，请选择类别"


def _check_place(row: StandardRow, p: Problems) -> None:
    if not row.programme.strip():
        p["programme"] = "请填写资助项目名称"
    if row.stage not in enums.values(enums.Stage):
        p["stage"] = "请选择学段"
    if row.residence not in ("", "寄宿", "走读"):
        p["residence"] = "寄宿/走读只能是“寄宿”“走读”或不限"
    if row.stage in enums.values(enums.Stage):
        bad = [g for g in _split(row.grades) if g not in enums.GRADES[enums.Stage(row.stage)]]
        if bad:
            p["grades"] = f"{row.stage}没有这些年级：{'、'.join(bad)}"


def _check_money(row: StandardRow, p: Problems) -> None:
    for f in ("yearly_fen", "per_day_fen", "school_days"):
        v = getattr(row, f)
        if not isinstance(v, int) or isinstance(v, bool) or v < 0:
            p[f] = "金额和天数须为非负整数"
    if any(not isinstance(t, int) or t <= 0 for t in row.tiers):
        p["tiers"] = "每一档金额须大于 0"
    elif list(row.tiers) != sorted(set(row.tiers)):
        p["tiers"] = "分档金额须从低到高排列且不重复"
    if not 0 <= row.spring_share <= 100:
        p["spring_share"] = "春季学期所占比例应在 0–100 之间"
    if row.per_day_fen and not row.school_days:
        p["school_days"] = "按天计算的项目须填写每学期在校天数"
    if row.cash and row.waiver:
        p["waiver"] = "减免项目不发放现金：“现金”和“减免”只能选一个"


def validate_standard(row: StandardRow) -> StandardRow:
    """Collect every problem at once; returns a cleaned copy."""
    p: Problems = {}
    for check in (_check_place, _check_terms, _check_scope, _check_money):
        check(row, p)
    if p:
        raise ValidationError(p)
    return replace(row, programme=row.programme.strip(), categories=",".join(_split(row.categories)),
                   grades=",".join(_split(row.grades)),
                   scope=",".join(x for x in SCOPES if x in _split(row.scope)))


class StandardsMixin:
    _ctx: ServiceContext
    _standards_seeded: bool = False

    def _seed_standards(self) -> None:
        """The default standards, inserted once per database by a write of their own (call it
        before a read or a write that loads the rules)."""
        if self._standards_seeded:
            return
        with self._ctx.read() as s:
            done = s.get(Setting, SEEDED_KEY) is not None
        if not done:
            with self._ctx.write(housekeeping=True) as s:     # a 校长 or 班主任 may be the first to read them
                ensure_seeded(s)
        self._standards_seeded = True

    def list_standards(self, *, include_inactive: bool = True) -> list[StandardRow]:
        self._seed_standards()
        with self._ctx.read() as s:
            stmt = select(AidStandard).order_by(AidStandard.sort_order, AidStandard.id)
            if not include_inactive:
                stmt = stmt.where(AidStandard.active.is_(True))
            return [_row(st) for st in s.scalars(stmt)]

    def save_standard(self, row: StandardRow) -> StandardRow:
        """Insert or edit a standard. Editing bumps its version; lines already planned keep the
        amount and the version they were made with (a refresh recomputes only untouched 待发放 lines)."""
        clean = validate_standard(row)
        self._seed_standards()
        with self._ctx.write() as s:
            if clean.id is None:
                st = AidStandard(version=1, sort_order=s.scalar(select(func.count(AidStandard.id))))
                s.add(st)
            else:
                st = s.get(AidStandard, clean.id)
                if st is None:
                    raise NotFound("该资助标准已被删除")
                st.version = (st.version or 1) + 1
            _apply(st, clean)
            st.is_default = False
            s.flush()
            audit.record(s, self._ctx, "update" if clean.id else "create", "aid_standard", st.id,
                         summary=f"{st.stage} {st.programme} 第 {st.version} 版", after=clean)
            return _row(st)

    def set_standard_active(self, standard_id: int, active: bool) -> None:
        with self._ctx.write() as s:
            st = s.get(AidStandard, standard_id)
            if st is None:
                raise NotFound("该资助标准已被删除")
            st.active = active
            audit.record(s, self._ctx, "update", "aid_standard", st.id,
                         summary=f"{st.stage} {st.programme} {'启用' if active else '停用'}")

    # ---- deadlines ----------------------------------------------------------------------------------
    def deadlines(self) -> dict[str, str]:
        """{"春": "06-15", "秋": "09-25"} (editable)."""
        with self._ctx.read() as s:
            out = {}
            for season in (SPRING, AUTUMN):
                st = s.get(Setting, DEADLINE_KEYS[season])
                out[season] = st.value if st and st.value else DEFAULT_DEADLINES[season]
            return out

    def set_deadline(self, season: str, month_day: str) -> None:
        if season not in (SPRING, AUTUMN):
            raise ValidationError({"season": "学期只能是“春”或“秋”"})
        m, d = parse_month_day(month_day)
        with self._ctx.write() as s:
            st = s.get(Setting, DEADLINE_KEYS[season]) or Setting(key=DEADLINE_KEYS[season])
            st.value = f"{m:02d}-{d:02d}"
            s.add(st)
            audit.record(s, self._ctx, "settings", "setting", None, summary=f"{season}季学期发放截止日 {st.value}")
