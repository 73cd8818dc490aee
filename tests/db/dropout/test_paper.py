"""The printed documents of both ledgers from a real database: fonts embedded, the Chinese text there,
the law quoted, tear-off receipts, the month's counts as the service counts them, the full ID number
on the letter only."""
from __future__ import annotations

import datetime as dt
import re

import pytest

from db.docs.kinds import Selection, kind
from db.docs.render import render_batch
from db.dropout.dto import Move, State
from db.errors import LedgerError
from db.letters.dto import SendForm
from db.letters.service import LettersService
from db.registry.dto import SchoolInfo
from db.registry.school import SchoolService
from tests.db.docs.conftest import assert_embedded_truetype, pdf_text
from tests.db.dropout.conftest import attempt, make_id, open_case
from tests.db.letters.conftest import kids  # noqa: F401  (fixture)

D = dt.date
FULL_ID = re.compile(r"\d{17}[\dX]")


@pytest.fixture
def cases(ctx, svc, school):
    SchoolService(ctx).save(SchoolInfo(name="阚疃镇中心学校", county="利辛县", stages=["小学", "初中"], officer="李老师",
                                       headmaster="王校长", phone="0558-8123456"))
    a = open_case(svc, school["张小明"], last=D(2020, 9, 1), head_teacher="刘老师")
    svc.move(a.id, Move(State.DROPPED, D(2020, 10, 5)))
    attempt(svc, a.id, D(2020, 10, 6), next_step="再次家访", next_date=D(2020, 10, 13))
    attempt(svc, a.id, D(2020, 10, 20), level="县教育局", deadline=D(2020, 11, 30))
    b = open_case(svc, school["李小红"], opened=D(2020, 10, 12), last=D(2020, 10, 1))
    svc.move(b.id, Move(State.CLOSED, D(2020, 10, 20), close_reason="转学", close_school="县城二小",
                        close_evidence="在读证明"))
    return a, b


def render(ctx, name, sel, path):
    r = render_batch(kind(name).sections(ctx, sel), path)
    assert_embedded_truetype(r.path)
    return r, pdf_text(r.path)


def flat(text: str) -> str:
    """The text without spaces and line breaks (a phrase may wrap)."""
    return text.replace(" ", "").replace("\n", "")


def test_the_notice_to_the_guardian(ctx, cases, tmp_path):
    a, _b = cases
    r, text = render(ctx, "dropout-notice", Selection(record_ids=(a.id,), today=D(2020, 11, 20)), tmp_path / "n.pdf")
    assert r.pages == 1 and r.missing == {}
    for words in ("劝返复学通知书", "张大山（家长/监护人）", "张小明", "阚疃镇中心学校七年级2班",
                  "2020年11月30日前送孩子到校复学", "《中华人民共和国义务教育法》第五条", "第十一条", "第五十八条",
                  "回执", "沿此线剪下", "家长（监护人）签名",
                  "刘老师（班主任）", "0558-8123456"):
        assert words in flat(text), words
    assert not FULL_ID.search(flat(text)) and "341623" not in flat(text)   # no ID number on a family's notice


def test_notices_only_for_open_cases(ctx, cases, tmp_path):
    _a, b = cases
    with pytest.raises(LedgerError, match="已销号"):
        kind("dropout-notice").sections(ctx, Selection(record_ids=(b.id,)))
    r, _t = render(ctx, "dropout-notice", Selection(all=True), tmp_path / "all.pdf")
    assert r.sections == 1


def test_the_record_of_every_attempt(ctx, cases, tmp_path):
    a, b = cases
    r, text = render(ctx, "dropout-record", Selection(record_ids=(a.id, b.id)), tmp_path / "r.pdf")
    assert r.sections == 2
    for words in ("控辍保学劝返记录表", "刘老师（班主任，138****5678）", "县教育局", "限期2020-11-30", "前复学",
                  "再次家访", "2020-10-13前",
                  "销号（转学）：县城二小，在读证明", "2020-10-05辍学"):
        assert words in flat(text), words
    assert not FULL_ID.search(flat(text))


def test_the_monthly_report_matches_the_service(ctx, svc, cases, tmp_path):
    r, text = render(ctx, "dropout-report", Selection(month="2020-10", today=D(2020, 11, 2)), tmp_path / "m.pdf")
    assert "控辍保学月报表" in flat(text) and "2020年10月" in flat(text) and "填报日期：2020年11月2日" in flat(text)
    report = svc.month_report("2020-10")
    line = next(x for x in text.splitlines() if x.strip().startswith("合计"))
    expected = [n for key in ("new", "疑似辍学", "辍学", "劝返中", "returned", "closed") for n in report.total.get(key)]
    assert [int(n) for n in re.findall(r"\d+", line)] == expected == [1, 0, 0, 0, 0, 0, 1, 1, 0, 0, 1, 0]
    assert "本月销号（转学）" in flat(text)
    _r, zero = render(ctx, "dropout-report", Selection(month="2019-10"), tmp_path / "z.pdf")
    assert "零报告" in flat(zero)


def test_the_letter_carries_the_full_id_and_a_receipt(ctx, kids, tmp_path):  # noqa: F811
    svc = LettersService(ctx)
    form = svc.new_form(kids["张小明"])
    form.to_province, form.to_city, form.to_county = "江苏省", "苏州市", "昆山市"
    x = svc.save_letter(form)
    svc.send(SendForm(x.id, "邮寄", D(2020, 11, 20), "1180123456789"))
    r, text = render(ctx, "letter", Selection(record_ids=(x.id,)), tmp_path / "l.pdf")
    for words in ("省外就读学生资助政策落实函", "校资函〔2020〕1号", "昆山市玉山镇第一中心小学（江苏省苏州市昆山市）",
                  make_id("341623", D(2009, 1, 1), 30), "建档立卡（脱贫户）", "2019年",
                  "寄宿生生活补助（寄宿生）：1000元/年",
                  "校长：王校长", "回执", "资助项目", "经办人", "请于2020年12月20日前", "0558-8123456"):
        assert words in flat(text), words
    svc.save_letter(_with_school(svc.new_form(kids["王小芳"])))
    batch, _t = render(ctx, "letter", Selection(all=True), tmp_path / "b.pdf")
    assert batch.sections == 1                               # --all: the letters not sent yet


def _with_school(form):
    form.to_school = "宁波市某中学"
    return form
