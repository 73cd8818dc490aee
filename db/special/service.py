"""The special-needs ledger service (issue 13: 残疾儿童少年 "一人一案"). One session per call; every
method returns plain dataclasses (db.special.dto). The rules are written out in db.special.rules.

    files        list_files(FileQuery) -> [FileRow]; file_counts(); get_file(id) -> FileForm;
                 find_children(text) -> [ChildChoice] (students, and county-list children not at school);
                 draft_file("s:12" | "c:34") -> FileForm; save_file(FileForm); delete_file(id);
                 file_for_student(student_id); visit_settings(); set_visit_settings(every_days, minutes)
    records      assessments(file_id), save_assessment, delete_assessment;
                 placements(file_id) (history, newest first), save_placement, delete_placement;
                 exemptions(file_id), save_exemption, delete_exemption, exemption_roll("2020-2021")
    plans        plans(file_id), save_plan(PlanForm with goals), delete_plan;
                 home_visits(file_id, term=None), save_home_visit, delete_home_visit;
                 home_teaching_due(today) -> [DueVisit]  (visits due and missed; for the home page)
    attachments  attachments(file_id) (with checked thumbnails), add_attachment(file_id, path | bytes, …),
                 attachment_data(id) (bytes checked against their SHA-256), update_attachment, delete_attachment,
                 verify_attachments()
    report       alerts(today) -> [Alert] (for the home page), counts() -> [CountRow],
                 report(term) -> SpecialReport, family_files(student_ids) -> [FamilySpecial]
"""
from __future__ import annotations

from db.context import ServiceContext
from db.special.attachments import AttachmentsMixin
from db.special.files import FilesMixin
from db.special.plans import PlansMixin
from db.special.records import RecordsMixin
from db.special.report import ReportMixin


class SpecialService(FilesMixin, RecordsMixin, PlansMixin, AttachmentsMixin, ReportMixin):
    def __init__(self, ctx: ServiceContext):
        self._ctx = ctx
