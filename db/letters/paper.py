"""Data for the out-of-province letter (one session per call, returned as db/letters/pdf.py's
dataclass) and its document kind:

    letter   省外就读学生资助政策落实函（带回执）: the chosen letters (--id), the students' newest letters,
             or every letter not yet sent (--all) — one batch, each letter on its own pages
"""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.context import ServiceContext
from db.docs.kinds import DocKind, Selection
from db.docs.render import FORM, Section
from db.errors import LedgerError
from db.letters.pdf import LetterDoc, letter
from db.letters.service import LettersService
from db.models.letters import Letter
from db.models.registry import School, Student
from db.terms import Term


def _letters(s: Session, sel: Selection) -> list[Letter]:
    stmt = select(Letter).order_by(Letter.year, Letter.seq)
    if sel.record_ids:
        found = list(s.scalars(stmt.where(Letter.id.in_(sel.record_ids))))
    elif sel.student_ids or sel.household_ids:
        ids = list(sel.student_ids) + list(s.scalars(select(Student.id).where(Student.household_id.in_(sel.household_ids))))
        newest: dict[int, Letter] = {}
        for x in s.scalars(stmt.where(Letter.student_id.in_(ids), Letter.voided.is_(False))):
            newest[x.student_id] = x
        found = list(newest.values())
    elif sel.all:
        found = list(s.scalars(stmt.where(Letter.voided.is_(False), Letter.sent_on.is_(None))))
        if not found:
            raise LedgerError("没有待发出的函件（已发出的函件请选中后打印）")
    else:
        raise LedgerError("请指定打印范围：函件编号、学生或全部待发出的函件（--id / --student / --all）")
    if not found:
        raise LedgerError("所选范围内没有函件")
    voided = [x.number for x in found if x.voided]
    if voided:
        raise LedgerError(f"函件 {'、'.join(voided)} 已作废，不能打印")
    return found


def letter_docs(ctx: ServiceContext, sel: Selection) -> list[LetterDoc]:
    svc = LettersService(ctx)
    with ctx.read() as s:
        sc = s.scalar(select(School).order_by(School.id).limit(1))
        found = _letters(s, sel)
    school = (sc.name, sc.county, sc.phone, sc.officer, sc.headmaster) if sc else ("", "", "", "", "")
    policies: dict[tuple[str, int], list[str]] = {}
    out = []
    for x in found:
        key = (x.child_stage, x.term_key)
        if key not in policies:
            policies[key] = svc.policies(x.child_stage, Term.from_key(x.term_key).short) if x.child_stage else []
        exit_year = (f"{x.poverty_exit_year}年" if x.poverty_exit_year else
                     "未脱贫" if x.poverty_status == "未脱贫户" else "")
        out.append(LetterDoc(
            *school, x.number, x.letter_date, x.to_school,
            "".join(p for p in (x.to_province, x.to_city, x.to_county) if p), x.to_address, x.to_contact, x.to_phone,
            x.child_name, x.child_gender, x.child_id_number or "", x.child_stage, x.child_grade, x.head_name, x.address,
            f"建档立卡（{x.poverty_status}）" if x.poverty_status else "建档立卡", exit_year,
            Term.from_key(x.term_key).label, policies[key], x.request, x.reply_due))
    return out


def letter_sections(ctx, sel: Selection) -> list[Section]:
    return [Section(lambda kit, d=d: letter(kit, d), FORM, f"{d.school}　{d.number}")
            for d in letter_docs(ctx, sel)]


KINDS = [
    DocKind("letter", "省外就读学生资助政策落实函", "函件编号（--id）、学生；--all 为全部待发出的函件；每函一份，带回执",
            letter_sections, scopes=frozenset({"record", "student", "household", "all"})),
]
