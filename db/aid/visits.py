"""Liaison officers, verification visits, households not yet visited, and the family record page."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import delete, exists, func, or_, select
from sqlalchemy.orm import Session, sessionmaker

from db.aid.dto import (
    VISIT_PURPOSES, FamilyChild, FamilyChoice, FamilyRecord, HouseholdBrief, LineStatus, NotVisitedGroup,
    OfficerForm, PaymentRow, RECEIVED, VisitForm, VisitRow,
)
from db.aid.terms import Term, parse_term, term_of
from db.errors import LedgerError, NotFound, ValidationError
from db.models import (
    AidBatch, AuditLog, Disbursement, Household, LiaisonOfficer, Student, StudentCategory, Visit, VisitPayment,
)
from db.validators import clean_text, mask_card, mask_id, mask_phone, normalize_phone

NO_OFFICER = "（未分配联络员）"


class VisitsMixin:
    _sf: sessionmaker[Session]

    # ---- liaison officers -------------------------------------------------------------------------
    def officers(self) -> list[OfficerForm]:
        with self._sf() as s:
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
        with self._sf.begin() as s:
            o = s.get(LiaisonOfficer, form.id) if form.id else LiaisonOfficer()
            if o is None:
                raise NotFound("该联络员已被删除")
            o.name, o.phone, o.unit = name, phone, form.unit.strip()
            s.add(o)
            s.flush()
            return OfficerForm(o.id, o.name, o.phone, o.unit)

    def delete_officer(self, officer_id: int) -> None:
        """Households and visits keep their records; their officer becomes unassigned."""
        with self._sf.begin() as s:
            o = s.get(LiaisonOfficer, officer_id)
            if o is None:
                raise NotFound("该联络员已被删除")
            s.add(AuditLog(action="delete", entity="liaison_officer", entity_id=o.id,
                           summary=f"删除联络员 {o.name}"))
            s.delete(o)

    def assign_officer(self, household_ids: list[int], officer_id: int | None) -> int:
        with self._sf.begin() as s:
            if officer_id is not None and s.get(LiaisonOfficer, officer_id) is None:
                raise NotFound("该联络员已被删除")
            n = 0
            for hh in s.scalars(select(Household).where(Household.id.in_(household_ids))):
                hh.liaison_officer_id = officer_id
                n += 1
            return n

    # ---- visits -----------------------------------------------------------------------------------
    def save_visit(self, form: VisitForm, *, today: dt.date | None = None) -> VisitRow:
        """Record a visit. Payments the family confirms (是) become 已核实; unknown stays blank."""
        today = today or dt.date.today()
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
        bad = [v for v in form.received.values() if v is not None and v not in RECEIVED]
        if bad:
            p["received"] = "是否收到只能填“是”“否”或留空"
        if p:
            raise ValidationError(p)
        with self._sf.begin() as s:
            hh = s.get(Household, form.household_id)
            if hh is None:
                raise NotFound("该家庭已被删除")
            lines = {d.id: d for d in s.scalars(select(Disbursement).where(Disbursement.id.in_(list(form.received))))}
            children = set(s.scalars(select(Student.id).where(Student.household_id == hh.id)))
            for lid, got in form.received.items():
                d = lines.get(lid)
                if d is None or d.student_id not in children:
                    raise ValidationError({"received": f"发放记录 {lid} 不属于该家庭"})
                if got == "是" and d.status not in (LineStatus.PAID, LineStatus.VERIFIED):
                    raise ValidationError({"received": f"发放记录 {lid} 状态为“{d.status}”，尚未发放，不能确认收到"})
            if term_key is None and lines:
                keys = set(s.scalars(select(AidBatch.term_key).where(
                    AidBatch.id.in_({d.batch_id for d in lines.values()}))))
                term_key = keys.pop() if len(keys) == 1 else None
            v = s.get(Visit, form.id) if form.id else Visit()
            if v is None:
                raise NotFound("该走访记录已被删除")
            v.household_id, v.officer_id = hh.id, form.officer_id or hh.liaison_officer_id
            v.visit_date, v.term_key, v.purpose = form.visit_date, term_key, form.purpose
            v.told, v.statement_filed = form.told.strip(), form.statement_filed
            v.family_remarks = form.family_remarks.strip()
            v.follow_up = form.follow_up or any(x == "否" for x in form.received.values())
            v.follow_up_note = form.follow_up_note.strip()
            s.add(v)
            s.flush()
            # an edited visit first gives back what it had confirmed, then confirms again
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
            return _visit_row(s, v)

    def visits(self, household_id: int) -> list[VisitRow]:
        with self._sf() as s:
            return [_visit_row(s, v) for v in s.scalars(
                select(Visit).where(Visit.household_id == household_id).order_by(Visit.visit_date.desc(), Visit.id))]

    def households_not_visited(self, term: Term | str) -> list[NotVisitedGroup]:
        """Households with money paid this term and no visit recorded for the term, per officer."""
        term = parse_term(term)
        with self._sf() as s:
            visited = exists().where(Visit.household_id == Household.id, or_(
                Visit.term_key == term.key,
                Visit.id.in_(select(VisitPayment.visit_id).join(Disbursement).join(AidBatch)
                             .where(AidBatch.term_key == term.key))))
            stmt = (select(Household.id, Household.head_name, Household.village, Household.phone,
                           Household.liaison_officer_id, LiaisonOfficer.name,
                           func.group_concat(Student.name.distinct()), func.sum(Disbursement.amount_fen))
                    .join(Student, Student.household_id == Household.id)
                    .join(Disbursement, Disbursement.student_id == Student.id)
                    .join(AidBatch, AidBatch.id == Disbursement.batch_id)
                    .outerjoin(LiaisonOfficer, LiaisonOfficer.id == Household.liaison_officer_id)
                    .where(AidBatch.term_key == term.key,
                           Disbursement.status.in_((LineStatus.PAID, LineStatus.VERIFIED)), ~visited)
                    .group_by(Household.id).order_by(LiaisonOfficer.name, Household.village, Household.head_name))
            groups: dict[int | None, NotVisitedGroup] = {}
            for hid, head, village, phone, oid, oname, kids, fen in s.execute(stmt):
                g = groups.setdefault(oid, NotVisitedGroup(oid, oname or NO_OFFICER, []))
                g.households.append(HouseholdBrief(hid, head, village, mask_phone(phone),
                                                   (kids or "").replace(",", "、"), int(fen or 0)))
            return list(groups.values())

    # ---- family lookup ----------------------------------------------------------------------------
    def search_family(self, text: str, limit: int = 30) -> list[FamilyChoice]:
        """Students whose name, ID number (prefix) or household head matches."""
        t = clean_text(text).upper()
        if not t:
            return []
        if t[:1].isdigit():
            cond = Student.id_number.startswith(t)
        else:
            cond = or_(Student.name.contains(t), Household.head_name == t)
        with self._sf() as s:
            stmt = (select(Student.id, Student.name, Student.id_number, Student.grade, Student.class_name,
                           Household.village).outerjoin(Household).where(cond)
                    .order_by(Student.name_pinyin, Student.id).limit(limit))
            return [FamilyChoice(i, f"{n}（{mask_id(idn)}，{g}{c}，{v or ''}）")
                    for i, n, idn, g, c, v in s.execute(stmt)]

    def family_record(self, key: int | str, *, today: dt.date | None = None) -> FamilyRecord:
        """Everything about a child and the household: a student id, or a name / ID number that
        matches exactly one student."""
        if isinstance(key, str):
            found = self.search_family(key, limit=10)
            if not found:
                raise NotFound(f"没有找到“{key}”")
            if len(found) > 1:
                raise LedgerError(f"“{key}”匹配到 {len(found)} 名学生，请输入更完整的姓名或身份证号")
            key = found[0].student_id
        today = today or dt.date.today()
        with self._sf() as s:
            st = s.get(Student, key)
            if st is None:
                raise NotFound(f"找不到编号为 {key} 的学生")
            hh = s.get(Household, st.household_id) if st.household_id else None
            kids = [st] if hh is None else list(s.scalars(
                select(Student).where(Student.household_id == hh.id).order_by(Student.birth_date, Student.id)))
            kid_ids = [k.id for k in kids]
            cats = {}
            for sid, c in s.execute(select(StudentCategory.student_id, StudentCategory.category)
                                    .where(StudentCategory.student_id.in_(kid_ids))):
                cats.setdefault(sid, []).append(c)
            names = {k.id: k.name for k in kids}
            pays = [PaymentRow(d.id, Term.from_key(tk).label, names[d.student_id], d.programme, d.amount_fen,
                               d.status, d.paid_on, mask_card(d.card_no), d.reason)
                    for d, tk in s.execute(select(Disbursement, AidBatch.term_key).join(AidBatch)
                                           .where(Disbursement.student_id.in_(kid_ids))
                                           .order_by(AidBatch.term_key.desc(), Disbursement.id))]
            visit_rows = [] if hh is None else [_visit_row(s, v) for v in s.scalars(
                select(Visit).where(Visit.household_id == hh.id).order_by(Visit.visit_date.desc()))]
            officer = s.get(LiaisonOfficer, hh.liaison_officer_id) if hh and hh.liaison_officer_id else None
            terms = sorted({Term.from_key(k) for k in s.scalars(select(AidBatch.term_key))} | {term_of(today)},
                           reverse=True)
        ents = {t.label: self.entitlements(t, [st.id]) for t in terms}
        child = _child(st, cats.get(st.id, []))
        return FamilyRecord(
            child, hh.id if hh else None, hh.head_name if hh else "", (hh.household_no or "") if hh else "",
            " ".join(x for x in (hh.township, hh.village, hh.group_name) if x) if hh else "",
            mask_phone(hh.phone) if hh else "", (hh.poverty_status or "") if hh else "",
            f"{officer.name}（{officer.phone}）" if officer and officer.phone else (officer.name if officer else ""),
            [_child(k, cats.get(k.id, [])) for k in kids if k.id != st.id], ents, pays, visit_rows,
            sum(p.amount_fen for p in pays if p.status in (LineStatus.PAID, LineStatus.VERIFIED)))


def _child(st: Student, cats: list[str]) -> FamilyChild:
    return FamilyChild(st.id, st.name, st.gender or "", mask_id(st.id_number), st.stage or "", st.grade,
                       st.class_name, st.residence or "", st.enrolment, sorted(cats), st.difficulty_level or "",
                       st.bank_name, mask_card(st.bank_card_no))


def _visit_row(s: Session, v: Visit) -> VisitRow:
    officer = s.get(LiaisonOfficer, v.officer_id) if v.officer_id else None
    rec = [(vp.disbursement_id, vp.received) for vp in s.scalars(
        select(VisitPayment).where(VisitPayment.visit_id == v.id).order_by(VisitPayment.disbursement_id))]
    return VisitRow(v.id, v.visit_date, officer.name if officer else "", v.purpose,
                    Term.from_key(v.term_key).label if v.term_key is not None else "", v.told,
                    v.statement_filed, v.family_remarks, v.follow_up, rec)
