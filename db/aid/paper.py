"""Data for the aid ledger's printed documents, one session per call, returned as the dataclasses of
db/aid/pdf.py and db/aid/pdf_lists.py (no SQL in a document), and the document kinds they make.

Waivers (免学费, 免学杂费, 免保教费: lines of status 减免) are never on the signature sheet, never in a
cash total; the 明白卡 shows them in their own section.
"""
from __future__ import annotations

from collections import defaultdict

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.aid.common import is_waiver_programme
from db.aid.dto import LineStatus
from db.aid.notice import TIERS, check_period
from db.aid.pdf import (
    CardLine,
    FamilyCard,
    VisitPaymentLine,
    VisitSheet,
    WaiverLine,
    family_card,
    family_record,
    visit_sheet,
)
from db.aid.pdf_lists import (
    NoticeLine,
    PublicNotice,
    SignLine,
    SignSheet,
    SignSummary,
    public_notice,
    sign_sheet,
    sign_summary,
)
from db.aid.service import AidService
from db.aid.settings import notice_days
from db.aid.workdays import working_days
from db.assistance.paper import card_lines
from db.context import ServiceContext
from db.docs.kinds import DocKind, Selection
from db.docs.render import FORM, Section
from db.errors import LedgerError, NotFound
from db.models.aid import AidBatch, AidStandard, Disbursement, Visit, VisitPayment
from db.models.registry import Household, LiaisonOfficer, Student
from db.money import format_yuan
from db.registry.selection import parse_class, school_facts, student_condition, student_order
from db.terms import AUTUMN, Term, parse_term
from db.validators import mask_card, mask_phone


def is_waiver(programme: str, cash: bool | None = True) -> bool:
    """A programme that is 减免 (or not paid in cash) by its name or its standard."""
    return cash is False or is_waiver_programme(programme)


def _line_is_waiver(d: Disbursement) -> bool:
    return d.status == LineStatus.WAIVER or (d.status == LineStatus.VOID and is_waiver_programme(d.programme))


def _standards(s: Session) -> dict[int, tuple[str | dict[str, str], bool]]:
    """standard id -> (the standard as text — for a tiered one, the text of each tier —, paid in cash?)"""
    out = {}
    for st in s.scalars(select(AidStandard)):
        if st.yearly_fen:
            text = f"{_yuan(st.yearly_fen)}元/年"
        elif st.per_day_fen:
            text = f"{_yuan(st.per_day_fen)}元/天"
        elif st.tiers:
            fen = [int(t) for t in st.tiers.split(",") if t]
            text = {"最低档": f"{_yuan(fen[0])}元/年", "中间档": f"{_yuan(fen[(len(fen) - 1) // 2])}元/年",
                    "最高档": f"{_yuan(fen[-1])}元/年", "": "分档：" + "/".join(map(_yuan, fen))}
        else:
            text = "按核定标准"
        out[st.id] = (text, bool(st.cash))
    return out


def _standard_text(text: str | dict[str, str], reason: str) -> str:
    """A line's standard as the family reads it: a tiered standard names the line's own tier."""
    if isinstance(text, str):
        return text
    tier = next((t for t in TIERS if t in (reason or "")), "")
    return f"{tier} {text[tier]}".strip()


def _yuan(fen: int) -> str:
    return format_yuan(fen).replace(",", "").removesuffix(".00")


def _batch(s: Session, term: Term) -> AidBatch:
    b = s.scalar(select(AidBatch).where(AidBatch.term_key == term.key))
    if b is None:
        raise NotFound(f"{term.label}还没有发放批次，请先生成（aid plan --term {term.short}）")
    return b


def _officer(s: Session, hh: Household | None) -> str:
    o = s.get(LiaisonOfficer, hh.liaison_officer_id) if hh and hh.liaison_officer_id else None
    return o.name if o else ""


def _address(hh: Household | None) -> str:
    return " ".join(x for x in (hh.township, hh.village, hh.group_name) if x) if hh else ""


def _live_lines(s: Session, batch_keys: dict[int, int], cond):
    """(line, student, term key) of the live lines of the batches (id -> term key) for students matching cond."""
    stmt = (select(Disbursement, Student).join(Student, Student.id == Disbursement.student_id)
            .where(Disbursement.batch_id.in_(list(batch_keys)), Disbursement.status != LineStatus.VOID, cond)
            .order_by(*student_order(), Disbursement.batch_id, Disbursement.id))
    return [(d, st, batch_keys[d.batch_id]) for d, st in s.execute(stmt)]


# ---- 明白卡 -------------------------------------------------------------------------------------
def family_cards(ctx: ServiceContext, sel: Selection) -> list[FamilyCard]:
    """One card per household (a student without one gets their own) for the school year of
    `sel.term`: both its terms' live lines for every child of the selected households."""
    term = parse_term(sel.term)
    first = Term(term.year if term.season == AUTUMN else term.year - 1, AUTUMN)
    with ctx.read() as s:
        facts = school_facts(s)
        keys = {b.id: b.term_key for b in s.scalars(select(AidBatch).where(
            AidBatch.term_key.in_((first.key, first.key + 1))))}
        if not keys:
            raise NotFound(f"{first.school_year}学年还没有发放批次")
        chosen = select(Student.household_id).where(student_condition(sel), Student.household_id.is_not(None))
        picked = select(Student.id).where(student_condition(sel))
        cond = Student.household_id.in_(chosen) | Student.id.in_(picked)
        std = _standards(s)
        groups: dict[int, list] = defaultdict(list)
        for d, st, key in _live_lines(s, keys, cond):
            groups[st.household_id or -st.id].append((d, st, key))
        homes = {h.id: h for h in s.scalars(select(Household).where(
            Household.id.in_(select(Student.household_id).where(cond))))}
        officers = dict(s.execute(select(LiaisonOfficer.id, LiaisonOfficer.name)).all())
        cards = []
        for hid, lines in groups.items():
            hh = homes.get(hid)
            cards.append(_card(facts, first, hh, lines, std, sel.today_or_now,
                               officers.get(hh.liaison_officer_id, "") if hh else ""))
    extra = card_lines(ctx, {st.id for lines in groups.values() for _d, st, _k in lines}, first.year)
    for card, lines in zip(cards, groups.values()):
        card.assistance = [x for sid in dict.fromkeys(st.id for _d, st, _k in lines) for x in extra.get(sid, [])]
    return cards


def _card(facts, first: Term, hh, lines, std, today, officer: str) -> FamilyCard:
    kids: dict[int, str] = {}
    cash, waivers = [], []
    for d, st, key in lines:
        kids.setdefault(st.id, f"{st.name}（{st.grade}{st.class_name}）")
        text, _cash = std.get(d.standard_id, ("", True))
        text = _standard_text(text, d.reason)
        label = Term.from_key(key).label
        if _line_is_waiver(d):
            waivers.append(WaiverLine(st.name, label, d.programme, d.amount_fen, "学校不收取，由财政补助学校"))
        else:
            cash.append(CardLine(st.name, label, d.programme, text, d.amount_fen, d.status, d.paid_on,
                                 mask_card(d.card_no or st.bank_card_no)))
    st0 = lines[0][1]
    return FamilyCard(facts.name, first.school_year, hh.head_name if hh else st0.name,
                      (hh.household_no or "") if hh else "", _address(hh), mask_phone(hh.phone if hh else st0.phone),
                      officer, list(kids.values()), cash, waivers, facts.phone, facts.county_hotline, today)


# ---- 走访核实记录表 ------------------------------------------------------------------------------
def visit_sheets(ctx: ServiceContext, sel: Selection) -> list[VisitSheet]:
    """Per household with paid lines in the term: each visit recorded for the term, filled in; or, where
    none is recorded, a blank form with the payments to check (to take on the visit)."""
    term = parse_term(sel.term)
    with ctx.read() as s:
        facts = school_facts(s)
        batch = _batch(s, term)
        lines = _live_lines(s, {batch.id: term.key}, student_condition(sel) if not sel.all else Student.id > 0)
        groups: dict[int, list] = defaultdict(list)
        for d, st, _k in lines:
            if d.status in (LineStatus.PAID, LineStatus.VERIFIED) and st.household_id:
                groups[st.household_id].append((d, st))
        out = []
        for hid, pays in groups.items():
            hh = s.get(Household, hid)
            visits = list(s.scalars(select(Visit).where(
                Visit.household_id == hid, (Visit.term_key == term.key) | Visit.id.in_(
                    select(VisitPayment.visit_id).where(VisitPayment.disbursement_id.in_([d.id for d, _ in pays]))))
                .order_by(Visit.visit_date, Visit.id)))
            for v in visits or [None]:
                out.append(_visit_sheet(s, facts.name, term, hh, pays, v))
        return out


def _visit_sheet(s, school: str, term: Term, hh: Household, pays, v: Visit | None) -> VisitSheet:
    got = {} if v is None else dict(s.execute(select(VisitPayment.disbursement_id, VisitPayment.received)
                                              .where(VisitPayment.visit_id == v.id)).all())
    payments = [VisitPaymentLine(st.name, d.programme, d.amount_fen, d.paid_on, mask_card(d.card_no or st.bank_card_no),
                                 got.get(d.id)) for d, st in pays]
    sheet = VisitSheet(school, term.label, hh.head_name, hh.household_no or "", _address(hh), mask_phone(hh.phone),
                       _officer(s, hh), payments)
    if v is not None:
        o = s.get(LiaisonOfficer, v.officer_id) if v.officer_id else None
        sheet.officer = o.name if o else sheet.officer
        sheet.visit_date, sheet.purpose, sheet.told = v.visit_date, v.purpose, v.told
        sheet.statement_filed, sheet.family_remarks = v.statement_filed, v.family_remarks
        sheet.follow_up = v.follow_up_note or ("需要跟进" if v.follow_up else "无")
    return sheet


# ---- 发放签领表 ---------------------------------------------------------------------------------
def sign_sheets(ctx: ServiceContext, sel: Selection) -> tuple[list[SignSheet], SignSummary]:
    """One sheet per programme (per class when a class is chosen) of the term's live cash lines, and
    the summary that reconciles them with the batch total. LedgerError if they do not add up."""
    term = parse_term(sel.term)
    with ctx.read() as s:
        facts = school_facts(s)
        batch = _batch(s, term)
        cond = student_condition(sel) if (sel.class_name or sel.student_ids or sel.household_ids) else Student.id > 0
        sheets: dict[tuple[str, str], SignSheet] = {}
        waiver_fen = waiver_lines = 0
        scope = sel.class_name or ("所选学生" if sel.student_ids or sel.household_ids else "全校")
        for d, st, _k in _live_lines(s, {batch.id: term.key}, cond):
            if sel.programme and d.programme != sel.programme:
                continue
            if _line_is_waiver(d):
                waiver_fen, waiver_lines = waiver_fen + d.amount_fen, waiver_lines + 1
                continue
            sheet = sheets.setdefault((d.programme, scope), SignSheet(facts.name, term.label, d.programme, scope))
            sheet.lines.append(SignLine(st.name, f"{st.grade}{st.class_name}", d.programme, d.amount_fen))
        ordered = sorted(sheets.values(), key=lambda x: x.programme)
        summary = SignSummary(facts.name, term.label, [(x.programme, x.scope, len(x.lines), x.total_fen)
                                                       for x in ordered], waiver_fen, waiver_lines, batch.total_fen)
        whole = not (sel.class_name or sel.student_ids or sel.household_ids or sel.programme)
        if whole and summary.cash_fen != batch.total_fen:
            raise LedgerError(f"{term.label}签领表合计与发放批次合计不一致，请重新生成批次后再打印")
        return ordered, summary


# ---- 公示名单 -----------------------------------------------------------------------------------
def notice(ctx: ServiceContext, sel: Selection) -> PublicNotice:
    """The term's live lines, one row per student and programme: 姓名 学校 年级 班级 资助项目 档次 金额
    (AidService.notice_rows: cash with an amount, and 减免). A period given must be ≥ 5 working days."""
    term = parse_term(sel.term)
    days, note = 0, ""
    if sel.start and sel.end:
        with ctx.read() as s:
            min_days = notice_days(s)
        start, end = check_period(sel.start, sel.end, min_days)
        wd = working_days(start, end)
        days, note = wd.days, wd.note
    rows = AidService(ctx).notice_rows(term, class_name=sel.class_name or "")
    with ctx.read() as s:
        facts = school_facts(s)
    lines = [NoticeLine(r.name, r.school, r.grade, r.class_name, r.programmes, r.tier, r.amount_fen, r.waiver)
             for r in rows]
    return PublicNotice(facts.name, term.label, lines, sel.start, sel.end, days, facts.phone, facts.county_hotline,
                        sel.today_or_now, note)


# ---- sections and kinds -------------------------------------------------------------------------
def card_sections(ctx, sel: Selection) -> list[Section]:
    return [Section(lambda kit, c=c: family_card(kit, c), FORM, f"{c.school}　资助政策告知书")
            for c in family_cards(ctx, sel)]


def visit_sections(ctx, sel: Selection) -> list[Section]:
    return [Section(lambda kit, v=v: visit_sheet(kit, v), FORM, f"{v.school}　走访核实记录表")
            for v in visit_sheets(ctx, sel)]


def sign_sections(ctx, sel: Selection) -> list[Section]:
    sheets, summary = sign_sheets(ctx, sel)
    out = [Section(lambda kit, x=x: sign_sheet(kit, x), FORM, f"{x.school}　{x.programme}发放签领表") for x in sheets]
    if len(sheets) > 1 or summary.waiver_lines:
        out.append(Section(lambda kit: sign_summary(kit, summary), FORM, f"{summary.school}　签领表汇总"))
    return out


def notice_sections(ctx, sel: Selection) -> list[Section]:
    n = notice(ctx, sel)
    if not n.lines:
        raise LedgerError(f"{n.term}没有需要公示的资助记录")
    return [Section(lambda kit: public_notice(kit, n), FORM, f"{n.school}　公示名单")]


def family_sections(ctx, sel: Selection) -> list[Section]:
    """家庭查询 for each selected student (one record per household when whole households are chosen)."""
    svc = AidService(ctx)
    with ctx.read() as s:
        facts = school_facts(s)
        ids = list(s.scalars(select(Student.id).where(student_condition(sel)).order_by(*student_order())))
        if not sel.student_ids:     # whole households: one record each (its first child), as the page shows
            hh = dict(s.execute(select(Student.id, Student.household_id).where(student_condition(sel))).all())
            seen: set[int] = set()
            ids = [i for i in ids if hh[i] is None or not (hh[i] in seen or seen.add(hh[i]))]
    today = sel.today_or_now
    return [Section(lambda kit, i=i: family_record(kit, svc.family_record(i, today=today), facts.name, today),
                    FORM, f"{facts.name}　家庭查询") for i in ids]


SCOPES = frozenset({"student", "household", "class", "all"})
KINDS = [
    DocKind("card", "资助政策告知书（明白卡）", "学期（定学年）；家庭、学生、班级或全部；每户一份",
            card_sections, needs_term=True, scopes=SCOPES, per_student=True),
    DocKind("visit", "学生资助走访核实记录表", "学期；家庭、学生、班级或全部；已走访的按记录填好，未走访的为空白表",
            visit_sections, needs_term=True, scopes=SCOPES, per_student=True),
    DocKind("sign", "资助资金发放签领表", "学期；可按班级、项目（--programme）；每个项目一张，末页汇总",
            sign_sections, needs_term=True, scopes=SCOPES | {"term"}, per_student=True),
    DocKind("notice", "学生资助公示名单", "学期；全部或班级；可给公示起止日期（--start/--end）",
            notice_sections, needs_term=True, scopes=frozenset({"class", "all", "term"}), per_student=True),
    DocKind("family", "学生资助情况查询记录（家庭查询）", "学生、家庭、班级或全部；每名学生（或每户）一份",
            family_sections, scopes=SCOPES, per_student=True),
]

__all__ = ["KINDS", "family_cards", "is_waiver", "notice", "parse_class", "sign_sheets", "visit_sheets"]
