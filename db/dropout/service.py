"""The dropout-control ledger's service (控辍保学, issue 12): one session per call, plain dataclasses out
(db.dropout.dto), the rules in db.dropout.rules. Split by topic into mixins of one class:

    cases      find_children(text), child_label(id), county_entry_label(id);
               open_case(CaseForm) (a student, or county_entry_id: a child on the pushed list);
               save_case(CaseForm); delete_case(id) (a case opened by mistake only);
               move(id, Move) (辍学 / 复学 / 销号, as the rules allow); get_case(id) -> CaseDetail;
               cases(CaseQuery) -> [CaseRow]; cases_for_student(student_id) (the family page)
    attempts   record_attempt(AttemptForm) (the first on a 辍学 case moves it to 劝返中);
               record_follow_up(id, date, note) (a month after 复学); overdue(today) -> [OverdueItem]
               (the home page); escalate_after() / set_escalate_after(n); reasons() / set_reasons([...])
    report     month_report("2020-10") -> MonthReport (by stage, 建档立卡 counts, 销号 by reason, cases)

The student's enrolment in the registry follows the case (db.registry.enrolment, in the same write).
"""
from __future__ import annotations

from db.context import ServiceContext
from db.dropout.attempts import AttemptsMixin
from db.dropout.cases import CasesMixin
from db.dropout.report import ReportMixin


class DropoutService(CasesMixin, AttemptsMixin, ReportMixin):
    def __init__(self, ctx: ServiceContext):
        self._ctx = ctx
