"""T18: export → import round trip, property-based (hypothesis, derandomized). Names (with ·, 䶮, 𠮷),
notes and villages of any printable text (formula triggers included): the submission workbook imported
into an empty database gives the same roster, field by field — after the importer's documented
normalisation of free text (db.exchange.import_values: cell_text for a village — no spaces, half-width
digits and letters, no leading apostrophe; free_text for notes — trimmed, line breaks kept)."""
from __future__ import annotations

import sqlite3

from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st

from db.context import ServiceContext
from db.demo import fill_demo
from db.engine import open_database
from db.exchange import import_values as iv
from db.exchange import roster
from db.exchange.importer import preview_import, run_import
from db.exchange.workbook import export_workbook

HAN = st.sampled_from(list("张王李赵刘陈杨黄䶮𠮷祥娜热合曼阿卜杜欧阳"))
NAMES = st.builds(lambda a, b, dot: a + ("·" if dot else "") + b, st.text(HAN, min_size=1, max_size=3),
                  st.text(HAN, min_size=1, max_size=3), st.booleans())
TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cc", "Cs", "Co", "Cn", "Zl", "Zp")),
               max_size=40).map(str.strip)
PEOPLE = st.lists(st.tuples(NAMES, TEXT, TEXT), min_size=1, max_size=8)


NORMALISED = {"village": iv.cell_text, "notes": iv.free_text}


def registry(ctx, *, normalise: bool = False) -> dict[str, tuple]:
    out = {}
    for row in roster.roster_rows(ctx):
        if normalise:
            row = [NORMALISED[f](v) if f in NORMALISED else v for f, v in zip(roster.FIELDS, row)]
        out[row[roster.FIELDS.index("id_number")]] = tuple(row)
    return out


@settings(max_examples=25, deadline=None, derandomize=True, phases=(Phase.explicit, Phase.generate),
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(people=PEOPLE)
@example(people=[("卜阿·娜杨阳", "=1+1", "0 0"), ("𠮷祥", "@SUM(1)", "")])
def test_export_import_round_trip(people, tmp_path_factory):
    folder = tmp_path_factory.mktemp("t18")
    db = open_database(folder / "ledger.sqlite3")
    fresh = open_database(folder / "fresh.sqlite3")
    try:
        ctx = ServiceContext(db.session_factory)
        fill_demo(ctx, len(people), seed=18)
        con = sqlite3.connect(db.path)
        ids = [r[0] for r in con.execute("SELECT id FROM student ORDER BY id")]
        for sid, (name, notes, village) in zip(ids, people):
            con.execute("UPDATE student SET name = ?, notes = ? WHERE id = ?", (name, notes, sid))
            con.execute("UPDATE household SET village = ? WHERE id = (SELECT household_id FROM student WHERE id = ?)",
                        (village, sid))
        con.commit()
        con.close()
        before = registry(ctx, normalise=True)
        out = folder / "报送.xlsx"
        export_workbook(ctx, out)
        fresh_ctx = ServiceContext(fresh.session_factory)
        preview = preview_import(fresh_ctx, out)
        assert not preview.rejected_rows, [(p.row, p.reason) for p in preview.problems][:3]
        run_import(fresh_ctx, preview)
        after = registry(fresh_ctx)
    finally:
        db.dispose()
        fresh.dispose()
    assert after.keys() == before.keys()
    diffs = [(f, b, a) for k in before for f, b, a in zip(roster.FIELDS, before[k], after[k]) if (b or None) != (a or None)]
    assert diffs == []
