"""The special-needs ledger's sheets of the submission workbook (written by db/exchange/workbook.py,
which calls these with its xlsxwriter workbook and formats):

- 残疾儿童安置统计: open files by disability category × the county's placement groups (随班就读,
  特教学校, 送教上门, 免于学习, 其他安置, 待安置) and 建档立卡; then every placement on its own; then the
  term's 送教上门 visits per child.
- 免于学习名册: the school year's entries, ID numbers in full as text cells (the county needs them).

Each returns (sheet name, rows, note) or None when the school keeps no special-needs file.
"""
from __future__ import annotations

from sqlalchemy import func, select

from db.context import ServiceContext
from db.models.special import SpecialFile
from db.sheets import write_header, write_value
from db.special import rules
from db.special.service import SpecialService
from db.terms import Term

COUNTS_SHEET, EXEMPT_SHEET = "残疾儿童安置统计", "免于学习名册"
VISIT_HEADERS = ["姓名", "就读情况", "送教频次(天)", "已送教(次)", "应送教(约)", "缺(次)", "累计时长(分钟)", "最近送教"]
EXEMPT_HEADERS = ["序号", "姓名", "性别", "身份证号", "残疾类别", "残疾等级", "诊断医院", "诊断结论", "诊断日期",
                  "评估日期", "评估结论", "监护人", "申请日期", "审批单位", "审批日期", "有效学年", "复核（到期）日期",
                  "复核结果"]


def has_files(ctx: ServiceContext) -> bool:
    with ctx.read() as s:
        return bool(s.scalar(select(func.count(SpecialFile.id))))


def write_counts_sheet(wb, fmt, ctx: ServiceContext, term: Term) -> tuple[str, int, str] | None:
    if not has_files(ctx):
        return None
    svc = SpecialService(ctx)
    rep = svc.report(term)
    ws = wb.add_worksheet(COUNTS_SHEET)
    groups = list(rules.PLACEMENT_GROUPS)
    ws.set_column(0, 0, 14)
    ws.set_column(1, 40, 11)
    ws.write_string(0, 0, f"{rep.term}残疾儿童少年安置情况统计（人）", fmt.bold)
    r = 2
    write_header(ws, r, ["残疾类别", *groups, "合计", "其中建档立卡"], fmt)
    for row in rep.rows:
        r += 1
        label = rules.CATEGORY_LABELS.get(row.category, row.category)
        ws.write_string(r, 0, label, fmt.bold if row.category == "合计" else None)
        for c, g in enumerate(groups, 1):
            ws.write_number(r, c, row.groups[g])
        ws.write_number(r, len(groups) + 1, row.total)
        ws.write_number(r, len(groups) + 2, row.registered_poor)
    r += 2
    ws.write_string(r, 0, "按安置方式（明细）", fmt.bold)
    r += 1
    for c, h in enumerate(["残疾类别", *rules.PLACEMENTS, "合计"]):
        ws.write_string(r, c, h, fmt.header)
    for row in rep.rows:
        r += 1
        ws.write_string(r, 0, rules.CATEGORY_LABELS.get(row.category, row.category))
        for c, p in enumerate(rules.PLACEMENTS, 1):
            ws.write_number(r, c, row.by_placement[p])
        ws.write_number(r, len(rules.PLACEMENTS) + 1, row.total)
    r += 2
    ws.write_string(r, 0, f"送教上门（{rep.term}，每名儿童）", fmt.bold)
    r += 1
    for c, h in enumerate(VISIT_HEADERS):
        ws.write_string(r, c, h, fmt.header)
    for v in rep.visits:
        r += 1
        for c, value in enumerate((v.name, v.where, v.every_days, v.done, v.expected, v.missed, v.minutes, v.last_visit)):
            write_value(ws, r, c, value, fmt)
    total = rep.rows[-1].total
    return COUNTS_SHEET, total, f"共 {total} 人，送教上门 {len(rep.visits)} 人"


def write_exempt_sheet(wb, fmt, ctx: ServiceContext, term: Term) -> tuple[str, int, str] | None:
    if not has_files(ctx):
        return None
    rows = SpecialService(ctx).exemption_roll(term.school_year)
    ws = wb.add_worksheet(EXEMPT_SHEET)
    ws.write_string(0, 0, f"{term.school_year}学年残疾儿童少年免于学习名册", fmt.bold)
    id_col = EXEMPT_HEADERS.index("身份证号")
    write_header(ws, 1, EXEMPT_HEADERS, fmt, [6, 10, 6, 21, 9, 9, 16, 24, 12, 12, 20, 14, 12, 16, 12, 11, 12, 16],
                 text_columns={id_col})
    for i, x in enumerate(rows, 1):
        values = (i, x.name, x.gender, x.id_number, rules.CATEGORY_LABELS.get(x.category, x.category), x.grade, x.hospital,
                  x.diagnosis, x.diagnosed_on, x.assessed_on, x.assessment_conclusion, x.guardian, x.applied_on,
                  x.approved_by, x.approved_on, x.school_year, x.reviewed_on or x.review_due, x.review_result)
        for c, v in enumerate(values):
            write_value(ws, i + 1, c, v, fmt, text=c == id_col)
    return EXEMPT_SHEET, len(rows), f"{term.school_year}学年 {len(rows)} 人"
