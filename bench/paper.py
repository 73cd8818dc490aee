"""Benchmark: printed documents from a 100,000-student demo database.

    .venv/bin/python bench/paper.py [--students 100000] [--cards 1000] [--db PATH] [--keep] [--no-preview]

cards_s      = 1,000 明白卡 (one household each, school year 2020-2021): the query (db.aid.paper) and
               the document layer (layout, fallback fonts, page numbers, atomic write) into one PDF
bare_s       = the same strings drawn with a bare reportlab canvas (drawString at fixed places, the same
               embedded TrueType fonts, one page per card, saved), same run, from data already fetched
paper_ratio  = cards_s / bare_s (target <= 1.5)
peak_mb      = the Python heap's peak while the 1,000 cards are built (tracemalloc, separate run)
preview_s    = a class of 50 students: build their 明白卡 PDF, open the preview window (offscreen) and
               wait until the first page is shown (target <= 1 s)
Last line: one JSON object.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import func, select

from db.aid.paper import card_sections, family_cards
from db.context import ServiceContext
from db.docs.fonts import BODY, TITLE, load_fonts
from db.docs.kinds import Selection
from db.docs.render import render_batch
from db.engine import open_database
from db.models.aid import AidBatch, Disbursement
from db.models.registry import Student
from db.money import format_yuan

TODAY = dt.date(2020, 10, 8)


def prepare(path: Path, students: int) -> None:
    from db.aid.service import AidService
    from db.demo import fill_demo
    db = open_database(path)
    ctx = ServiceContext(db.session_factory)
    with db.session_factory() as s:
        have = s.scalar(select(func.count(Student.id)))
        planned = s.scalar(select(func.count(AidBatch.id)))
    if not have:
        t = time.perf_counter()
        fill_demo(ctx, students)
        print(f"demo data: {students:,} students in {time.perf_counter() - t:.1f} s", file=sys.stderr)
    if planned < 2:
        svc = AidService(ctx)
        svc.plan("2020秋")
        svc.pay("2020秋", dt.date(2020, 9, 20))
        svc.plan("2021春")
    db.dispose()


def households(sf, n: int) -> tuple[int, ...]:
    with sf() as s:
        return tuple(s.scalars(select(Student.household_id).join(Disbursement, Disbursement.student_id == Student.id)
                               .where(Student.household_id.is_not(None)).distinct()
                               .order_by(Student.household_id).limit(n)))


def card_strings(c) -> list[tuple[str, float, str]]:
    """Every string the 明白卡 prints, as (face, size, text)."""
    out = [(TITLE, 18, "学生资助政策告知书（明白卡）"), (BODY, 12, f"{c.school}　{c.school_year}学年")]
    for k, v in (("户主", c.head_name), ("户编号", c.household_no), ("住址", c.address), ("联系电话", c.phone),
                 ("在校子女", "、".join(c.children)), ("联络员", c.officer)):
        out += [(TITLE, 10.5, k), (BODY, 10.5, v)]
    out.append((BODY, 12, f"尊敬的{c.head_name}家长：根据国家和省学生资助政策，"
                          f"您家子女在{c.school_year}学年享受的资助如下，请核对。"))
    out.append((TITLE, 12, "一、现金资助（打入银行卡）"))
    for h in ("学生", "学期", "资助项目", "标准", "金额(元)", "发放日期", "银行卡号"):
        out.append((TITLE, 9, h))
    for x in c.lines:
        for v in (x.student, x.term, x.programme, x.standard, format_yuan(x.amount_fen),
                  f"{x.paid_on:%Y-%m-%d}" if x.paid_on else x.status, x.card_no):
            out.append((BODY, 9, v))
    out += [(BODY, 9, "合计"), (BODY, 9, format_yuan(c.cash_total_fen)), (TITLE, 12, "二、减免及非现金资助")]
    for w in c.waivers:
        for v in (w.student, w.term, w.programme, "按规定免除", w.note):
            out.append((BODY, 9, v))
    for line in ("三、如何核实", "1. 资助资金直接打入上表所列银行卡，可持卡到开户银行打印流水，核对到账金额和日期。",
                 "2. 减免资金由财政拨付学校，学校不再向学生收取，家长无需另行申请。",
                 "3. 如有疑问或未按时到账，请联系学校资助办，或拨打县学生资助管理中心电话。",
                 "家长（监护人）签名：", "日期：　　年　　月　　日", c.school, "2020年10月8日", "（盖章）",
                 f"{c.school}　资助政策告知书", "第 1 页 共 1 页"):
        out.append((BODY, 12, line))
    return out


def bare(cards, out: Path) -> float:
    """The floor: the same strings, drawString at fixed places, the same embedded fonts, one page each."""
    from reportlab.pdfgen.canvas import Canvas
    fonts = load_fonts()
    t = time.perf_counter()
    strings = [card_strings(c) for c in cards]
    canv = Canvas(str(out), invariant=True, initialFontName=fonts.font(BODY))
    for page in strings:
        y = 800
        for face, size, text in page:
            canv.setFont(fonts.font(face), size)
            canv.drawString(60, y, text)
            y -= 14
        canv.showPage()
    canv.save()
    return time.perf_counter() - t


def preview_first_page(ctx, tmp: Path) -> float:
    """Click to first page: build a class of 50's cards, open the preview, wait for page 1 on screen."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from widgets.pdf_preview import PdfPreview
    app = QApplication.instance() or QApplication([])
    with ctx.read() as s:
        grade, cls = s.execute(select(Student.grade, Student.class_name).join(Disbursement)
                               .group_by(Student.grade, Student.class_name)
                               .having(func.count(Student.id.distinct()) >= 50).limit(1)).one()
        ids = tuple(s.scalars(select(Student.id).join(Disbursement).where(
            Student.grade == grade, Student.class_name == cls).distinct().limit(50)))
    t = time.perf_counter()
    result = render_batch(card_sections(ctx, Selection(term="2020秋", student_ids=ids, today=TODAY)),
                          tmp / "class50.pdf")
    win = PdfPreview(str(result.path), "明白卡")
    win.resize(1366, 768)
    win.show()
    while not win.pages_shown:
        app.processEvents()
    took = time.perf_counter() - t
    win.close()
    return took


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--students", type=int, default=100_000)
    ap.add_argument("--cards", type=int, default=1000)
    ap.add_argument("--db", type=Path)
    ap.add_argument("--keep", action="store_true")
    ap.add_argument("--no-preview", action="store_true")
    a = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="bench-paper-"))
    path = a.db or tmp / "bench.sqlite3"
    prepare(path, a.students)
    db = open_database(path)
    sf = db.session_factory
    ctx = ServiceContext(sf)
    sel = Selection(term="2020秋", household_ids=households(sf, a.cards), today=TODAY)
    load_fonts()                                   # both sides use fonts already registered
    render_batch(card_sections(ctx, Selection(term="2020秋", household_ids=sel.household_ids[:5], today=TODAY)),
                 tmp / "warm.pdf")
    results = []
    for _ in range(3):
        t = time.perf_counter()
        r = render_batch(card_sections(ctx, sel), tmp / "cards.pdf")
        cards_s = time.perf_counter() - t
        cards = family_cards(ctx, sel)
        bare_s = bare(cards, tmp / "bare.pdf")
        results.append((cards_s / bare_s, cards_s, bare_s))
    ratio, cards_s, bare_s = min(results)
    tracemalloc.start()
    render_batch(card_sections(ctx, sel), tmp / "cards2.pdf")
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    preview_s = None if a.no_preview else preview_first_page(ctx, tmp)
    db.dispose()
    print(f"1,000 明白卡: {cards_s:.2f} s, {r.pages} pages ({(tmp / 'cards.pdf').stat().st_size / 2**20:.1f} MB); "
          f"bare canvas {bare_s:.2f} s; ratio {ratio:.2f} (target <= 1.5)")
    print(f"peak heap while building: {peak:.0f} MB")
    if preview_s is not None:
        print(f"class of 50 previewed: first page after {preview_s:.2f} s (target <= 1 s)")
    print(json.dumps({"cards": len(sel.household_ids), "pages": r.pages, "cards_s": round(cards_s, 3),
                      "bare_s": round(bare_s, 3), "paper_ratio": round(ratio, 3), "peak_mb": round(peak, 1),
                      "preview_first_page_s": None if preview_s is None else round(preview_s, 3)}))
    if not a.keep and not a.db:
        import shutil
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
