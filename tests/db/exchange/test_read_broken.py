"""Broken and hostile files are refused with a plain Chinese message, in bounded memory, and the
database is never touched."""
from __future__ import annotations

import resource
import zipfile

import pytest
from sqlalchemy import func, select

from db.errors import LedgerError
from db.exchange import read_guard
from db.exchange.importer import preview_import
from db.exchange.reader import read_table
from db.models.core import AuditLog
from db.models.registry import Student
from tests.db.exchange.files import (
    CT,
    HEAD,
    RELS,
    SHEET_OPEN,
    WB,
    WB_RELS,
    billion_laughs_sheet,
    encrypted_ooxml,
    inline_row,
    million_formatted_rows_sheet,
    raw_xlsx,
    student_row,
    write_xlsx,
    zip_with,
)


def refused(sctx, path, match: str) -> str:
    with pytest.raises(LedgerError, match=match) as e:
        preview_import(sctx, path)
    msg = str(e.value)
    assert path.name in msg and "Traceback" not in msg
    with sctx.read() as s:
        assert s.scalar(select(func.count(Student.id))) == 0
        assert s.scalar(select(func.count(AuditLog.id))) == 0
    return msg


def test_empty_file(sctx, sf, tmp_path):
    p = tmp_path / "空.xlsx"
    p.write_bytes(b"")
    refused(sctx, p, "空的")


def test_truncated_xlsx(sctx, sf, tmp_path):
    good = write_xlsx(tmp_path / "good.xlsx", [HEAD] + [student_row(i) for i in range(1, 30)])
    data = good.read_bytes()
    p = tmp_path / "断了.xlsx"
    p.write_bytes(data[: len(data) // 2])
    refused(sctx, p, "损坏或不完整")


def test_word_document_renamed_xlsx(sctx, sf, tmp_path):
    p = tmp_path / "通知.xlsx"
    p.write_bytes("关于做好2020年秋季学期资助工作的通知\n".encode("gbk") * 50)
    refused(sctx, p, "不是 Excel 文件")


def test_zip_that_is_not_a_workbook(sctx, sf, tmp_path):
    p = zip_with(tmp_path / "照片.xlsx", {"photo1.jpg": b"\xff\xd8\xff" + b"0" * 1000})
    refused(sctx, p, "没有 Excel 工作簿")


def test_password_protected_workbook(sctx, sf, tmp_path):
    p = encrypted_ooxml(tmp_path / "加密.xlsx")
    msg = refused(sctx, p, "密码")
    assert "另存为" in msg


def test_zip_bomb_is_refused_before_reading(sctx, sf, tmp_path):
    p = tmp_path / "炸弹.xlsx"
    with zipfile.ZipFile(p, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in {"[Content_Types].xml": CT, "_rels/.rels": RELS, "xl/workbook.xml": WB,
                           "xl/_rels/workbook.xml.rels": WB_RELS}.items():
            zf.writestr(name, data)
        with zf.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as f:
            f.write(SHEET_OPEN + b"<sheetData>")
            block = b" " * (1 << 20)
            for _ in range(1100):                 # 1.1 GB of blanks, ~1 MB compressed
                f.write(block)
            f.write(b"</sheetData></worksheet>")
    assert p.stat().st_size < 5 * 1024 * 1024
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    refused(sctx, p, "压缩炸弹")
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 200 * 1024   # KB


def test_high_ratio_part_is_refused(tmp_path):
    p = tmp_path / "ratio.xlsx"
    big = SHEET_OPEN + b"<sheetData>" + b"\n" * (60 * 1024 * 1024) + b"</sheetData></worksheet>"
    raw_xlsx(p, big)
    with pytest.raises(LedgerError, match="压缩炸弹"):
        read_guard.check_zip(p)


def test_billion_laughs_is_refused(sctx, sf, tmp_path):
    p = raw_xlsx(tmp_path / "lol.xlsx", billion_laughs_sheet())
    refused(sctx, p, "DOCTYPE")


def test_calamine_itself_does_not_expand_entities(tmp_path):
    """Belt and braces: even past our DOCTYPE check, the parser refuses undeclared entities."""
    import python_calamine as pc
    p = raw_xlsx(tmp_path / "lol.xlsx", billion_laughs_sheet())
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with pytest.raises(pc.CalamineError):
        list(pc.CalamineWorkbook.from_path(str(p)).get_sheet_by_index(0).iter_rows())
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 50 * 1024


def test_external_entity_in_shared_strings_is_refused(sctx, sf, tmp_path):
    xxe = (b'<?xml version="1.0"?><!DOCTYPE sst [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
           b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>&x;</t></si></sst>')
    sheet = SHEET_OPEN + ("<sheetData>" + inline_row(1, ["姓名", "身份证号"]) + "</sheetData></worksheet>").encode()
    p = raw_xlsx(tmp_path / "xxe.xlsx", sheet, {"xl/sharedStrings.xml": xxe})
    refused(sctx, p, "DOCTYPE")


def test_million_formatted_rows_read_quickly_in_bounded_memory(sctx, sf, tmp_path):
    p = raw_xlsx(tmp_path / "百万行.xlsx", million_formatted_rows_sheet())
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    t = read_table(p)
    assert [r.values["name"] for r in t.rows] == ["张三"]
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 150 * 1024
    preview = preview_import(sctx, p)
    assert preview.rows_read == 1 and preview.importable == 1


def test_too_many_rows_is_refused(monkeypatch, tmp_path):
    from db.exchange import reader
    monkeypatch.setattr(reader, "MAX_ROWS", 5)
    p = write_xlsx(tmp_path / "多.xlsx", [HEAD] + [student_row(i) for i in range(1, 10)])
    with pytest.raises(LedgerError, match="超过 5 行"):
        read_table(p)


def test_no_header_anywhere(sctx, sf, tmp_path):
    p = write_xlsx(tmp_path / "无表头.xlsx", [["甲", "乙", "丙"], [1, 2, 3]])
    refused(sctx, p, "找不到表头")


def test_missing_file(sctx, sf, tmp_path):
    with pytest.raises(LedgerError, match="不存在"):
        preview_import(sctx, tmp_path / "nope.xlsx")


def test_reading_stops_after_a_long_run_of_blank_rows(monkeypatch, tmp_path):
    """Rows of spaces down to the bottom of the sheet: reading stops, it does not walk a million rows."""
    from db.exchange import reader
    monkeypatch.setattr(reader, "BLANK_STOP", 10)
    body = [inline_row(1, ["姓名", "身份证号"]), inline_row(2, ["张三", student_row(1)[6]])]
    body += [inline_row(r, [" ", " "]) for r in range(3, 40)]
    body.append(inline_row(40, ["李四", student_row(2)[6]]))
    sheet = SHEET_OPEN + ("<sheetData>" + "".join(body) + "</sheetData></worksheet>").encode()
    t = read_table(raw_xlsx(tmp_path / "空格.xlsx", sheet))
    assert [r.values["name"] for r in t.rows] == ["张三"]
