"""The bank payment list and the 资助发放 sheet data."""
import datetime as dt
from decimal import Decimal

import openpyxl
import pytest

from db.aid.service import aid_sheet_writer
from db.errors import LedgerError


def read_bank_list(path):
    ws = openpyxl.load_workbook(path).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[1][:7] == ("序号", "姓名", "身份证号", "银行卡号", "开户行", "持卡人", "金额(元)")
    body, total = rows[2:-1], rows[-1]
    assert total[0] == "合计"
    return ws, body, total


def test_bank_list_has_text_ids_and_a_total_equal_to_the_batch(svc, make_student, tmp_path, sf):
    a = make_student(stage="普通高中", categories=("建档立卡",))          # 助学金 + 免学杂费 (0)
    make_student(stage="初中", residence="寄宿", name="=HYPERLINK(1)")
    svc.plan("2020秋")
    out, total = svc.export_bank_list("2020秋", tmp_path / "bank.xlsx")
    assert total == svc.batch_total("2020秋") == 150000 + 62500
    ws, body, last = read_bank_list(out)
    assert len(body) == 2                               # one row per student and card
    assert sum(round(Decimal(str(r[6])) * 100) for r in body) == total == round(Decimal(str(last[6])) * 100)
    for row in ws.iter_rows(min_row=3, max_row=4):
        assert row[2].data_type == "s" and row[2].number_format == "@" and len(row[2].value) == 18
        assert row[3].data_type == "s" and row[3].number_format == "@" and row[3].value.isdigit()
        assert row[6].number_format == "0.00"
    name_cells = [row[1] for row in ws.iter_rows(min_row=3, max_row=4)]
    assert "=HYPERLINK(1)" in [c.value for c in name_cells]     # user text never becomes a formula
    assert all(c.data_type == "s" for c in name_cells)
    assert not list(tmp_path.glob(".bank-*"))           # no temp file left behind
    from db.models.registry import Student
    with sf() as s:
        assert any(r[2] == s.get(Student, a).id_number for r in body)


def test_export_of_unpaid_lines_only_and_empty_batch(svc, make_student, tmp_path):
    a = make_student()
    make_student()
    svc.plan("2020秋")
    svc.pay("2020秋", dt.date(2020, 9, 20), [next(r.id for r in svc.lines("2020秋") if r.student_id == a)])
    _, total = svc.export_bank_list("2020秋", tmp_path / "u.xlsx", status="待发放")
    assert total == 31250
    svc.pay("2020秋", dt.date(2020, 9, 20))
    with pytest.raises(LedgerError):
        svc.export_bank_list("2020秋", tmp_path / "none.xlsx", status="待发放")
    assert not (tmp_path / "none.xlsx").exists()


def test_aid_sheet_writer_totals_by_programme_and_stage(sctx, svc, make_student, sf):
    make_student(stage="初中", residence="寄宿")
    make_student(stage="小学", residence="走读", categories=("农村低保",))
    make_student(stage="学前", residence=None)
    senior = make_student(stage="普通高中", categories=("建档立卡",), level=None)
    svc.plan("2020秋")
    waiver = next(r for r in svc.lines("2020秋") if r.student_id == senior and r.programme == "普通高中免学杂费")
    svc.adjust(waiver.id, "800", "核定学杂费")
    data = aid_sheet_writer(sctx, "2020秋")
    assert data.title == "2020年秋季学期资助发放" and data.headers[data.amount_column] == "金额(元)"
    assert data.headers[data.waiver_column] == "减免金额(元)"
    assert data.total_fen == svc.batch_total("2020秋") == 62500 + 25000 + 40000 + 150000
    assert sum(r[data.amount_column] or 0 for r in data.rows) == Decimal("2775.00")
    assert data.waiver_fen == 80000 and sum(r[data.waiver_column] or 0 for r in data.rows) == Decimal("800.00")
    row = next(r for r in data.rows if r[9] == "普通高中免学杂费")
    assert row[data.amount_column] is None and row[12] == "减免" and row[-1] == ""     # no card for a waiver
    assert [(t.key, t.amount_fen) for t in data.by_stage] == [("学前", 40000), ("小学", 25000), ("初中", 62500),
                                                               ("普通高中", 230000)]
    assert sum(t.amount_fen for t in data.by_programme) == data.total_fen + data.waiver_fen
    assert all(len(r[data.text_columns[0]]) == 18 for r in data.rows)
