"""The submission workbook the county collects ("报送工作簿").

    export_workbook(ctx, "报送.xlsx", term="2020秋", filled_by="李老师")

Sheets are produced by a list of sheet writers (`SHEET_WRITERS`): 封面汇总 (filled last, placed
first), 学生名册, 核对结果 (when a pushed list exists), 资助发放 (when the term has a batch). A later
module adds its sheet by appending one function `writer(wb, job) -> SheetInfo | None`.

Without a template the workbook is streamed by xlsxwriter in constant-memory mode, rows straight from
SQL in chunks. With `template=` the county's own xlsx is filled by openpyxl (db/exchange/template_fill).
The file is written to a temporary name in the target folder and renamed when complete.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select

from db import audit, enums
from db.access.roles import Perm, require
from db.aid.xlsx import aid_sheet_writer
from db.assistance import xlsx as assistance_xlsx
from db.context import Cancel, Progress, ServiceContext
from db.dropout.xlsx import write_sheet as dropout_sheet
from db.employment import xlsx as employment_xlsx
from db.errors import NotFound
from db.exchange import roster
from db.exchange.dto import SheetInfo, WorkbookResult
from db.exchange.reconcile import ReconcileService, write_recon_sheet
from db.exchange.template_fill import fill_template
from db.letters.xlsx import write_sheet as letters_sheet
from db.models.registry import School, Student, StudentCategory
from db.money import fen_to_decimal, format_yuan
from db.nutrition import xlsx as nutrition_xlsx
from db.registry.dto import SchoolInfo
from db.sheets import (
    Cancelled,
    Formats,
    add_dropdown,
    atomic_output,
    closing_on_error,
    column_width,
    open_workbook,
    write_header,
    write_value,
)
from db.special import xlsx as special_xlsx
from db.survey import xlsx as survey_xlsx
from db.terms import parse_term


@dataclass
class ExportJob:
    """What every sheet writer gets."""
    ctx: ServiceContext
    term: object                      # db.terms.Term
    school: SchoolInfo
    filled_by: str
    today: dt.date
    fmt: Formats
    progress: Progress = None
    cancelled: Cancel = None

    def check_cancel(self) -> None:
        if self.cancelled and self.cancelled():
            raise Cancelled()


SheetWriter = Callable[[object, ExportJob], "SheetInfo | None"]     # (xlsxwriter.Workbook, job)


# ---- sheet writers --------------------------------------------------------------------------
def write_roster(wb, job: ExportJob) -> SheetInfo:
    """学生名册: every registry column, canonical headers, text cells for personal numbers."""
    ws = wb.add_worksheet("学生名册")
    widths = [roster.WIDTHS[f] for f in roster.FIELDS]
    write_header(ws, 0, roster.HEADERS, job.fmt, widths, text_columns=set(roster.TEXT_COLUMNS))
    ws.set_landscape()
    ws.set_paper(9)
    ws.repeat_rows(0)
    total = roster.count_students(job.ctx)
    by_kind = {"plain": (ws.write_string, None), "text": (ws.write_string, job.fmt.text),
               "date": (ws.write_datetime, job.fmt.date), "number": (ws.write_number, None)}
    cells = [by_kind[k] for k in roster.KINDS]           # (method, format) per column, looked up once
    r = 0
    for r, row in enumerate(roster.roster_rows(job.ctx, job.cancelled), 1):
        for c, v in enumerate(row):
            if v is not None and v != "":
                fn, f = cells[c]
                fn(r, c, v, f)
        if not r % 5000:
            if job.progress:
                job.progress(r, total)
            job.check_cancel()
    last = max(r, 1) + 500                  # room for rows the officer adds by hand
    for fld, choices in roster.DROPDOWNS.items():
        add_dropdown(ws, 1, last, roster.FIELDS.index(fld), choices, roster.HEADERS[roster.FIELDS.index(fld)])
    if r:
        ws.autofilter(0, 0, r, len(roster.HEADERS) - 1)
    if job.progress:
        job.progress(total, total)
    return SheetInfo("学生名册", r)


def write_reconciliation(wb, job: ExportJob) -> SheetInfo | None:
    """核对结果 of the latest pushed list, when one exists."""
    svc = ReconcileService(job.ctx)
    if svc.latest_list_id() is None:
        return None
    rec = svc.compare(None)
    ws = wb.add_worksheet("核对结果")
    counts = "，".join(f"{title} {len(lines)} 人" for _, title, lines in rec.groups())
    ws.write_string(0, 0, f"{rec.list.kind}（{rec.list.list_date:%Y-%m-%d}，{rec.list.source_file}）：{counts}",
                    job.fmt.bold)
    lines = [line for _, _, group in rec.groups() for line in group]
    n = write_recon_sheet(ws, job.fmt, lines, svc.follow_up_statuses(), row0=1)
    return SheetInfo("核对结果", n, counts)


def write_aid(wb, job: ExportJob) -> SheetInfo | None:
    """资助发放 of the term (issue 4's data), when the term has a batch."""
    try:
        data = aid_sheet_writer(job.ctx, job.term)
    except NotFound:
        return None
    name = data.title[:31]
    ws = wb.add_worksheet(name)
    texts = set(data.text_columns)
    widths = [max(8.0, min(24.0, 2.0 + 2 * len(h))) for h in data.headers]
    write_header(ws, 0, data.headers, job.fmt, widths, text_columns=texts)
    for r, row in enumerate(data.rows, 1):
        for c, v in enumerate(row):
            write_value(ws, r, c, v, job.fmt, text=c in texts)
    r = len(data.rows) + 1
    ws.write_string(r, 0, "合计", job.fmt.bold)
    write_value(ws, r, data.amount_column, fen_to_decimal(data.total_fen), job.fmt)
    if data.waiver_column is not None:          # 减免 (not cash), apart
        write_value(ws, r, data.waiver_column, fen_to_decimal(data.waiver_fen), job.fmt)
    return SheetInfo(name, len(data.rows), f"合计 {format_yuan(data.total_fen)} 元，减免 {format_yuan(data.waiver_fen)} 元")


def ledger_sheet(write) -> SheetWriter:
    """A ledger's own sheet: `write(wb, ctx, formats, today) -> (name, rows, note) | None` (the ledger
    packages know nothing of this module)."""
    def writer(wb, job: ExportJob) -> SheetInfo | None:
        got = write(wb, job.ctx, job.fmt, job.today)
        return SheetInfo(*got) if got else None
    return writer


def term_sheet(write) -> SheetWriter:
    """A ledger's own sheet for the workbook's term: `write(wb, ctx, formats, term) -> (name, rows, note)
    | None` (the ledger packages know nothing of this module)."""
    def writer(wb, job: ExportJob) -> SheetInfo | None:
        got = write(wb, job.ctx, job.fmt, job.term)
        return SheetInfo(*got) if got else None
    return writer




def write_special(wb, job: ExportJob) -> SheetInfo | None:
    """残疾儿童安置统计 (issue 13), when the school keeps special-needs files."""
    made = special_xlsx.write_counts_sheet(wb, job.fmt, job.ctx, job.term)
    return SheetInfo(*made) if made else None


def write_exempt(wb, job: ExportJob) -> SheetInfo | None:
    """免于学习名册 of the term's school year (issue 13), when the school keeps special-needs files."""
    made = special_xlsx.write_exempt_sheet(wb, job.fmt, job.ctx, job.term)
    return SheetInfo(*made) if made else None


SHEET_WRITERS: list[SheetWriter] = [write_roster, write_reconciliation, write_aid, ledger_sheet(dropout_sheet),
                                    ledger_sheet(letters_sheet), term_sheet(survey_xlsx.write_sheet),
                                    term_sheet(nutrition_xlsx.write_sheet), term_sheet(employment_xlsx.write_sheet),
                                    term_sheet(assistance_xlsx.write_sheet), write_special, write_exempt]


# ---- cover ----------------------------------------------------------------------------------
def stage_counts(ctx: ServiceContext) -> tuple[dict[str, int], dict[tuple[str, str], int], dict[str, int]]:
    """In-school students by stage; by (stage, category); by difficulty level."""
    at_school = Student.enrolment.in_(("在校", "休学"))
    with ctx.read() as s:
        by_stage = dict(s.execute(select(func.coalesce(Student.stage, ""), func.count())
                                  .where(at_school).group_by(Student.stage)).all())
        by_cat = {(st, c): n for st, c, n in s.execute(
            select(func.coalesce(Student.stage, ""), StudentCategory.category, func.count())
            .join(StudentCategory, StudentCategory.student_id == Student.id).where(at_school)
            .group_by(Student.stage, StudentCategory.category))}
        by_level = dict(s.execute(select(func.coalesce(Student.difficulty_level, "未认定"), func.count())
                                  .where(at_school).group_by(Student.difficulty_level)).all())
        needy = dict(s.execute(select(func.coalesce(Student.stage, ""), func.count(func.distinct(Student.id)))
                               .join(StudentCategory, StudentCategory.student_id == Student.id).where(at_school)
                               .group_by(Student.stage)).all())
    by_cat.update({(st, "__needy__"): n for st, n in needy.items()})
    return by_stage, by_cat, by_level


def write_cover(ws, job: ExportJob, sheets: list[SheetInfo]) -> None:
    fmt = job.fmt
    cats = enums.values(enums.Category)
    heads = ["学段", "在校学生", "困难学生"] + cats
    ws.set_column(0, 0, 14)
    for c, h in enumerate(heads[1:], 1):
        ws.set_column(c, c, column_width(h, lo=10))
    ws.merge_range(0, 0, 0, len(heads) - 1, f"{job.school.name or '本校'}学生资助工作报送表", fmt.title)
    ws.set_row(0, 30)
    ws.set_landscape()
    ws.set_paper(9)                               # A4
    ws.fit_to_pages(1, 0)
    info = [("学校", job.school.name), ("县（区）", job.school.county), ("学期", job.term.label),
            ("填表人", job.filled_by or job.school.officer), ("校长", job.school.headmaster),
            ("联系电话", job.school.phone), ("填报日期", job.today)]
    for i, (k, v) in enumerate(info, 2):
        ws.write_string(i, 0, k, fmt.bold)
        write_value(ws, i, 1, v, fmt, text=k == "联系电话")
    r = len(info) + 3
    ws.write_string(r, 0, "按学段、资助对象类别统计（人）", fmt.bold)
    r += 1
    for c, h in enumerate(heads):
        ws.write_string(r, c, h, fmt.header)
    by_stage, by_cat, by_level = stage_counts(job.ctx)
    stages = enums.values(enums.Stage) + ([""] if "" in by_stage else [])
    totals = [0] * (len(heads) - 1)
    for st in stages:
        vals = [by_stage.get(st, 0), by_cat.get((st, "__needy__"), 0)] + [by_cat.get((st, c), 0) for c in cats]
        if not any(vals):
            continue
        r += 1
        ws.write_string(r, 0, st or "未填学段")
        for c, v in enumerate(vals, 1):
            ws.write_number(r, c, v)
        totals = [a + b for a, b in zip(totals, vals)]
    r += 1
    ws.write_string(r, 0, "合计", fmt.bold)
    for c, v in enumerate(totals, 1):
        ws.write_number(r, c, v, fmt.bold)
    r += 2
    ws.write_string(r, 0, "按认定等级统计（人）", fmt.bold)
    for lv in enums.values(enums.DifficultyLevel) + ["未认定"]:
        if by_level.get(lv):
            r += 1
            ws.write_string(r, 0, lv)
            ws.write_number(r, 1, by_level[lv])
    r += 2
    ws.write_string(r, 0, "本工作簿包含", fmt.bold)
    for sh in sheets:
        r += 1
        ws.write_string(r, 0, sh.name)
        ws.write_string(r, 1, f"{sh.rows} 行" + (f"（{sh.note}）" if sh.note else ""))


# ---- entry point ----------------------------------------------------------------------------
def school_info(ctx: ServiceContext) -> SchoolInfo:
    with ctx.read() as s:
        sc = s.scalar(select(School).order_by(School.id).limit(1))
        if sc is None:
            return SchoolInfo()
        return SchoolInfo(sc.name, sc.county, sc.township, [x for x in sc.stages.split(",") if x], sc.code,
                          sc.officer, sc.headmaster, sc.phone)


def export_workbook(ctx: ServiceContext, out_path: Path | str, *, term: str = "2020秋",
                    template: Path | str | None = None, filled_by: str = "", progress: Progress = None,
                    cancelled: Cancel = None, writers: list[SheetWriter] | None = None,
                    today: dt.date | None = None) -> WorkbookResult:
    """Write the submission workbook to `out_path` (atomically). See the module docstring."""
    require(ctx.actor, Perm.EXPORT_FULL)                    # full ID and card numbers for the county
    t = parse_term(term)
    out = Path(out_path)
    audit.can_record(ctx)
    if template is not None:
        result = fill_template(ctx, Path(template), out, progress=progress, cancelled=cancelled)
        audit.log_event(ctx, "export", "workbook", summary=f"按县模板导出报送工作簿 {out.name}")
        return result
    with atomic_output(out) as tmp:
        wb = open_workbook(tmp, constant_memory=True)
        with closing_on_error(wb):
            job = ExportJob(ctx, t, school_info(ctx), filled_by, today or dt.date.today(), Formats(wb),
                            progress, cancelled)
            cover = wb.add_worksheet("封面汇总")
            sheets = [info for w in (writers if writers is not None else SHEET_WRITERS)
                      if (info := w(wb, job)) is not None]
            write_cover(cover, job, sheets)
            cover.activate()
    students = next((s.rows for s in sheets if s.name == "学生名册"), 0)
    audit.log_event(ctx, "export", "workbook",
                    summary=f"导出报送工作簿 {out.name}（{t.label}，学生 {students} 名，含完整证件号）")
    return WorkbookResult(out, students, sheets)
