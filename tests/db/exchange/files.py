"""Helpers that write messy county lists the way real files look (for the reader/import tests)."""
from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import openpyxl

from db.validators import id_check_char

HEAD = ["序号", "乡镇", "村", "户主姓名", "姓名", "性别", "身份证号", "学段", "年级", "资助对象类别"]


def make_id(birth: dt.date = dt.date(2010, 5, 3), male: bool = True, seq: int = 1,
            region: str = "341623") -> str:
    sex = (seq % 5) * 2 + (1 if male else 0)
    body = f"{region}{birth:%Y%m%d}{seq // 5 % 100:02d}{sex}"
    return body + id_check_char(body)


def bad_check(number: str) -> str:
    good = number[-1]
    return number[:-1] + ("0" if good != "0" else "1")


GIVEN = "子梓浩宇轩涵欣怡雨晨思佳俊杰博文明辉嘉一诗雅静婷娜伟强磊洋勇军涛超鹏华飞鑫晓丽敏燕玲芳红霞梅琳雪慧颖瑶"


def cn_name(i: int, surname: str = "王") -> str:
    """A distinct name per i (no digits: names are letters only)."""
    return surname + GIVEN[i % len(GIVEN)] + GIVEN[i // len(GIVEN) % len(GIVEN)]


def student_row(i: int, *, name: str | None = None, number: str | None = None) -> list:
    male = i % 2 == 1
    birth = dt.date(2010 + i % 3, 1 + i % 12, 1 + i % 28)
    return [i, "阚疃镇", "前进村", cn_name(i + 7, "王"), name or cn_name(i, "李"),
            "男" if male else "女", number or make_id(birth, male, seq=i), "小学", "四年级", "建档立卡"]


def write_xlsx(path: Path, rows: list[list], *, title: str | None = None, info: str | None = None,
               merges: list[str] = (), hidden_cols: list[str] = (), hidden_rows: list[int] = (),
               first_sheet: list[list] | None = None, sheet_name: str = "名单", text_ids: bool = True) -> Path:
    """rows start with the header. Optional title (merged across) and 填报单位 rows go above it."""
    wb = openpyxl.Workbook()
    ws = wb.active
    if first_sheet is not None:
        ws.title = "填表说明"
        for r in first_sheet:
            ws.append(r)
        ws = wb.create_sheet(sheet_name)
    else:
        ws.title = sheet_name
    width = max(len(r) for r in rows)
    if title:
        ws.append([title])
        ws.merge_cells(start_row=ws.max_row, start_column=1, end_row=ws.max_row, end_column=width)
    if info:
        ws.append([info])
    for r in rows:
        ws.append(r)
        if text_ids:
            for c in ws[ws.max_row]:
                if isinstance(c.value, str) and c.value.isdigit():
                    c.number_format = "@"
    for m in merges:
        ws.merge_cells(m)
    for c in hidden_cols:
        ws.column_dimensions[c].hidden = True
    for r in hidden_rows:
        ws.row_dimensions[r].hidden = True
    wb.save(path)
    return path


def write_csv(path: Path, rows: list[list], encoding: str, delimiter: str = ",") -> Path:
    import csv
    import io
    buf = io.StringIO()
    csv.writer(buf, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    path.write_bytes(buf.getvalue().encode(encoding))
    return path


def zip_with(path: Path, parts: dict[str, bytes], *, compress=zipfile.ZIP_DEFLATED) -> Path:
    with zipfile.ZipFile(path, "w", compress) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    return path


CT = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
      b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
      b'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
      b'<Default Extension="xml" ContentType="application/xml"/>'
      b'<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
      b'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
      b'</Types>')
RELS = (b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')
WB = ('<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
      'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
      '<sheet name="名单" sheetId="1" r:id="rId1"/></sheets></workbook>').encode()
WB_RELS = (b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
           b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>')


def inline_row(r: int, values: list[str]) -> str:
    cells = "".join(f'<c r="{chr(65 + i)}{r}" t="inlineStr"><is><t>{v}</t></is></c>' for i, v in enumerate(values))
    return f'<row r="{r}">{cells}</row>'


def raw_xlsx(path: Path, sheet_xml: bytes, extra: dict[str, bytes] | None = None) -> Path:
    """A minimal hand-made xlsx around the given sheet XML (for hostile-file tests)."""
    parts = {"[Content_Types].xml": CT, "_rels/.rels": RELS, "xl/workbook.xml": WB,
             "xl/_rels/workbook.xml.rels": WB_RELS, "xl/worksheets/sheet1.xml": sheet_xml}
    parts.update(extra or {})
    return zip_with(path, parts)


SHEET_OPEN = b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'


def billion_laughs_sheet() -> bytes:
    """A sheet XML whose DTD defines the 'billion laughs' entity chain (1e9 'lol's if expanded)."""
    ents = '<!ENTITY lol "lol"><!ENTITY lol1 "' + "&lol;" * 10 + '">' + "".join(
        f'<!ENTITY lol{i} "' + f"&lol{i - 1};" * 10 + '">' for i in range(2, 10))
    return ('<?xml version="1.0" encoding="UTF-8"?><!DOCTYPE lolz [' + ents + ']>'
            '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
            + inline_row(1, ["姓名", "身份证号"])
            + '<row r="2"><c r="A2" t="inlineStr"><is><t>&lol9;</t></is></c></row></sheetData></worksheet>').encode()


def million_formatted_rows_sheet(rows: int = 1_048_576) -> bytes:
    """A header, one student, then every row of the sheet formatted (styled empty cells), the way a
    whole-column format leaves a sheet: the dimension says A1:C1048576."""
    parts = [SHEET_OPEN.decode(), '<dimension ref="A1:C1048576"/><sheetData>',
             inline_row(1, ["姓名", "身份证号", "性别"]), inline_row(2, ["张三", make_id(), "男"])]
    parts.extend(f'<row r="{r}" s="1" customFormat="1"><c r="A{r}" s="1"/><c r="B{r}" s="1"/></row>'
                 for r in range(3, rows + 1))
    parts.append("</sheetData></worksheet>")
    return "".join(parts).encode()


def encrypted_ooxml(path: Path) -> Path:
    """An OLE compound file holding 'EncryptionInfo' and 'EncryptedPackage' streams: the container
    Excel and WPS write for a workbook with an open password (the payload here is random bytes)."""
    import os
    import struct
    sector = 512
    end, free, fatsect, nostream = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD, 0xFFFFFFFF
    stream_len = 4096                                   # >= the mini-stream cutoff: plain sectors
    per = stream_len // sector
    fat = [fatsect, end]
    for first in (2, 2 + per):
        fat += [first + k + 1 for k in range(per - 1)] + [end]
    fat += [free] * (128 - len(fat))
    header = bytearray(512)
    header[0:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    struct.pack_into("<HHHHH", header, 24, 0x3E, 3, 0xFFFE, 9, 6)
    struct.pack_into("<IIIIIIIII", header, 40, 0, 1, 1, 0, 0x1000, end, 0, end, 0)
    struct.pack_into("<I", header, 76, 0)
    for k in range(1, 109):
        struct.pack_into("<I", header, 76 + 4 * k, free)

    def entry(name: str, kind: int, left: int, right: int, child: int, start: int, size: int) -> bytes:
        e = bytearray(128)
        raw = (name + "\x00").encode("utf-16-le") if name else b""
        e[0:len(raw)] = raw
        struct.pack_into("<HBB", e, 64, len(raw), kind, 1)
        struct.pack_into("<III", e, 68, left, right, child)
        struct.pack_into("<IQ", e, 116, start, size)
        return bytes(e)

    directory = (entry("Root Entry", 5, nostream, nostream, 1, end, 0)
                 + entry("EncryptionInfo", 2, nostream, 2, nostream, 2, stream_len)
                 + entry("EncryptedPackage", 2, nostream, nostream, nostream, 2 + per, stream_len)
                 + entry("", 0, nostream, nostream, nostream, 0, 0))
    info = struct.pack("<HHI", 4, 4, 0x40) + os.urandom(stream_len - 8)   # agile encryption v4.4
    package = struct.pack("<Q", 9000) + os.urandom(stream_len - 8)
    path.write_bytes(bytes(header) + struct.pack("<128I", *fat) + directory + info + package)
    return path
