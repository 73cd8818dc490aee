"""What the ledger puts on paper and in files: every document kind (PDF text extracted), the
submission workbook's sheets, the command line — and disability never on a public output."""
from __future__ import annotations

import datetime as dt
import json
import re

import openpyxl
import pytest
from sqlalchemy import select

from db.aid.service import AidService
from db.cli import run
from db.demo import fill_demo
from db.docs.kinds import Selection, kind
from db.docs.render import render_batch
from db.exchange.workbook import export_workbook
from db.models.registry import Student
from db.models.special import SpecialFile
from db.special import rules
from db.special.service import SpecialService
from tests.db.docs.conftest import assert_embedded_truetype, pdf_text

SEL = Selection(term="2020秋", all=True, today=dt.date(2021, 1, 20))
HEADINGS = {"special-file": "残疾儿童少年安置档案", "special-iep": "个别化教育方案", "special-visit": "送教上门记录表",
            "special-visits": "送教上门学期记录表", "special-exempt": "免于学习名册"}
PRIVATE_WORDS = ("残疾", "送教", "随班就读", "免于学习", "特殊教育", "特教", "安置", *rules.CATEGORY_LABELS.values())


@pytest.fixture
def demo(sctx):
    """300 demo students with the special-needs demo files (2020秋: visits, plans, photos)."""
    fill_demo(sctx, 300, ledgers=True)
    return sctx


def files(ctx) -> list[SpecialFile]:
    with ctx.read() as s:
        return list(s.scalars(select(SpecialFile)))


@pytest.mark.parametrize("name", sorted(HEADINGS))
def test_every_kind_prints_with_embedded_fonts(demo, tmp_path, name):
    r = render_batch(kind(name).sections(demo, SEL), tmp_path / f"{name}.pdf")
    assert_embedded_truetype(r.path)
    text = pdf_text(r.path, 1, 3).replace(" ", "")
    assert HEADINGS[name] in text and "阚疃镇中心学校" in text


def test_the_file_printed_has_cover_contents_and_masked_numbers(demo, tmp_path):
    f = next(x for x in files(demo) if x.card_no and x.placement == rules.HOME)
    r = render_batch(kind("special-file").sections(demo, Selection(record_ids=(f.id,), today=SEL.today)),
                     tmp_path / "f.pdf")
    assert r.pages == 3
    text = pdf_text(r.path)
    flat = text.replace(" ", "")
    assert "一人一案" in flat and "卷内目录" in flat and "残疾人教育专家委员会评估记录" in flat
    assert f.name in text and f"{f.id_number[:6]}********{f.id_number[-4:]}" in text
    assert f.id_number not in text and f.card_no not in text
    assert re.search(r"送教上门记录表（2020年秋季学期）\d+次", flat)


def test_a_visit_sheet_carries_its_photos(demo, tmp_path):
    from pypdf import PdfReader

    from db.models.special import SpecialAttachment, SpecialHomeVisit
    with demo.read() as s:
        days = set(s.scalars(select(SpecialHomeVisit.visit_date).join(
            SpecialAttachment, SpecialAttachment.visit_id == SpecialHomeVisit.id)))
    r = render_batch(kind("special-visit").sections(demo, SEL), tmp_path / "v.pdf")
    shown = set()
    for page in PdfReader(r.path).pages:
        if page.images:
            m = re.search(r"送教日期\s*(\d{4})年(\d{1,2})月(\d{1,2})日", page.extract_text())
            shown.add(dt.date(*map(int, m.groups())))
    assert shown == days and days


def test_the_term_record_counts_visits_and_missed(demo, tmp_path):
    svc = SpecialService(demo)
    due = svc.home_teaching_due(dt.date(2021, 1, 20))
    r = render_batch(kind("special-visits").sections(demo, SEL), tmp_path / "t.pdf")
    text = pdf_text(r.path)
    for d in due:
        assert f"本学期送教 {d.done} 次，共 {d.minutes} 分钟；按频次应送教约 {d.expected} 次" in text


def test_the_exemption_roll_masks_the_id(demo, tmp_path):
    roll = SpecialService(demo).exemption_roll("2020-2021")
    assert roll
    text = pdf_text(render_batch(kind("special-exempt").sections(demo, SEL), tmp_path / "x.pdf").path)
    for x in roll:
        assert x.name in text and x.id_number not in text and x.id_number[-4:] in text


def test_print_command_by_record_and_wrong_scopes(demo, database, tmp_path, capsys):
    fid = files(demo)[0].id
    database.dispose()
    out = tmp_path / "f.pdf"
    assert run(["print", "special-file", "--record", str(fid), "--out", str(out), "--db", str(database.path)]) == 0
    assert out.exists() and "残疾儿童少年安置档案" in capsys.readouterr().out
    assert run(["print", "special-file", "--class", "三年级1班", "--out", str(out), "--db", str(database.path)]) == 2
    assert "不能按班级打印" in capsys.readouterr().err
    assert run(["print", "card", "--record", "1", "--term", "2020秋", "--out", str(out),
                "--db", str(database.path)]) == 2


def test_workbook_sheets_match_the_report(demo, tmp_path):
    export_workbook(demo, tmp_path / "w.xlsx", term="2020秋")
    wb = openpyxl.load_workbook(tmp_path / "w.xlsx")
    assert wb.sheetnames[-2:] == ["残疾儿童安置统计", "免于学习名册"]
    ws = wb["残疾儿童安置统计"]
    rows = [[c.value for c in r] for r in ws.iter_rows()]
    head = rows[2]
    assert head[:7] == ["残疾类别", "随班就读", "特教学校", "送教上门", "免于学习", "其他安置", "待安置"]
    total = next(r for r in rows if r[0] == "合计")
    want = {r.category: r for r in SpecialService(demo).counts()}["合计"]
    assert total[1:9] == [*(want.groups[g] for g in rules.PLACEMENT_GROUPS), want.total, want.registered_poor]
    assert want.total == len(files(demo)) > 0
    ids = [r[3] for r in wb["免于学习名册"].iter_rows(min_row=3)]
    assert ids and all(c.data_type == "s" and c.number_format == "@" and len(c.value) == 18 for c in ids)


def test_cli_list_and_report_json(demo, database, capsys):
    database.dispose()
    assert run(["special", "list", "--json", "--db", str(database.path)]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert len(rows) == len(files(demo)) and all("*" in r["id_number"] for r in rows)
    assert run(["special", "report", "--term", "2020秋", "--json", "--db", str(database.path)]) == 0
    rep = json.loads(capsys.readouterr().out)
    assert rep["counts"][-1]["total"] == len(rows) and rep["home_teaching"]
    assert all(v["done"] >= 0 and v["missed"] == max(0, v["expected"] - v["done"]) for v in rep["home_teaching"])
    assert run(["special", "report", "--db", str(database.path)]) == 0
    assert "送教上门" in capsys.readouterr().out
    assert run(["special", "list", "--placement", "送教上门", "--db", str(database.path)]) == 0
    assert run(["special", "report", "--term", "乱写", "--db", str(database.path)]) == 2


def test_cli_attach_and_verify(demo, database, tmp_path, capsys):
    from tests.db.special.conftest import jpeg
    fid = files(demo)[0].id
    database.dispose()
    photo = tmp_path / "证.jpg"
    photo.write_bytes(jpeg(2500, 2500))
    assert run(["special", "attach", str(fid), str(photo), "--kind", "残疾人证", "--date", "2020-01-01",
                "--db", str(database.path)]) == 0
    assert "照片已缩小" in capsys.readouterr().out
    (tmp_path / "假.pdf").write_bytes(photo.read_bytes())
    assert run(["special", "attach", str(fid), str(tmp_path / "假.pdf"), "--kind", "其他",
                "--db", str(database.path)]) == 2
    assert "扩展名与内容不符" in capsys.readouterr().err
    assert run(["special", "verify", "--db", str(database.path)]) == 0
    assert "附件完好" in capsys.readouterr().out


def test_disability_is_on_no_public_output(demo, tmp_path):
    """The 公示 (xlsx and PDF) and the signature sheet show children who have special-needs files and
    receive aid — and not a word of their disability or placement."""
    AidService(demo).plan("2020秋")
    AidService(demo).pay("2020秋", dt.date(2020, 9, 20))
    with demo.read() as s:
        names = {n for n, in s.execute(select(Student.name).join(SpecialFile, SpecialFile.student_id == Student.id))}
        with_cat = s.scalar(select(Student.name).where(Student.categories.any(category="残疾学生")))
    assert names and with_cat
    xlsx = tmp_path / "公示.xlsx"
    AidService(demo).export_notice(xlsx, start=dt.date(2020, 9, 7), end=dt.date(2020, 9, 11), term="2020秋")
    cells = "\n".join(str(c.value) for ws in openpyxl.load_workbook(xlsx).worksheets
                      for row in ws.iter_rows() for c in row if c.value is not None)
    sel = Selection(term="2020秋", all=True, start=dt.date(2020, 9, 7), end=dt.date(2020, 9, 11))
    texts = {"公示名单.xlsx": cells}
    for name in ("notice", "sign"):
        texts[name] = pdf_text(render_batch(kind(name).sections(demo, sel), tmp_path / f"{name}.pdf").path)
    for where, text in texts.items():
        assert any(n in text for n in names), f"{where}: the children with files should be listed"
        for word in PRIVATE_WORDS:
            assert word not in text, f"{where} shows “{word}”"
        with demo.read() as s:
            for card in s.scalars(select(SpecialFile.card_no).where(SpecialFile.card_no.is_not(None))):
                assert card[:18] not in text and card[-6:] not in text
