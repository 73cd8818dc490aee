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
