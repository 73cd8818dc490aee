"""T16: encodings and rare characters. The same list as CSV in GBK, GB18030, UTF-8 with and without
BOM and UTF-16LE (Excel's "Unicode text"); names with ·, 䶮 (Ext A) and 𠮷 (Ext B, not in GBK) are
stored exactly and exported exactly; bytes that decode in no encoding are refused with the line."""
from __future__ import annotations

import pytest
from python_calamine import CalamineWorkbook

from db.context import Actor, ServiceContext
from db.engine import open_database
from db.errors import LedgerError
from db.exchange.importer import preview_import
from db.services import Services
from tests.db.exchange.files import HEAD, student_row, write_csv

NAMES = {"gbk": ["阿卜杜·热合曼", "欧阳娜娜"], "gb18030": ["阿卜杜·热合曼", "王䶮", "𠮷祥"],
         "utf-8": ["阿卜杜·热合曼", "王䶮", "𠮷祥"], "utf-8-sig": ["阿卜杜·热合曼", "王䶮", "𠮷祥"],
         "utf-16-le": ["阿卜杜·热合曼", "王䶮", "𠮷祥"]}


@pytest.mark.parametrize("encoding", list(NAMES))
def test_encoding_round_trip(encoding, tmp_path):
    names = NAMES[encoding]
    rows = [HEAD] + [student_row(i + 1, name=n) for i, n in enumerate(names)]
    if encoding == "utf-16-le":                       # Excel's Unicode text: BOM, tabs
        src = tmp_path / "list.txt"
        src.write_bytes(b"\xff\xfe" + "\r\n".join("\t".join(str(c) for c in r) for r in rows).encode("utf-16-le"))
    else:
        src = write_csv(tmp_path / "list.csv", rows, encoding)
    db = open_database(tmp_path / "ledger.sqlite3")
    try:
        sv = Services.build(ServiceContext(db.session_factory, Actor("李老师")))
        preview = sv.exchange.preview(src)
        assert [r.name for r in preview.new] == names and preview.rejected == 0
        sv.exchange.run(preview)
        out = tmp_path / "报送.xlsx"
        sv.exchange.export_workbook(out, term="2020秋")
    finally:
        db.dispose()
    sheet = CalamineWorkbook.from_path(str(out)).get_sheet_by_name("学生名册").to_python()
    col = sheet[0].index("姓名")
    assert sorted(r[col] for r in sheet[1:] if r[col]) == sorted(names)


def test_undecodable_bytes_name_the_line(tmp_path):
    lines = [",".join(str(c) for c in r).encode("utf-8") for r in [HEAD] + [student_row(i) for i in range(1, 8)]]
    lines[5] += b"\xff\xfe\xff"
    src = tmp_path / "bad.csv"
    src.write_bytes(b"\r\n".join(lines))
    db = open_database(tmp_path / "ledger.sqlite3")
    try:
        with pytest.raises(LedgerError, match="第 6 行"):
            preview_import(ServiceContext(db.session_factory), src)
    finally:
        db.dispose()
