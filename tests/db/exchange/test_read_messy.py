"""The reader on files that look like real county lists (each case of the issue, generated here)."""
from __future__ import annotations

import datetime as dt
import shutil
import subprocess

import openpyxl
import pytest

from db.exchange.mapping import FIELD_LABELS, SYNONYMS, field_for, normalize_header
from db.exchange.reader import column_letter, read_table
from tests.db.exchange.files import HEAD, make_id, student_row, write_csv, write_xlsx


def ids(table):
    return [r.values["id_number"] for r in table.rows]


def test_title_row_and_info_row_are_skipped(tmp_path):
    rows = [HEAD] + [student_row(i) for i in range(1, 4)]
    p = write_xlsx(tmp_path / "a.xlsx", rows, title="2020年秋季学期建档立卡学生名单",
                   info="填报单位：阚疃镇中心学校　　　填报日期：2020年9月10日")
    t = read_table(p)
    assert t.header_row == 3
    assert t.headers[:5] == ["序号", "乡镇", "村", "户主姓名", "姓名"]
    assert [r.row for r in t.rows] == [4, 5, 6]
    assert ids(t) == [student_row(i)[6] for i in range(1, 4)]
    assert t.unmapped == ["序号"]


def test_two_row_header_group_over_fields(tmp_path):
    """学生信息 over 姓名/身份证号 and 户主信息 over 姓名/身份证号: the group decides the field."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["序号", "学生信息", None, "户主信息", None, "村"])
    ws.append([None, "姓名", "身份证号", "姓名", "身份证号", None])
    ws.merge_cells("B1:C1")
    ws.merge_cells("D1:E1")
    ws.merge_cells("A1:A2")
    ws.merge_cells("F1:F2")
    ws.append([1, "李明", make_id(seq=3), "李大山", make_id(dt.date(1980, 1, 2), seq=4), "前进村"])
    wb.save(tmp_path / "b.xlsx")
    t = read_table(tmp_path / "b.xlsx")
    assert t.header_row == 2
    assert sorted(t.mapping.values()) == ["head_id_number", "head_name", "id_number", "name", "village"]
    assert t.mapping[1] == "name" and t.mapping[3] == "head_name" and t.mapping[4] == "head_id_number"
    assert t.rows[0].row == 3 and t.rows[0].values["head_name"] == "李大山"
    assert t.rows[0].values["village"] == "前进村"


def test_two_row_header_upper_row_already_maps(tmp_path):
    """乡镇/村 merged down two rows and mapping on the first; 姓名/身份证号 only on the second."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["乡镇", "村", "学生基本情况", None, None])
    ws.append([None, None, "姓名", "身份证号码", "性别"])
    for m in ("A1:A2", "B1:B2", "C1:E1"):
        ws.merge_cells(m)
    ws.append(["阚疃镇", "前进村", "王芳", make_id(male=False, seq=2), "女"])
    wb.save(tmp_path / "c.xlsx")
    t = read_table(tmp_path / "c.xlsx")
    assert t.header_row == 2
    assert set(t.mapping.values()) == {"township", "village", "name", "id_number", "gender"}
    assert t.rows[0].values["township"] == "阚疃镇" and t.rows[0].values["name"] == "王芳"


def test_merged_cells_down_a_column_fill_every_row(tmp_path):
    rows = [HEAD] + [student_row(i) for i in range(1, 6)]
    for r in rows[2:4]:
        r[1] = r[2] = None                      # only the first row of the merge holds the value
    rows[1][1], rows[1][2] = "张村镇", "红星村"
    p = write_xlsx(tmp_path / "m.xlsx", rows, merges=["B2:B4", "C2:C4"])
    t = read_table(p)
    assert [r.values["township"] for r in t.rows] == ["张村镇", "张村镇", "张村镇", "阚疃镇", "阚疃镇"]
    assert [r.values["village"] for r in t.rows][:4] == ["红星村", "红星村", "红星村", "前进村"]


def test_blank_rows_and_total_row_are_skipped(tmp_path):
    rows = [HEAD, student_row(1), [], [None, "  ", None], student_row(2), [],
            ["合　计", None, None, None, "2人"], ["填表人：李老师", None, None, None, None, "审核人：王校长"]]
    p = write_xlsx(tmp_path / "t.xlsx", rows)
    t = read_table(p)
    assert [r.row for r in t.rows] == [2, 5]
    assert [row for row, _ in t.skipped] == [7, 8]


def test_hidden_column_and_rows_are_read_with_a_warning(tmp_path):
    rows = [HEAD] + [student_row(i) for i in range(1, 5)]
    p = write_xlsx(tmp_path / "h.xlsx", rows, hidden_cols=["G"], hidden_rows=[3])
    t = read_table(p)
    assert len(t.rows) == 4 and all(r.values["id_number"] for r in t.rows)
    assert t.hidden_columns == [6] and t.hidden_rows == [3]
    assert any("G 列" in w and "隐藏列" in w for w in t.warnings)
    assert any("隐藏行" in w and "3" in w for w in t.warnings)


def test_instruction_sheet_first_is_ignored(tmp_path):
    notes = [["填表说明"], ["1. 身份证号请设为文本格式"], ["2. 姓名不得含空格"], ["类别", "说明"]]
    p = write_xlsx(tmp_path / "s.xlsx", [HEAD, student_row(1)], first_sheet=notes, sheet_name="学生名单")
    t = read_table(p)
    assert t.sheet == "学生名单" and t.sheets == ["填表说明", "学生名单"]
    assert len(t.rows) == 1
    # an explicit sheet that has no header is refused plainly
    from db.errors import LedgerError
    with pytest.raises(LedgerError, match="找不到表头"):
        read_table(p, sheet="填表说明")
    with pytest.raises(LedgerError, match="没有名为"):
        read_table(p, sheet="不存在")


def test_column_number_row_under_header_is_skipped(tmp_path):
    rows = [HEAD, list(range(1, 11)), student_row(1)]
    t = read_table(write_xlsx(tmp_path / "n.xlsx", rows))
    assert [r.row for r in t.rows] == [3]


def test_headers_are_normalised_before_matching():
    assert normalize_header(" 学生\n身份证号码 *") == "学生身份证号码"
    assert field_for("乡（镇）") == "township" and field_for("村（社区）") == "village"
    assert field_for("*姓 名") == "name" and field_for("身份证号(必填)") == "id_number"
    assert field_for("证件号码") == "id_number" and field_for("户主") == "head_name"
    assert field_for("不相干的列") is None


def test_field_labels_are_the_first_synonym_and_map_back():
    assert FIELD_LABELS["id_number"] == "身份证号" and FIELD_LABELS["name"] == "姓名"
    for f, label in FIELD_LABELS.items():
        assert SYNONYMS[f][0] == label
        assert field_for(label) == f, label


def test_exported_labels_read_back_to_the_same_fields(tmp_path):
    fields = list(FIELD_LABELS)
    rows = [[FIELD_LABELS[f] for f in fields], ["" for _ in fields]]
    rows[1][fields.index("name")] = "张三"
    rows[1][fields.index("id_number")] = make_id()
    t = read_table(write_xlsx(tmp_path / "rt.xlsx", rows))
    assert [t.mapping[i] for i in range(len(fields))] == fields


def test_csv_utf8_with_bom_and_comma(tmp_path):
    p = write_csv(tmp_path / "u.csv", [HEAD] + [student_row(i) for i in range(1, 3)], "utf-8-sig")
    assert p.read_bytes()[:3] == b"\xef\xbb\xbf"
    t = read_table(p)
    assert t.headers[0] == "序号" and ids(t) == [student_row(1)[6], student_row(2)[6]]


def test_csv_gbk_with_tabs_as_wps_saves_it(tmp_path):
    p = write_csv(tmp_path / "g.csv", [["2020年名单"], HEAD] + [student_row(i) for i in range(1, 3)],
                  "gbk", delimiter="\t")
    with pytest.raises(UnicodeDecodeError):
        p.read_bytes().decode("utf-8")
    t = read_table(p)
    assert t.header_row == 2
    assert [r.values["name"] for r in t.rows] == [student_row(1)[4], student_row(2)[4]]
    assert t.rows[0].values["township"] == "阚疃镇"


def test_csv_utf8_without_bom(tmp_path):
    p = write_csv(tmp_path / "n.csv", [HEAD, student_row(1)], "utf-8")
    assert read_table(p).rows[0].values["village"] == "前进村"


def test_unicode_text_saved_by_excel_utf16_tabs(tmp_path):
    p = write_csv(tmp_path / "u16.txt", [HEAD, student_row(1)], "utf-16", delimiter="\t")
    assert p.read_bytes()[:2] == b"\xff\xfe"
    t = read_table(p)
    assert t.rows[0].values["id_number"] == student_row(1)[6]


@pytest.mark.slow
def test_xls_made_by_libreoffice(tmp_path):
    rows = [HEAD] + [student_row(i) for i in range(1, 4)]
    rows[2][1] = None
    src = write_xlsx(tmp_path / "old.xlsx", rows, title="名单", merges=["B3:B4"], hidden_cols=["H"])
    out = tmp_path / "out"
    subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path}/lo-profile", "--headless",
                    "--convert-to", "xls", "--outdir", str(out), str(src)],
                   check=True, capture_output=True, timeout=180)
    xls = out / "old.xls"
    assert xls.read_bytes()[:4] == b"\xd0\xcf\x11\xe0"
    t = read_table(xls)
    assert t.header_row == 2
    assert ids(t) == [student_row(i)[6] for i in range(1, 4)]
    assert [r.values["township"] for r in t.rows] == ["阚疃镇"] * 3     # the merge survived in .xls
    # an .xls renamed .xlsx is still read by its content
    renamed = tmp_path / "renamed.xlsx"
    shutil.copy(xls, renamed)
    assert ids(read_table(renamed)) == ids(t)


def test_column_letters():
    assert [column_letter(i) for i in (0, 25, 26, 27, 701, 702)] == ["A", "Z", "AA", "AB", "ZZ", "AAA"]


def test_user_mapping_overrides_automatic(tmp_path):
    rows = [["学生", "号码", "村"], ["张三", make_id(), "前进村"]]
    p = write_xlsx(tmp_path / "u.xlsx", [["姓名", "身份证号", "村"]] + rows)
    t = read_table(p, mapping={0: "name", 1: "id_number", 2: "village"})
    assert t.rows[0].values == {"name": "学生", "id_number": "号码", "village": "村"}
