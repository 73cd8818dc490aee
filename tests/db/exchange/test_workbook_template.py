"""A county's own template: title rows, formatting and column order kept; unknown headers reported."""
from __future__ import annotations

import datetime as dt

import openpyxl
import pytest
from openpyxl.styles import Font, PatternFill

from db.errors import LedgerError
from db.exchange.workbook import export_workbook
from tests.db.exchange.test_workbook import ID1, ID2, add_people


def make_template(path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "附表1"
    ws["A1"] = "利辛县2020年秋季学期家庭经济困难学生信息表"
    ws["A1"].font = Font(bold=True, size=18)
    ws.merge_cells("A1:H1")
    ws["A2"] = "填报单位（盖章）：                 填报日期："
    heads = ["序号", "学生姓名", "身份证号码", "就读年级", "家长电话", "困难类型", "县里专用编码", "是否享受"]
    for c, h in enumerate(heads, 1):
        ws.cell(3, c, h).fill = PatternFill("solid", fgColor="FFFF00")
    for c in range(1, 9):                     # a formatted first data row
        ws.cell(4, c).font = Font(name="仿宋", size=11)
    ws.column_dimensions["C"].width = 33
    wb.save(path)
    return heads


def test_template_keeps_title_and_order_and_reports_unknown_headers(sctx, sf, tmp_path):
    add_people(sf)
    tpl = tmp_path / "县模板.xlsx"
    heads = make_template(tpl)
    out = tmp_path / "报送.xlsx"
    r = export_workbook(sctx, out, template=tpl)
    assert r.template_sheet == "附表1" and r.header_row == 3 and r.students == 2
    assert r.unmapped_headers == ["县里专用编码", "是否享受"]
    ws = openpyxl.load_workbook(out)["附表1"]
    assert ws["A1"].value.startswith("利辛县") and ws["A1"].font.b and "A1:H1" in {str(m) for m in ws.merged_cells}
    assert ws["A2"].value.startswith("填报单位")
    assert [c.value for c in ws[3]] == heads
    assert ws["B3"].fill.fgColor.rgb.endswith("FFFF00")
    assert ws.column_dimensions["C"].width == 33
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=4, max_row=5)]
    assert [r[0] for r in rows] == [1, 2]                     # 序号 filled
    by_name = {r[1]: r for r in rows}
    assert by_name["张小明"][2] == ID1 and by_name["张小红"][2] == ID2
    assert by_name["张小明"][3] == "四年级" and by_name["张小明"][4] == "13912345678"
    assert by_name["张小明"][5] == "建档立卡、农村低保"
    assert by_name["张小明"][6] is None and by_name["张小明"][7] is None   # unmapped columns left alone
    idc = ws.cell(4, 3) if ws.cell(4, 2).value == "张小明" else ws.cell(5, 3)
    assert idc.data_type == "s" and idc.number_format == "@"
    assert ws.cell(5, 1).font.name == "仿宋"                  # the first data row's style copied down


def test_template_text_never_becomes_formula(sctx, sf, tmp_path):
    add_people(sf)
    tpl = tmp_path / "t.xlsx"
    wb = openpyxl.Workbook()
    wb.active.append(["姓名", "身份证号", "就读学校", "备注"])
    wb.save(tpl)
    export_workbook(sctx, tmp_path / "o.xlsx", template=tpl)
    ws = openpyxl.load_workbook(tmp_path / "o.xlsx").active
    cells = {c.value: c.data_type for row in ws.iter_rows(min_row=2) for c in row if c.value}
    assert cells["=1+1"] == "s" and cells["+SUM(A1:A9)"] == "s"


def test_template_without_known_headers_is_refused(sctx, sf, tmp_path):
    add_people(sf)
    tpl = tmp_path / "t.xlsx"
    wb = openpyxl.Workbook()
    wb.active.append(["甲", "乙", "丙"])
    wb.save(tpl)
    with pytest.raises(LedgerError, match="找不到可识别的表头"):
        export_workbook(sctx, tmp_path / "o.xlsx", template=tpl)
    assert not (tmp_path / "o.xlsx").exists()


def test_broken_template_is_refused(sctx, sf, tmp_path):
    tpl = tmp_path / "t.xlsx"
    tpl.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(LedgerError):
        export_workbook(sctx, tmp_path / "o.xlsx", template=tpl)
    xls = tmp_path / "x.xls"
    xls.write_bytes(b"x")
    with pytest.raises(LedgerError, match="xlsx"):
        export_workbook(sctx, tmp_path / "o.xlsx", template=xls)
    assert not (tmp_path / "o.xlsx").exists()


def test_template_dates(sctx, sf, tmp_path):
    add_people(sf)
    tpl = tmp_path / "t.xlsx"
    wb = openpyxl.Workbook()
    wb.active.append(["姓名", "出生日期"])
    wb.save(tpl)
    export_workbook(sctx, tmp_path / "o.xlsx", template=tpl)
    ws = openpyxl.load_workbook(tmp_path / "o.xlsx").active
    births = {ws.cell(r, 1).value: ws.cell(r, 2) for r in (2, 3)}
    assert births["张小明"].value == dt.datetime(2010, 5, 3) and births["张小明"].number_format == "yyyy-mm-dd"


def test_template_footer_moves_below_the_data_and_examples_are_replaced(sctx, sf, tmp_path):
    add_people(sf)
    tpl = tmp_path / "t.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["学生信息", None, "家庭信息", None])          # a two-row header
    ws.append(["姓名", "身份证号", "户主姓名", "乡镇"])
    ws.merge_cells("A1:B1")
    ws.merge_cells("C1:D1")
    ws.append(["示例：张三", "341623201005030039", "张大", "某镇"])
    ws.append(["合计", None, None, None])
    ws.append(["填表人：", None, "审核人：", None])
    ws.merge_cells("A5:B5")
    ws["A5"].font = Font(bold=True)
    wb.save(tpl)
    r = export_workbook(sctx, tmp_path / "o.xlsx", template=tpl)
    assert r.header_row == 2 and r.unmapped_headers == []
    ws = openpyxl.load_workbook(tmp_path / "o.xlsx").active
    col_a = [c.value for c in ws["A"]]
    assert col_a[:4] == ["学生信息", "姓名", "张小红", "张小明"] or col_a[:4] == ["学生信息", "姓名", "张小明", "张小红"]
    assert "示例：张三" not in col_a
    assert col_a[4] is None and col_a[5] == "合计" and col_a[6] == "填表人："
    assert "A7:B7" in {str(m) for m in ws.merged_cells} and ws["A7"].font.b
    assert ws["C3"].value == "张大山" and ws["D4"].value == "阚疃镇"
    assert not ws["A3"].font.b and not ws["A4"].font.b      # the footer's bold did not stay behind


def test_template_whose_first_row_under_the_header_is_the_footer(sctx, sf, tmp_path):
    add_people(sf)
    tpl = tmp_path / "t.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["姓名", "身份证号"])
    ws.append(["合计", None])
    ws["A2"].font = Font(bold=True, color="FF0000")
    wb.save(tpl)
    export_workbook(sctx, tmp_path / "o.xlsx", template=tpl)
    ws = openpyxl.load_workbook(tmp_path / "o.xlsx").active
    assert [c.value for c in ws["A"]][3:] == [None, "合计"]
    assert not ws["A2"].font.b and not ws["A3"].font.b and ws["A5"].font.b


def test_cli_reports_unmapped_template_headers(sf, database, tmp_path, capsys):
    from db.cli import run
    add_people(sf)
    database.dispose()
    tpl = tmp_path / "模板.xlsx"
    make_template(tpl)
    out = tmp_path / "o.xlsx"
    assert run(["export", "workbook", str(out), "--template", str(tpl), "--db", str(database.path)]) == 0
    text = capsys.readouterr().out
    assert "第 3 行" in text and "县里专用编码、是否享受" in text and out.exists()
    assert run(["export", "workbook", str(out), "--template", str(tmp_path / "无.xlsx"),
                "--db", str(database.path)]) == 2
    assert "找不到模板文件" in capsys.readouterr().err
