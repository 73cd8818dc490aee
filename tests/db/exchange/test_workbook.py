"""The submission workbook: real files written by the export and read back with openpyxl/calamine."""
from __future__ import annotations

import datetime as dt

import openpyxl
import pytest
import python_calamine as pc

from db.demo import fill_demo
from db.errors import LedgerError
from db.exchange import roster
from db.exchange.mapping import FIELD_LABELS
from db.exchange.workbook import SHEET_WRITERS, SheetInfo, export_workbook
from db.models.registry import Household, School, Student, StudentCategory
from db.sheets import Cancelled
from tests.db.exchange.files import make_id

ID1 = make_id(dt.date(2010, 5, 3), True, seq=1)
ID2 = make_id(dt.date(2011, 6, 4), False, seq=2)
CARD = "6228480402564890018"


def add_people(sf):
    with sf.begin() as s:
        s.add(School(name="阚疃镇中心学校", county="利辛县", officer="李老师", headmaster="王校长"))
        h = Household(household_no="3416230000000001", head_name="张大山", head_id_number=None,
                      township="阚疃镇", village="前进村", group_name="3组", poverty_status="脱贫户",
                      poverty_exit_year=2018)
        s.add(h)
        s.flush()
        a = Student(household_id=h.id, name="张小明", gender="男", id_number=ID1, student_no="G" + ID1,
                    birth_date=dt.date(2010, 5, 3), stage="小学", grade="四年级", class_name="2",
                    residence="寄宿", enrolment="在校", phone="13912345678", bank_card_no=CARD,
                    bank_name="中国农业银行", card_holder="张大山", card_holder_relation="父亲",
                    relation_to_head="之子", difficulty_level="特别困难", notes="=1+1")
        b = Student(household_id=h.id, name="张小红", gender="女", id_number=ID2, birth_date=dt.date(2011, 6, 4),
                    stage="小学", grade="三年级", class_name="1", residence=None, enrolment="在校",
                    study_school="+SUM(A1:A9)", notes="@cmd|' /C calc'!A0")
        s.add_all([a, b])
        s.flush()
        s.add_all([StudentCategory(student_id=a.id, category="建档立卡"),
                   StudentCategory(student_id=a.id, category="农村低保"),
                   StudentCategory(student_id=b.id, category="残疾学生")])


@pytest.fixture
def people(sctx, sf):
    add_people(sf)
    return sctx


def roster_sheet(path):
    ws = openpyxl.load_workbook(path)["学生名册"]
    head = [c.value for c in ws[1]]
    return ws, head


def test_sheets_and_cover(people, tmp_path):
    out = tmp_path / "报送.xlsx"
    r = export_workbook(people, out, term="2020秋", filled_by="李老师", today=dt.date(2020, 9, 20))
    assert r.students == 2
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["封面汇总", "学生名册"]          # no pushed list, no aid batch yet
    cover = {row[0]: row[1] for row in wb["封面汇总"].iter_rows(values_only=True) if row[0]}
    assert cover["学校"] == "阚疃镇中心学校"
    assert cover["学期"] == "2020年秋季学期"
    assert cover["填表人"] == "李老师"
    assert cover["填报日期"] == dt.datetime(2020, 9, 20)
    rows = [row for row in wb["封面汇总"].iter_rows(values_only=True)]
    head = next(row for row in rows if row[0] == "学段")
    primary = next(row for row in rows if row[0] == "小学")
    assert primary[head.index("在校学生")] == 2 and primary[head.index("建档立卡")] == 1
    assert primary[head.index("残疾学生")] == 1 and primary[head.index("困难学生")] == 2


def test_roster_headers_are_the_importer_labels(people, tmp_path):
    export_workbook(people, tmp_path / "a.xlsx")
    _, head = roster_sheet(tmp_path / "a.xlsx")
    assert head == [FIELD_LABELS[f] for f in roster.FIELDS]
    assert set(roster.FIELDS) == set(FIELD_LABELS)           # every registry column the importer knows


def test_personal_numbers_are_text_cells(people, tmp_path):
    export_workbook(people, tmp_path / "a.xlsx")
    ws, head = roster_sheet(tmp_path / "a.xlsx")
    row = next({h: c for h, c in zip(head, r)} for r in ws.iter_rows(min_row=2) if r[0].value == "张小明")
    for label, want in (("身份证号", ID1), ("学籍号", "G" + ID1), ("银行卡号", CARD), ("联系电话", "13912345678")):
        cell = row[label]
        assert cell.value == want and cell.data_type == "s" and cell.number_format == "@", label
    # calamine (what the importer reads with) sees the same text, not a float
    sheet = pc.CalamineWorkbook.from_path(str(tmp_path / "a.xlsx")).get_sheet_by_name("学生名册").to_python()
    assert ID1 in [r[head.index("身份证号")] for r in sheet[1:]]


def test_user_text_never_becomes_a_formula(people, tmp_path):
    export_workbook(people, tmp_path / "a.xlsx")
    ws, head = roster_sheet(tmp_path / "a.xlsx")
    values = {(c.value, c.data_type) for row in ws.iter_rows(min_row=2) for c in row if c.value is not None}
    assert ("=1+1", "s") in values
    assert ("+SUM(A1:A9)", "s") in values
    assert ("@cmd|' /C calc'!A0", "s") in values
    assert not any(t == "f" for _, t in values)


def test_dates_are_dates_and_unknown_yes_no_is_blank(people, tmp_path):
    export_workbook(people, tmp_path / "a.xlsx")
    ws, head = roster_sheet(tmp_path / "a.xlsx")
    rows = {r[head.index("姓名")].value: r for r in ws.iter_rows(min_row=2)}
    birth = rows["张小明"][head.index("出生日期")]
    assert birth.value == dt.datetime(2010, 5, 3) and birth.number_format == "yyyy-mm-dd"
    assert rows["张小明"][head.index("寄宿/走读")].value == "寄宿"
    assert rows["张小红"][head.index("寄宿/走读")].value is None          # unknown: blank, never 否
    assert rows["张小明"][head.index("资助对象类别")].value == "建档立卡、农村低保"
    assert rows["张小明"][head.index("脱贫年度")].value == 2018


def test_frozen_header_widths_and_dropdowns(people, tmp_path):
    export_workbook(people, tmp_path / "a.xlsx")
    ws, head = roster_sheet(tmp_path / "a.xlsx")
    assert ws.freeze_panes == "A2"
    assert ws.column_dimensions["D"].width >= 20                          # 身份证号 fits 18 digits
    lists = {}
    for dv in ws.data_validations.dataValidation:
        col = str(dv.sqref).split(":")[0].rstrip("0123456789")
        lists[head[openpyxl.utils.column_index_from_string(col) - 1]] = dv.formula1
    for label, value in (("学段", "初中"), ("年级", "七年级"), ("性别", "女"), ("寄宿/走读", "走读"),
                         ("在校状态", "转出"), ("认定等级", "特别困难"), ("脱贫属性", "监测户")):
        assert label in lists and value in lists[label], label
    assert "身份证号" not in lists


def test_failure_mid_write_keeps_the_earlier_file(people, tmp_path):
    out = tmp_path / "报送.xlsx"
    out.write_bytes(b"earlier")

    def broken(wb, job):
        ws = wb.add_worksheet("坏")
        ws.write_string(0, 0, "x")
        raise OSError(28, "No space left on device")
    with pytest.raises(LedgerError, match="原有文件未改动") as e:
        export_workbook(people, out, writers=[SHEET_WRITERS[0], broken])
    assert "磁盘空间不足" in str(e.value)
    assert out.read_bytes() == b"earlier"
    assert [p.name for p in tmp_path.iterdir() if p.suffix == ".xlsx"] == ["报送.xlsx"]   # no temp left


def test_any_exception_is_reported_in_chinese(people, tmp_path):
    out = tmp_path / "报送.xlsx"

    def pulled(wb, job):
        raise RuntimeError("USB pulled")
    with pytest.raises(LedgerError, match="未生成文件"):
        export_workbook(people, out, writers=[pulled])
    assert not out.exists()


def test_read_only_target_via_missing_folder_parent(people, tmp_path):
    """A path under a file (USB gone, a file where a folder should be) fails cleanly."""
    blocker = tmp_path / "u盘"
    blocker.write_text("x")
    with pytest.raises(LedgerError, match="无法在文件夹"):
        export_workbook(people, blocker / "报送.xlsx")


def test_cancel_leaves_nothing(sctx, sf, tmp_path):
    fill_demo(sctx, 6000)
    out = tmp_path / "a.xlsx"
    calls = []
    with pytest.raises(Cancelled):
        export_workbook(sctx, out, progress=lambda d, t: calls.append((d, t)), cancelled=lambda: bool(calls))
    assert not out.exists() and calls and calls[0][1] == 6000
    assert not [p for p in tmp_path.iterdir() if p.suffix == ".xlsx"]


def test_a_later_module_adds_a_sheet_with_one_function(people, tmp_path):
    def extra(wb, job):
        ws = wb.add_worksheet("资助发放")
        ws.write_string(0, 0, job.term.label)
        return SheetInfo("资助发放", 0)
    export_workbook(people, tmp_path / "a.xlsx", writers=SHEET_WRITERS + [extra])
    wb = openpyxl.load_workbook(tmp_path / "a.xlsx")
    assert wb.sheetnames[-1] == "资助发放" and wb["资助发放"]["A1"].value == "2020年秋季学期"
    listed = [row[0] for row in wb["封面汇总"].iter_rows(values_only=True)]
    assert "资助发放" in listed


def test_bad_term_is_refused(people, tmp_path):
    with pytest.raises(LedgerError):
        export_workbook(people, tmp_path / "a.xlsx", term="明年")
    assert not (tmp_path / "a.xlsx").exists()


def test_permission_denied_folder_says_so(people, tmp_path, monkeypatch):
    """What a read-only folder does when the tests run as root (who may write anywhere)."""
    import tempfile
    out = tmp_path / "报送.xlsx"
    out.write_bytes(b"earlier")

    def denied(*a, **k):
        raise PermissionError(13, "Permission denied")
    monkeypatch.setattr(tempfile, "mkstemp", denied)
    with pytest.raises(LedgerError, match="没有写入权限.*原有文件未改动"):
        export_workbook(people, out)
    assert out.read_bytes() == b"earlier"


def test_aid_sheet_arrives_once_the_term_has_a_batch(sctx, sf, tmp_path):
    """Issue 4's 资助发放 sheet is one writer in SHEET_WRITERS: present once a batch exists."""
    from db.aid.service import AidService
    fill_demo(sctx, 60)
    export_workbook(sctx, tmp_path / "a.xlsx", term="2020秋")
    first = openpyxl.load_workbook(tmp_path / "a.xlsx").sheetnames      # (+ the demo's 控辍保学 and 省外就读)
    assert first[:2] == ["封面汇总", "学生名册"] and not any(n.endswith("资助发放") for n in first)
    AidService(sctx).plan("2020秋")
    export_workbook(sctx, tmp_path / "b.xlsx", term="2020秋")
    wb = openpyxl.load_workbook(tmp_path / "b.xlsx")
    assert wb.sheetnames[:3] == ["封面汇总", "学生名册", "2020年秋季学期资助发放"]
    ws = wb["2020年秋季学期资助发放"]
    head = [c.value for c in ws[1]]
    ids = [r[head.index("身份证号")] for r in ws.iter_rows(min_row=2) if r[0].value != "合计"]
    assert ids and all(c.data_type == "s" and c.number_format == "@" and len(c.value) == 18 for c in ids)
    # 减免 lines have their amount in their own column, not in 金额(元)
    amounts = [r[head.index("金额(元)")].value or 0 for r in ws.iter_rows(min_row=2) if r[0].value != "合计"]
    total = next(r[head.index("金额(元)")].value for r in ws.iter_rows(min_row=2) if r[0].value == "合计")
    assert round(sum(amounts), 2) == total > 0
