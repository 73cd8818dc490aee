"""Liaison officers, verification visits, households not yet visited, and the family record page."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import delete, exists, func, or_, select
from sqlalchemy.orm import Session

from db import audit
from db.access.guard import own_students
from db.aid.dto import (
    RECEIVED,
    VISIT_PURPOSES,
    HouseholdBrief,
    LineStatus,
    NotVisitedGroup,
    OfficerForm,
    VisitForm,
    VisitRow,
)
from db.context import ServiceContext
from db.errors import NotFound, ValidationError
from db.models.aid import AidBatch, Disbursement, Visit, VisitPayment
from db.models.registry import Household, LiaisonOfficer, Student
from db.terms import Term, parse_term
from db.validators import mask_phone, normalize_phone

NO_OFFICER = "（未分配联络员）"


class VisitsMixin:
    _ctx: ServiceContext

    # ---- liaison officers -------------------------------------------------------------------------
    def officers(self) -> list[OfficerForm]:
        with self._ctx.read() as s:
            return [OfficerForm(o.id, o.name, o.phone, o.unit)
                    for o in s.scalars(select(LiaisonOfficer).order_by(LiaisonOfficer.name, LiaisonOfficer.id))]

    def save_officer(self, form: OfficerForm) -> OfficerForm:
        p = {}
        name = form.name.strip()
        if not name:
            p["name"] = "请填写联络员姓名"
        phone = form.phone.strip()
        if phone:
            try:
                phone = normalize_phone(phone)
            except ValueError as e:
                p["phone"] = str(e)
        if p:
            raise ValidationError(p)
        with self._ctx.write() as s:
            o = s.get(LiaisonOfficer, form.id) if form.id else LiaisonOfficer()
            if o is None:
                raise NotFound("该联络员已被删除")
            before = OfficerForm(o.id, o.name, o.phone, o.unit) if form.id else None
            o.name, o.phone, o.unit = name, phone, form.unit.strip()
            s.add(o)
            s.flush()
            after = OfficerForm(o.id, o.name, o.phone, o.unit)
            audit.record(s, self._ctx, "update" if before else "create", "liaison_officer", o.id,
                         summary=f"联络员 {o.name}", before=before, after=after)
            return after

    def delete_officer(self, officer_id: int) -> None:
        """Households and visits keep their records; their officer becomes unassigned."""
        with self._ctx.write() as s:
            o = s.get(LiaisonOfficer, officer_id)
            if o is None:
                raise NotFound("该联络员已被删除")
            audit.record(s, self._ctx, "delete", "liaison_officer", o.id, summary=f"删除联络员 {o.name}")
            s.delete(o)

    def assign_officer(self, household_ids: list[int], officer_id: int | None) -> int:
        with self._ctx.write() as s:
            if officer_id is not None and s.get(LiaisonOfficer, officer_id) is None:
                raise NotFound("该联络员已被删除")
            n = 0
            for hh in s.scalars(select(Household).where(Household.id.in_(household_ids))):
                hh.liaison_officer_id = officer_id
                n += 1
            audit.record(s, self._ctx, "update", "household", None, summary=f"为 {n} 户分配联络员",
                         after={"household_ids": sorted(household_ids), "liaison_officer_id": officer_id})
            return n

    # ---- visits -----------------------------------------------------------------------------------
    def save_visit(self, form: VisitForm, *, today: dt.date | None = None) -> VisitRow:
        """Record a visit. Payments the family confirms (是) become 已核实; unknown stays blank. A visit
        cannot confirm a payment made after it (a mistyped year is the usual cause)."""
        term_key = _check_visit(form, today or self._ctx.clock.today())
        with self._ctx.write() as s:
            hh = s.get(Household, form.household_id)
            if hh is None:
                raise NotFound("该家庭已被删除")
            lines = _visit_lines(s, hh, form)
            if term_key is None and lines:
                keys = set(s.scalars(select(AidBatch.term_key).where(
                    AidBatch.id.in_({d.batch_id for d in lines.values()}))))
                term_key = keys.pop() if len(keys) == 1 else None
            v = s.get(Visit, form.id) if form.id else Visit()
            if v is None:
                raise NotFound("该走访记录已被删除")
            _fill_visit(v, hh, form, term_key)
            s.add(v)
            s.flush()
            _confirm_payments(s, v, form, lines)
            row = visit_row(s, v)
            audit.record(s, self._ctx, "update" if form.id else "create", "visit", v.id,
                         summary=f"{form.purpose} {hh.head_name}家 {form.visit_date}", after=row)
            return row

    def visits(self, household_id: int) -> list[VisitRow]:
        with self._ctx.read() as s:
            return [visit_row(s, v) for v in s.scalars(
                select(Visit).where(Visit.household_id == household_id).order_by(Visit.visit_date.desc(), Visit.id))]

    def households_not_visited(self, term: Term | str) -> list[NotVisitedGroup]:
        """Households with money paid this term and no visit recorded for the term, per officer."""
        term = parse_term(term)
        own = own_students(self._ctx.actor)             # a 班主任/录入员: the families of own classes
        with self._ctx.read() as s:
            visited = exists().where(Visit.household_id == Household.id, or_(
                Visit.term_key == term.key,
                Visit.id.in_(select(VisitPayment.visit_id).join(Disbursement).join(AidBatch)
                             .where(AidBatch.term_key == term.key))))
            stmt = (select(Household.id, Household.head_name, Household.village, Household.phone,
                           Household.liaison_officer_id, LiaisonOfficer.name,
                           func.aggregate_strings(Student.name, "、"), func.sum(Disbursement.amount_fen))
                    .join(Student, Student.household_id == Household.id)
                    .join(Disbursement, Disbursement.student_id == Student.id)
                    .join(AidBatch, AidBatch.id == Disbursement.batch_id)
                    .outerjoin(LiaisonOfficer, LiaisonOfficer.id == Household.liaison_officer_id)
                    .where(AidBatch.term_key == term.key,
                           Disbursement.status.in_((LineStatus.PAID, LineStatus.VERIFIED)), ~visited,
                           *([] if own is None else [own]))
                    .group_by(Household.id).order_by(LiaisonOfficer.name, Household.village, Household.head_name))
            groups: dict[int | None, NotVisitedGroup] = {}
            for hid, head, village, phone, oid, oname, kids, fen in s.execute(stmt):
                g = groups.setdefault(oid, NotVisitedGroup(oid, oname or NO_OFFICER, []))
                g.households.append(HouseholdBrief(hid, head, village, mask_phone(phone),
                                                   "、".join(dict.fromkeys((kids or "").split("、"))), int(fen or 0)))
            return list(groups.values())


def visit_row(s: Session, v: Visit) -> VisitRow:
    officer = s.get(LiaisonOfficer, v.officer_id) if v.officer_id else None
    rec = [(vp.disbursement_id, vp.received) for vp in s.scalars(
        select(VisitPayment).where(VisitPayment.visit_id == v.id).order_by(VisitPayment.disbursement_id))]
    return VisitRow(v.id, v.visit_date, officer.name if officer else "", v.purpose,
                    Term.from_key(v.term_key).label if v.term_key is not None else "", v.told,
                    v.statement_filed, v.family_remarks, v.follow_up, rec)


# ---- saving a visit ---------------------------------------------------------------------------
def _check_visit(form: VisitForm, today: dt.date) -> int | None:
    """Every problem of the form at once; returns the key of the term it names (None: not named)."""
    p: dict[str, str] = {}
    if form.household_id is None:
        p["household_id"] = "请选择家庭"
    if not isinstance(form.visit_date, dt.date):
        p["visit_date"] = "请填写走访日期"
    elif form.visit_date > today:
        p["visit_date"] = "走访日期不能晚于今天"
    if form.purpose not in VISIT_PURPOSES:
        p["purpose"] = f"走访目的应为：{'、'.join(VISIT_PURPOSES)}"
    term_key = None
    if form.term:
        try:
            term_key = parse_term(form.term).key
        except ValidationError as e:
            p["term"] = e.problems["term"]
    if any(v is not None and v not in RECEIVED for v in form.received.values()):
        p["received"] = "是否收到只能填“是”“否”或留空"
    if p:
        raise ValidationError(p)
    return term_key


def _visit_lines(s: Session, hh: Household, form: VisitForm) -> dict[int, Disbursement]:
    """The payment lines the visit answers for: the family's, paid, and paid before the visit."""
    lines = {d.id: d for d in s.scalars(select(Disbursement).where(Disbursement.id.in_(list(form.received))))}
    children = set(s.scalars(select(Student.id).where(Student.household_id == hh.id)))
    for lid, got in form.received.items():
        d = lines.get(lid)
        if d is None or d.student_id not in children:
            raise ValidationError({"received": f"发放记录 {lid} 不属于该家庭"})
        if got == "是" and d.status not in (LineStatus.PAID, LineStatus.VERIFIED):
            raise ValidationError({"received": f"发放记录 {lid} 状态为“{d.status}”，尚未发放，不能确认收到"})
        if got is not None and d.paid_on is not None and d.paid_on > form.visit_date:
            raise ValidationError({"visit_date": f"走访日期 {form.visit_date:%Y-%m-%d} 早于所核实的发放日期 "
                                                 f"{d.paid_on:%Y-%m-%d}：走访不能核实之后才发放的钱，请核对两个日期"})
    return lines


def _fill_visit(v: Visit, hh: Household, form: VisitForm, term_key: int | None) -> None:
    v.household_id, v.officer_id = hh.id, form.officer_id or hh.liaison_officer_id
    v.visit_date, v.term_key, v.purpose = form.visit_date, term_key, form.purpose
    v.told, v.statement_filed = form.told.strip(), form.statement_filed
    v.family_remarks = form.family_remarks.strip()
    v.follow_up = form.follow_up or any(x == "否" for x in form.received.values())
    v.follow_up_note = form.follow_up_note.strip()


def _confirm_payments(s: Session, v: Visit, form: VisitForm, lines: dict[int, Disbursement]) -> None:
    """An edited visit first gives back what it had confirmed, then confirms again."""
    for d in s.scalars(select(Disbursement).where(Disbursement.verified_visit_id == v.id)):
        if d.status == LineStatus.VERIFIED:
            d.status, d.verified_on, d.verified_visit_id = LineStatus.PAID, None, None
    s.execute(delete(VisitPayment).where(VisitPayment.visit_id == v.id))
    for lid, got in form.received.items():
        s.add(VisitPayment(visit_id=v.id, disbursement_id=lid, received=got))
        d = lines[lid]
        if got == "是" and d.status == LineStatus.PAID:
            d.status, d.verified_on, d.verified_visit_id = LineStatus.VERIFIED, v.visit_date, v.id
    s.flush()
