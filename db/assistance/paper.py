"""Data for individual assistance on paper: the 个性化帮扶记录表 per child (its document kind), and
the lines the aid ledger's 明白卡 shows in a section of its own (`card_lines`)."""
from __future__ import annotations

from sqlalchemy import select

from db.assistance.dto import PAIRING
from db.assistance.pdf import AssistanceLine, AssistanceSheet, assistance_sheet
from db.assistance.service import assistance_rows
from db.context import ServiceContext
from db.docs.kinds import DocKind, Selection
from db.docs.render import FORM, Section
from db.errors import LedgerError
from db.models.assistance import Assistance, AssistanceVisit
from db.models.registry import Household, Student
from db.registry.selection import school_facts, student_condition, student_order


def _when(r) -> str:
    if r.kind == PAIRING:
        return f"{r.given_on:%Y-%m-%d} 至 {r.until:%Y-%m-%d}" if r.until else f"{r.given_on:%Y-%m-%d} 起"
    return f"{r.given_on:%Y-%m-%d}"


def _line(r) -> AssistanceLine:
    return AssistanceLine(r.name, r.kind, _when(r), r.who, r.amount_fen, r.note)


def card_lines(ctx: ServiceContext, student_ids, school_year: int) -> dict[int, list[AssistanceLine]]:
    """student id -> the assistance of the school year, for the 明白卡 (one query for every card)."""
    wanted = set(student_ids)
    with ctx.read() as s:
        # a whole school's cards: the year's rows, filtered here (no IN list past SQLite's variable limit)
        rows = assistance_rows(s, list(wanted) if len(wanted) <= 2000 else None, school_year, "")
        out: dict[int, list[AssistanceLine]] = {}
        for r in sorted(rows, key=lambda r: (r.given_on, r.id)):
            if r.student_id in wanted:
                out.setdefault(r.student_id, []).append(_line(r))
        return out


def assistance_sheets(ctx: ServiceContext, sel: Selection) -> list[AssistanceSheet]:
    with ctx.read() as s:
        facts = school_facts(s)
        helped = select(Assistance.student_id)
        students = list(s.scalars(select(Student).where(student_condition(sel), Student.id.in_(helped))
                                  .order_by(*student_order())))
        out = []
        for st in students:
            hh = s.get(Household, st.household_id) if st.household_id else None
            rows = sorted(assistance_rows(s, [st.id], None, ""), key=lambda r: (r.given_on, r.id))
            sheet = AssistanceSheet(facts.name, st.name, f"{st.grade}{st.class_name}", hh.head_name if hh else "",
                                    " ".join(x for x in (hh.township, hh.village, hh.group_name) if x) if hh else "",
                                    f"建档立卡（{hh.poverty_status}）" if hh and hh.poverty_status else "",
                                    [_line(r) for r in rows], today=sel.today_or_now)
            who = {r.id: r.who for r in rows}
            sheet.visits = [(v.visit_date, who.get(v.assistance_id, ""), v.content) for v in s.scalars(
                select(AssistanceVisit).where(AssistanceVisit.assistance_id.in_(list(who)))
                .order_by(AssistanceVisit.visit_date))]
            out.append(sheet)
    if not out:
        raise LedgerError("所选范围内没有个性化帮扶记录")
    return out


def assistance_sections(ctx, sel: Selection) -> list[Section]:
    return [Section(lambda kit, a=a: assistance_sheet(kit, a), FORM, f"{a.school}　个性化帮扶记录表")
            for a in assistance_sheets(ctx, sel)]


KINDS = [
    DocKind("assistance", "家庭经济困难学生个性化帮扶记录表", "学生、家庭、班级或全部（有帮扶记录的学生）；每人一份",
            assistance_sections, scopes=frozenset({"student", "household", "class", "all"}), per_student=True),
]

__all__ = ["KINDS", "card_lines"]
