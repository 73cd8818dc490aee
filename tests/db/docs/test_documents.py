"""Every document kind from a real database: fonts embedded, the Chinese text there, money that
reconciles to the fen, and a public notice that shows nothing private."""
from __future__ import annotations

import datetime as dt
import re

import pytest
from sqlalchemy import select

from db.aid.paper import family_cards, is_waiver, sign_sheets
from db.aid.service import AidService
from db.docs.kinds import Selection, kind, kinds
from db.docs.render import render_batch
from db.errors import LedgerError
from db.models.aid import AidBatch, Disbursement
from db.models.core import Setting
from db.models.registry import School, Student
from db.money import format_yuan
from db.registry.selection import HOTLINE_KEY, parse_class
from tests.db.docs.conftest import assert_embedded_truetype, pdf_text

TODAY = dt.date(2020, 10, 8)
CATEGORY_WORDS = ("建档立卡", "孤儿", "残疾", "低保", "特困", "监测", "脱贫", "事实无人抚养")


def _yuan_to_fen(text: str) -> int:
    whole, frac = text.replace(",", "").split(".")
    return int(whole) * 100 + int(frac)


HEADINGS = {"card": "学生资助政策告知书（明白卡）", "visit": "学生资助走访核实记录表", "sign": "发放签领表",
            "notice": "学生资助公示名单", "family": "学生资助情况查询记录", "cover": "学生资助档案",
            "assessment": "家庭经济困难学生认定表"}


@pytest.mark.parametrize("name", sorted(HEADINGS))
def test_every_kind_prints_with_embedded_fonts_and_chinese_text(paid, tmp_path, name):
    k = kind(name)
    r = render_batch(k.sections(paid, Selection(term="2020秋", all=True, today=TODAY)), tmp_path / f"{name}.pdf")
    assert r.pages >= 1
    assert_embedded_truetype(r.path)
    text = pdf_text(r.path, 1, 2)
    assert HEADINGS[name] in text.replace(" ", "")
    assert "阚疃镇中心学校" in text and "第 1 页 共" in text


def test_signature_sheets_reconcile_to_the_batch_to_the_fen(paid, tmp_path):
    r = render_batch(kind("sign").sections(paid, Selection(term="2020秋", all=True)), tmp_path / "sign.pdf")
    text = pdf_text(r.path)
    pages = text.split("\f")
    sheet_totals, page_sum = [], 0
    for page in pages:
        sub = re.search(r"本页小计\s+(\d+) 人\s+([\d,]+\.\d\d)", page)
        if sub:
            rows = [_yuan_to_fen(m) for m in re.findall(r"^\s*\d+\s+\S+\s+\S+\s+\S+\s+([\d,]+\.\d\d)\s*$", page, re.M)]
            assert sum(rows) == _yuan_to_fen(sub.group(2)) and len(rows) == int(sub.group(1))
            page_sum += _yuan_to_fen(sub.group(2))
        total = re.search(r"^\s*合计\s+(\d+) 人\s+([\d,]+\.\d\d)", page, re.M)
        if total:
            assert _yuan_to_fen(total.group(2)) == page_sum      # page subtotals add up to the sheet total
            sheet_totals.append(page_sum)
            page_sum = 0
    with paid.read() as s:
        batch = s.scalar(select(AidBatch).where(AidBatch.term_key == 2020 * 2 + 1))
        lines = list(s.execute(select(Disbursement.programme, Disbursement.amount_fen)
                               .where(Disbursement.batch_id == batch.id, Disbursement.status != "已作废")))
    cash = sum(f for p, f in lines if not is_waiver(p))
    assert sum(sheet_totals) == cash
    summary = pages[-2] if not pages[-1].strip() else pages[-1]
    assert "本学期发放批次合计" in summary and format_yuan(batch.total_fen) in summary
    assert "相符" in summary and "不相符" not in summary
    sheets, sm = sign_sheets(paid, Selection(term="2020秋", all=True))
    assert sm.cash_fen == batch.total_fen == AidService(paid).batch_total("2020秋")      # 减免 is not in the batch total


def test_signature_sheet_refuses_a_batch_that_does_not_add_up(paid):
    with paid.session_factory.begin() as s:
        s.execute(AidBatch.__table__.update().values(total_fen=AidBatch.total_fen + 1))
    with pytest.raises(LedgerError, match="不一致"):
        sign_sheets(paid, Selection(term="2020秋", all=True))


def test_public_notice_shows_only_the_allowed_columns(paid, tmp_path):
    sel = Selection(term="2020秋", all=True, start=dt.date(2020, 9, 7), end=dt.date(2020, 9, 11), today=TODAY)
    r = render_batch(kind("notice").sections(paid, sel), tmp_path / "notice.pdf")
    text = pdf_text(r.path)
    assert re.search(r"姓名\s+学校\s+年级\s+班级\s+资助项目\s+档次\s+金额", text)
    assert "2020年9月7日至2020年9月11日（5个工作日）" in text
    assert not re.search(r"\d{17}[\dX]", text), "an ID number"
    assert not re.search(r"\d{16,19}", text), "a card number"
    assert not re.search(r"1[3-9]\d{9}", text), "a phone number"
    assert not re.search(r"(19|20)\d\d-\d\d-\d\d|(19|20)\d\d年\d{1,2}月\d{1,2}日(?!至)", text.replace(
        "2020年9月7日", "").replace("2020年9月11日", "").replace("2020年10月8日", "")), "a birth date"
    for word in CATEGORY_WORDS:
        assert word not in text, word
    with paid.read() as s:
        some = s.scalars(select(Student).limit(20)).all()
    for st in some:
        assert st.id_number not in text and (st.bank_card_no or "x" * 19) not in text
        assert st.id_number[-4:] + " " not in text


def test_notice_carries_the_complaint_phones_from_the_school_and_the_setting(paid, tmp_path):
    sel = Selection(term="2020秋", all=True, today=TODAY)
    text = pdf_text(render_batch(kind("notice").sections(paid, sel), tmp_path / "n1.pdf").path)
    assert "县学生资助管理中心电话（＿" in text                        # blank: a line to fill in by hand
    with paid.session_factory.begin() as s:
        s.scalar(select(School)).phone = "0558-8123456"
        s.add(Setting(key=HOTLINE_KEY, value="0558-8765432"))
    text = pdf_text(render_batch(kind("notice").sections(paid, sel), tmp_path / "n2.pdf").path)
    assert "0558-8123456" in text and "0558-8765432" in text


def test_family_card_shows_waivers_apart_from_cash(paid, tmp_path):
    cards = family_cards(paid, Selection(term="2020秋", all=True, today=TODAY))
    with_waiver = [c for c in cards if c.waivers]
    assert with_waiver, "the demo school should have 中职免学费 or 普通高中免学杂费 lines"
    for c in cards:
        assert all(not is_waiver(x.programme) for x in c.lines)
        assert c.cash_total_fen == sum(x.amount_fen for x in c.lines)
    c = with_waiver[0]
    hh_sel = Selection(term="2021春", student_ids=(), all=True, today=TODAY)
    r = render_batch(kind("card").sections(paid, hh_sel)[:1], tmp_path / "card.pdf")
    assert "二、减免及非现金资助" in pdf_text(r.path)
    text = "".join(pdf_text(x.path) for x in [render_batch(
        [s for s, cc in zip(kind("card").sections(paid, hh_sel), cards) if cc is c], tmp_path / "w.pdf")])
    assert "学校不收取" in text and c.waivers[0].programme in text
    assert "2020-2021学年" in text and "合计" in text and format_yuan(c.cash_total_fen) in text


def test_family_card_lists_both_terms_of_the_school_year_with_masked_cards(paid):
    cards = family_cards(paid, Selection(term="2021春", all=True, today=TODAY))
    terms = {x.term for c in cards for x in c.lines}
    assert terms == {"2020年秋季学期", "2021年春季学期"}
    assert all("*" in x.card_no for c in cards for x in c.lines if x.card_no)


def test_class_selection_and_the_scope_errors(paid):
    assert parse_class("三年级2班") == ("三年级", "2班")
    assert parse_class("中职一年级3班") == ("中职一年级", "3班")
    assert parse_class("2班") == ("", "2班")
    with paid.read() as s:
        grade, cls = s.execute(select(Student.grade, Student.class_name).join(Disbursement).limit(1)).one()
        in_class = set(s.scalars(select(Student.name).join(Disbursement).where(
            Student.grade == grade, Student.class_name == cls)))
    cards = family_cards(paid, Selection(term="2020秋", class_name=f"{grade}{cls}"))
    shown = {ch.split("（")[0] for c in cards for ch in c.children if f"（{grade}{cls}）" in ch}
    assert in_class and shown == in_class
    with pytest.raises(LedgerError, match="打印范围"):
        family_cards(paid, Selection(term="2020秋"))


def test_the_registry_lists_every_kind_with_a_title():
    names = set(kinds())
    assert {"card", "visit", "sign", "notice", "family", "cover", "assessment"} <= names
    assert all(k.title and k.takes for k in kinds().values())
    with pytest.raises(LedgerError, match="没有名为"):
        kind("nope")
