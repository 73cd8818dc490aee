"""The document layer: embedded TrueType fonts, rare characters, page numbers per document, atomic
writes and cancel."""
from __future__ import annotations

import pytest

from db.docs.fonts import load_fonts
from db.docs.layout import Column
from db.docs.render import FORM, OFFICIAL, PrintCancelled, Section, render_batch
from db.errors import LedgerError
from tests.db.docs.conftest import assert_embedded_truetype, pdf_text

RARE = ["张𠮷", "王堃", "李喆", "赵燚", "刘犇", "陈㛃", "周䶮", "阿依古丽·买买提"]


def table_doc(n: int, names=RARE):
    def build(kit):
        rows = [[i + 1, names[i % len(names)], "三年级2班", "寄宿生生活补助", "500.00"] for i in range(n)]
        return [kit.title("测试名单"), kit.table([Column("序号", 0.5), Column("姓名"), Column("班级"),
                                                 Column("项目", 2), Column("金额(元)", 1, "right")], rows)]
    return build


def test_fonts_are_embedded_truetype_and_chinese_text_extracts(tmp_path):
    r = render_batch([Section(table_doc(10), FORM, "阚疃镇中心学校")], tmp_path / "a.pdf")
    assert_embedded_truetype(r.path)
    text = pdf_text(r.path)
    assert "测试名单" in text and "寄宿生生活补助" in text and "阚疃镇中心学校" in text


def test_rare_characters_render_through_the_fallback_font(tmp_path):
    fonts = load_fonts()
    assert all(fonts.covers(ch) for ch in "".join(RARE)), "a fallback font (fonts-hanazono) is missing"
    r = render_batch([Section(table_doc(len(RARE)))], tmp_path / "rare.pdf")
    text = pdf_text(r.path)
    for name in RARE:
        assert name in text          # extracted exactly: 𠮷 is U+20BB7, not U+20BB
    assert r.missing == {}
    assert_embedded_truetype(r.path)


def test_a_character_no_font_has_is_reported_and_marked_not_blank(tmp_path):
    ext_h = "\U00031350"            # CJK Extension H: no installed font has it
    r = render_batch([Section(table_doc(1, [f"张{ext_h}"]))], tmp_path / "missing.pdf")
    assert set(r.missing) == {ext_h}
    assert "U+31350" in r.missing_text() and "张" in r.missing_text()
    assert "〔U+31350〕" in pdf_text(r.path)


def test_long_table_splits_with_repeated_header_and_per_document_page_numbers(tmp_path):
    r = render_batch([Section(table_doc(120)), Section(table_doc(3), OFFICIAL), Section(table_doc(90))],
                     tmp_path / "batch.pdf")
    assert r.sections == 3
    assert r.section_pages[0] == 1 and r.section_pages[1] > 2 and r.section_pages[2] == r.section_pages[1] + 1
    first = r.section_pages[1] - 1
    for page in range(1, first + 1):
        text = pdf_text(r.path, page, page)
        assert "项目" in text                                   # header repeated on every page
        assert f"第 {page} 页 共 {first} 页" in text
    second = pdf_text(r.path, r.section_pages[1], r.section_pages[1])
    assert "第 1 页 共 1 页" in second                          # each document counts its own pages
    last = pdf_text(r.path, r.pages, r.pages)
    assert f"共 {r.pages - r.section_pages[2] + 1} 页" in last


def test_each_document_of_a_batch_starts_on_a_new_page(tmp_path):
    def one(i):
        return Section(lambda kit: [kit.text(f"第{i}份文书")])
    r = render_batch([one(i) for i in range(5)], tmp_path / "five.pdf")
    assert r.pages == 5 and r.section_pages == [1, 2, 3, 4, 5]
    for i in range(5):
        assert f"第{i}份文书" in pdf_text(r.path, i + 1, i + 1)


def test_progress_is_reported_and_cancel_leaves_no_file(tmp_path):
    out = tmp_path / "x.pdf"
    seen = []
    render_batch([Section(table_doc(2)) for _ in range(4)], out, progress=lambda d, t: seen.append((d, t)))
    assert seen[-1] == (4, 4) and seen[0] == (0, 4)
    before = out.read_bytes()
    calls = []

    def cancelled():
        calls.append(1)
        return len(calls) > 2
    with pytest.raises(PrintCancelled):
        render_batch([Section(table_doc(2)) for _ in range(6)], out, cancelled=cancelled)
    assert out.read_bytes() == before                     # the earlier file is untouched
    assert [p.name for p in tmp_path.iterdir()] == ["x.pdf"]   # no temporary file left
    with pytest.raises(PrintCancelled):
        render_batch([Section(table_doc(2))], tmp_path / "new.pdf", cancelled=lambda: True)
    assert not (tmp_path / "new.pdf").exists()


def test_a_failing_document_leaves_no_file_and_an_empty_selection_says_so(tmp_path):
    def broken(kit):
        raise ValueError("boom")
    with pytest.raises(ValueError):
        render_batch([Section(table_doc(1)), Section(broken)], tmp_path / "b.pdf")
    assert list(tmp_path.iterdir()) == []
    with pytest.raises(LedgerError, match="没有可打印"):
        render_batch([], tmp_path / "e.pdf")


def test_no_font_found_is_a_chinese_error(tmp_path, monkeypatch):
    from db.docs import fonts
    monkeypatch.setattr(fonts, "font_dirs", lambda: [tmp_path])
    with pytest.raises(LedgerError, match="找不到可嵌入的中文字体"):
        fonts.load_fonts()


def test_wide_tables_fit_the_width():
    from db.docs.layout import Kit
    kit = Kit(load_fonts(), 400, 700)
    cols = [Column(f"列{i}", 1, min_chars=6) for i in range(10)]
    ws = kit.widths(cols)
    assert abs(sum(ws) - 400) < 0.01
    ws = kit.widths([Column("a", 1, min_chars=4), Column("b", 5)])
    assert ws[0] >= 4 * 10.5 and abs(sum(ws) - 400) < 0.01
