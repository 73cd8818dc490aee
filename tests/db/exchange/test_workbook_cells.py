"""Property: any text a user can type comes back from the file as the same text, never a formula."""
from __future__ import annotations

import openpyxl
import xlsxwriter
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from db.sheets import XLSXWRITER_OPTIONS, Formats, set_openpyxl, write_value

# what a keyboard, a paste from WPS or a county file can bring (no C0 control characters: the
# registry's clean_text removes them before anything is stored)
typed = st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=40).filter(str.strip)
formula_like = st.builds(lambda head, tail: head + tail, st.sampled_from(["=", "+", "-", "@", "=cmd|", "=HYPERLINK("]),
                         st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=20))
# "_x0041_" is written escaped as OOXML asks (Excel, LibreOffice and calamine show it as typed) but
# openpyxl does not unescape it when reading, so it is left out of this openpyxl-read property.
values = st.lists(st.one_of(typed, formula_like).filter(lambda t: "_x" not in t), min_size=1, max_size=30)
SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@SETTINGS
@given(values)
def test_xlsxwriter_cells_round_trip_as_text(tmp_path, texts):
    path = tmp_path / "x.xlsx"
    wb = xlsxwriter.Workbook(str(path), {**XLSXWRITER_OPTIONS, "constant_memory": True})
    fmt = Formats(wb)
    ws = wb.add_worksheet("s")
    for r, t in enumerate(texts):
        write_value(ws, r, 0, t, fmt)
        write_value(ws, r, 1, t, fmt, text=True)
    wb.close()
    back = openpyxl.load_workbook(path)["s"]
    for r, t in enumerate(texts, 1):
        for c in (1, 2):
            cell = back.cell(r, c)
            assert cell.value == t and cell.data_type == "s"
        assert back.cell(r, 2).number_format == "@"


@SETTINGS
@given(values)
def test_openpyxl_cells_round_trip_as_text(tmp_path, texts):
    path = tmp_path / "y.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    for r, t in enumerate(texts, 1):
        set_openpyxl(ws.cell(r, 1), t)
        set_openpyxl(ws.cell(r, 2), t, text=True)
    wb.save(path)
    back = openpyxl.load_workbook(path).active
    for r, t in enumerate(texts, 1):
        for c in (1, 2):
            assert back.cell(r, c).value == t and back.cell(r, c).data_type == "s"
