"""Round trip: a workbook the app exported imports back into an empty database with nothing changed."""
from __future__ import annotations

import openpyxl
from sqlalchemy import func, select

from db.context import ServiceContext
from db.demo import fill_demo
from db.engine import open_database
from db.exchange import roster
from db.exchange.import_write import run_import
from db.exchange.importer import preview_import
from db.exchange.workbook import export_workbook
from db.models.registry import Household, Student
from tests.db.exchange.test_workbook import add_people


def registry(ctx) -> dict[str, tuple]:
    """Every roster field of every student, keyed by ID number (the household fields included)."""
    return {row[roster.FIELDS.index("id_number")]: tuple(row) for row in roster.roster_rows(ctx)}


def test_export_then_import_into_an_empty_database_changes_nothing(sctx, sf, tmp_path):
    add_people(sf)
    fill_demo(sctx, 300)
    with sf.begin() as s:                   # a few facts the demo leaves empty
        st = s.scalars(select(Student).where(Student.stage == "初中").limit(1)).one()
        st.notes, st.study_school, st.enrolment, st.study_location = "家访两次", "昆山市实验小学", "在外就读", "省外"
        st.household.notes = "母亲常年外出务工"
    with sf() as s:                         # the household facts the list now carries
        assert s.scalar(select(func.count()).select_from(Household).where(Household.phone != "",
                                                                          Household.liaison_officer_id.is_not(None)))
    before = registry(sctx)
    out = tmp_path / "报送.xlsx"
    export_workbook(sctx, out)

    fresh = open_database(tmp_path / "fresh.sqlite3")
    try:
        fresh_ctx = ServiceContext(fresh.session_factory)
        preview = preview_import(fresh_ctx, out)
        assert preview.sheet == "学生名册" and not preview.rejected_rows
        assert preview.mapping and sorted(preview.mapping.values()) == sorted(roster.FIELDS)
        result = run_import(fresh_ctx, preview)
        assert result.imported == len(before) == 302
        after = registry(fresh_ctx)
    finally:
        fresh.dispose()
    assert after.keys() == before.keys()
    diffs = [(k, f, b, a) for k in before for f, b, a in zip(roster.FIELDS, before[k], after[k])
             if (b or None) != (a or None)]
    assert diffs == []


def test_exported_ids_survive_reopen_and_resave_in_openpyxl(sctx, sf, tmp_path):
    """An officer opens the workbook, edits, saves: the ID cells are still 18-char text."""
    add_people(sf)
    out = tmp_path / "a.xlsx"
    export_workbook(sctx, out)
    wb = openpyxl.load_workbook(out)
    wb.save(tmp_path / "b.xlsx")
    ws = openpyxl.load_workbook(tmp_path / "b.xlsx")["学生名册"]
    ids = [r[3].value for r in ws.iter_rows(min_row=2)]
    assert all(isinstance(v, str) and len(v) == 18 for v in ids)
