"""The office's printed documents: the self-inspection report (自查报告), from the same CheckResult as
the 自查 page and `main.py check`.

    check    学生资助工作自查报告: today's inspection (the term of the selection, else the current one)
"""
from __future__ import annotations

from db.context import ServiceContext
from db.docs.kinds import DocKind, Selection
from db.docs.render import FORM, Section
from db.office.dto import CheckResult
from db.office.inspection import InspectionService
from db.office.pdf import CheckReport, check_report
from db.registry.school import SchoolService


def report_data(result: CheckResult, school: str) -> CheckReport:
    return CheckReport(school, result.as_of, result.term, result.list_name, result.children, result.on_list,
                       result.on_roll, sorted(result.accounted.items(), key=lambda kv: -kv[1]),
                       list(result.counts().items()),
                       [(g.rule, g.kind, g.name, g.id_number, g.where, g.missing) for g in result.gaps], list(result.notes))


def check_sections(ctx: ServiceContext, sel: Selection) -> list[Section]:
    result = InspectionService(ctx).run(sel.today, sel.term or None)
    data = report_data(result, SchoolService(ctx).info().name)
    return [Section(lambda kit: check_report(kit, data), FORM, f"{data.school}　自查报告")]


KINDS = [
    DocKind("check", "学生资助工作自查报告", "自查日期的全部情况（可用 --term 指定学期）", check_sections,
            scopes=frozenset({"all", "term"})),
]
