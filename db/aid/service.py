"""The aid ledger service (issue 4): standards, entitlements, term batches, payments, visits, family
lookup and exports. One session per call; every method returns plain dataclasses (db.aid.dto).

The work is split by topic into mixins (standards, plan, lines, visits, family, xlsx);
screens and the command line use the one `AidService`. Terms may be given as Term or text (2020秋).

    standards      list_standards(), save_standard(StandardRow), set_standard_active(id, bool),
                   deadlines(), set_deadline("秋", "09-25")
    settings       aid_settings() -> AidSettings, save_aid_settings(AidSettings) (营养改善计划试点, 未认定学生)
    entitlements   entitlements(term, student_ids=None, cash_only=False), students_without_entitlement(term)
    batch          plan(term, dry_run=False) -> PlanResult (dry_run: .changes);
                   count_lines/lines(term, LineQuery, offset, limit) -> LineRow;
                   line_filter_options(term); line_history(id); adjust(id, "312.50" | fen, reason);
                   pay(term, date, line_ids=None) -> PayResult; void(id, reason); reissue(id, amount, reason);
                   batch_total(term); summary(term) -> BatchSummary; deadline_status(today) -> [DeadlineRow]
    visits         officers(), save_officer(OfficerForm), delete_officer(id), assign_officer(hh_ids, id);
                   save_visit(VisitForm) (是 → 已核实), visits(household_id), households_not_visited(term)
    family         search_family(text) -> [FamilyChoice], family_record(student_id | name | ID) -> FamilyRecord
    exports        export_bank_list(term, path, status="") -> (path, total fen); bank_list_rows(term);
                   notice_rows(term) (公示 data); export_notice(path, start, end, term) (公示名单 xlsx);
                   aid_sheet_writer(ctx, term) -> SheetData (资助发放 sheet)
"""
from __future__ import annotations

from db.aid.family import FamilyMixin
from db.aid.lines import LinesMixin
from db.aid.plan import PlanMixin
from db.aid.settings import SettingsMixin
from db.aid.standards import StandardsMixin
from db.aid.visits import VisitsMixin
from db.aid.xlsx import ExportMixin, aid_sheet_writer
from db.context import ServiceContext

__all__ = ["AidService", "aid_sheet_writer"]


class AidService(StandardsMixin, SettingsMixin, PlanMixin, LinesMixin, VisitsMixin, FamilyMixin, ExportMixin):
    def __init__(self, ctx: ServiceContext):
        self._ctx = ctx
