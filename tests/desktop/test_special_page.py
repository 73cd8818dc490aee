"""残疾儿童安置 on a real database: the list and its filters, the file window and its tabs, a 送教上门
visit with a photo, attachments added by dropping files, a PDF opened with the system viewer, the
family page's section, printing."""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPoint, Qt, QUrl
from PySide6.QtGui import QDropEvent

from db.special.demo import fill_special
from db.special.dto import FileForm, HomeVisitForm
from desktop.dialogs.special_records import VisitDialog
from desktop.pages.family import FamilyPage
from desktop.pages.special import SpecialPage
from tests.db.special.conftest import HAND_ID, jpeg, pdf_bytes

TODAY = dt.date(2020, 11, 20)
FULL_ID = re.compile(r"\d{17}[\dX]")


@pytest.fixture
def special_ctx(ctx):
    fill_special(ctx.ctx)
    return ctx


@pytest.fixture
def page(qtbot, special_ctx):
    p = SpecialPage(special_ctx, today=lambda: TODAY)
    qtbot.addWidget(p)
    with qtbot.waitSignal(p.rowsLoaded, timeout=20_000):
        p.start()
    return p


def reload(qtbot, page, change):
    with qtbot.waitSignal(page.rowsLoaded, timeout=20_000):
        change()
    return [r.id for r in page.rows]


def test_the_list_shows_every_file_masked(page, special_ctx):
    assert page.model.rowCount() == len(special_ctx.special.list_files()) >= 5
    shown = "\n".join(page.model.data(page.model.index(r, c)) for r in range(page.model.rowCount())
                      for c in range(page.model.columnCount()))
    assert not FULL_ID.search(shown)
    assert "送教上门" in page.count_label.text() and page.alerts.count() == len(special_ctx.special.alerts(TODAY))


def test_filters(qtbot, page, special_ctx):
    home = reload(qtbot, page, lambda: page.placement.setCurrentIndex(page.placement.findData("送教上门")))
    assert home and all(special_ctx.special.get_file(i).placement == "送教上门" for i in home)
    reload(qtbot, page, lambda: page.placement.setCurrentIndex(0))
    due = reload(qtbot, page, lambda: page.review_due.setChecked(True))
    assert due == [r.id for r in special_ctx.special.list_files(page.query(), today=TODAY)]
    reload(qtbot, page, lambda: page.review_due.setChecked(False))
    cat = special_ctx.special.list_files()[0].category
    assert all(r.category == cat for r in page.rows) if reload(
        qtbot, page, lambda: page.category.setCurrentIndex(page.category.findData(cat))) else False


def test_a_new_child_typed_by_hand_then_the_tabs_open(qtbot, page, special_ctx):
    page.edit(FileForm(), show=False)
    dlg = page.last_dialog
    qtbot.addWidget(dlg)
    assert not dlg.tabs.isTabEnabled(1) and dlg.tabs.count() == 7
    dlg.widgets["name"].setText("田小禾")
    dlg.widgets["id_number"].setText(HAND_ID)
    dlg.widgets["category"].setCurrentIndex(dlg.widgets["category"].findData("多重"))
    dlg.widgets["card_no"].setText(HAND_ID + "52")           # 5 = 智力: the form says which digit is wrong
    assert not dlg.try_save()
    assert "第 19 位残疾类别代码为 5（智力）" in dlg.error_text("card_no")
    dlg.widgets["card_no"].setText(HAND_ID + "71")
    assert dlg.try_save() and dlg.result() != dlg.DialogCode.Accepted            # saved; the window stays open
    assert dlg.value_in.id and all(dlg.tabs.isTabEnabled(i) for i in range(7))
    assert [dlg.tabs.tabText(i) for i in range(7)] == ["儿童", "评估", "安置", "个别化教育方案", "送教上门", "免于学习",
                                                       "附件"]
    assert special_ctx.special.get_file(dlg.value_in.id).card_no == HAND_ID + "71"


def test_a_visit_with_a_photo(qtbot, special_ctx, tmp_path):
    fid = special_ctx.special.save_file(FileForm(name="田小禾", id_number=HAND_ID, category="多重")).id
    photo = tmp_path / "送教.jpg"
    photo.write_bytes(jpeg(3000, 2000))
    dlg = VisitDialog(special_ctx, HomeVisitForm(file_id=fid, visit_date=TODAY))
    qtbot.addWidget(dlg)
    dlg.widgets["teacher1"].setText("张红梅")
    dlg.widgets["teacher2"].setText("李建华")
    dlg.widgets["content"].setPlainText("认知：颜色卡片")
    dlg.add_photos([str(photo)])
    assert dlg.photo_list.count() == 1
    assert dlg.try_save()
    (v,) = special_ctx.special.home_visits(fid)
    assert v.photos == 1 and v.minutes == 60
    (a,) = special_ctx.special.attachments(fid)
    assert a.visit_id == v.id and a.kind == "送教照片" and a.reduced


def drop(widget, paths):
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    event = QDropEvent(QPoint(10, 10), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                       Qt.KeyboardModifier.NoModifier)
    widget.dropEvent(event)


def test_attachments_dropped_added_and_a_pdf_opened(qtbot, page, special_ctx, tmp_path, monkeypatch, no_modal_boxes):
    from PySide6.QtGui import QDesktopServices

    from desktop.dialogs.special_attachments import AttachmentsTab
    from desktop.dialogs.special_forms import RecordForm
    fid = special_ctx.special.save_file(FileForm(name="田小禾", id_number=HAND_ID, category="多重")).id
    tab = AttachmentsTab(special_ctx, fid, today=TODAY)
    qtbot.addWidget(tab)
    tab.reload()
    assert tab.thumbs.count() == 0 and "还没有附件" in tab.summary.text()
    (tmp_path / "证.jpg").write_bytes(jpeg(800, 600))
    (tmp_path / "报告.pdf").write_bytes(pdf_bytes())
    (tmp_path / "假.pdf").write_bytes(jpeg(10, 10))
    dropped = []
    tab.thumbs.filesDropped.connect(dropped.append)
    # the kind/date/note dialog is answered with what it proposes (kind guessed, today's date)
    monkeypatch.setattr(RecordForm, "exec", lambda self: self.try_save())
    drop(tab.thumbs, [tmp_path / "证.jpg", tmp_path / "报告.pdf", tmp_path / "假.pdf"])
    special_ctx.tasks.wait()
    assert len(dropped) == 1 and len(dropped[0]) == 3
    assert tab.thumbs.count() == 2 and "共 2 个附件" in tab.summary.text()
    assert {r.kind for r in tab.rows.values()} == {"其他"} and {r.doc_date for r in tab.rows.values()} == {TODAY}
    assert "假.pdf" in no_modal_boxes[-1] and "扩展名与内容不符" in no_modal_boxes[-1]
    opened = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url.toLocalFile()) or True)
    pdf_row = next(r for r in tab.rows.values() if r.mime == "application/pdf")
    tab.open(pdf_row.id)
    assert opened and Path(opened[0]).read_bytes() == (tmp_path / "报告.pdf").read_bytes()


def test_the_family_page_shows_the_file(qtbot, special_ctx):
    row = next(r for r in special_ctx.special.list_files() if r.student_id)
    fam = FamilyPage(special_ctx, today=lambda: TODAY)
    qtbot.addWidget(fam)
    with qtbot.waitSignal(fam.recordLoaded, timeout=20_000):
        fam.show_student(row.student_id)
    text = fam.browser.toPlainText()
    assert "残疾儿童安置（一人一案）" in text and row.placement in text and f"{row.category}{row.grade}" in text
    assert not FULL_ID.search(text)


def test_print_the_selected_files(qtbot, page, monkeypatch):
    calls = []
    monkeypatch.setattr("desktop.pages.special.print_document", lambda parent, ctx, kind, sel: calls.append((kind, sel)))
    page.view.selectRow(0)
    page.print_current("special-file")
    page.view.clearSelection()
    page.print_current("special-exempt")
    assert calls[0][0] == "special-file" and calls[0][1].record_ids == (page.rows[0].id,)
    assert calls[1][0] == "special-exempt" and calls[1][1].all and calls[1][1].term == "2020秋"
