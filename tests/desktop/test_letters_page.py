"""省外就读 on screen: the letters and the 应发函 list, a letter made for a due student and tracked through
the dialogs, every due student's letter made and printed in one batch."""
from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtWidgets import QApplication

from desktop.dialogs.letter_forms import CallDialog, LetterFormDialog, ReplyDialog, SendDialog
from desktop.pages.letters import LettersPage
from widgets.pdf_preview import PdfPreview

TODAY = dt.date.today()



@pytest.fixture
def ctx(ctx):
    """The desktop's demo school with the letters ledger's demonstration records too (fill_demo(..., ledgers=True))."""
    from db.dropout.demo import fill_hook as cases
    from db.letters.demo import fill_hook as letters
    letters(ctx.ctx)
    cases(ctx.ctx)
    return ctx

@pytest.fixture
def page(qtbot, ctx):
    p = LettersPage(ctx)
    qtbot.addWidget(p)
    p.resize(1234, 700)
    with qtbot.waitSignal(p.rowsLoaded, timeout=10000):
        p.start()
    return p


@pytest.fixture(autouse=True)
def close_previews():
    yield
    for w in QApplication.topLevelWidgets():
        if isinstance(w, PdfPreview):
            w.close()


def test_the_lists_show_the_demo_letters_and_who_needs_one(page, ctx):
    assert page.model.rowCount() == len(ctx.letters.letters()) > 0
    assert page.due_model.rowCount() == len(ctx.letters.due()) > 0
    assert page.tabs.tabText(1) == f"应发函（{page.due_model.rowCount()}）"
    assert all("*" in page.model.row_at(i).child_id_number for i in range(page.model.rowCount()))
    statuses = {page.model.row_at(i).status for i in range(page.model.rowCount())}
    assert {"待发出", "已落实", "不在该校"} <= statuses


def test_a_letter_for_a_due_student_sent_answered_and_called(qtbot, page, ctx):
    due = ctx.letters.due()[0]
    dlg = LetterFormDialog(ctx, None, page, student_id=due.student_id, today=TODAY)
    qtbot.addWidget(dlg)
    assert dlg.edits["child_name"].text() == due.name and len(dlg.edits["child_id_number"].text()) == 18
    dlg.edits["to_province"].setText("江苏省")
    dlg.edits["to_phone"].setText("12")
    assert not dlg.try_save() and dlg.error_text("to_phone")
    dlg.edits["to_phone"].setText("0512-57771234")
    assert dlg.try_save()
    x = dlg.result_value
    assert x.status == "待发出" and x.number.startswith(f"校资函〔{TODAY.year}〕")
    assert due.student_id not in {d.student_id for d in ctx.letters.due()}

    send = SendDialog(ctx, x, page, today=TODAY)
    qtbot.addWidget(send)
    assert not send.try_save() and send.error_text("tracking_no")          # 邮寄 needs its number
    send.tracking.setText("1180123456789")
    assert send.try_save() and send.result_value.status == "待回复"
    call = CallDialog(ctx, send.result_value, page, today=TODAY)
    qtbot.addWidget(call)
    call.note.setPlainText("对方说正在核实")
    assert call.try_save() and len(call.result_value.calls) == 1
    reply = ReplyDialog(ctx, call.result_value, page, today=TODAY)
    qtbot.addWidget(reply)
    reply.result_combo.setCurrentIndex(reply.result_combo.findData("已落实"))
    reply.amount.setText("625.123")
    assert not reply.try_save() and reply.error_text("amount")
    reply.amount.setText("625")
    assert reply.try_save() and reply.result_value.reply_amount_fen == 62500


def test_all_due_letters_made_and_printed_in_one_batch(qtbot, page, ctx, no_modal_boxes):
    need = {d.student_id for d in ctx.letters.due() if d.study_school}
    page.make_all()
    qtbot.waitUntil(lambda: any(isinstance(w, PdfPreview) and w.isVisible() for w in QApplication.topLevelWidgets()),
                    timeout=30000)
    made = {r.student_id for r in ctx.letters.letters() if r.status == "待发出"}
    assert need <= made and not {d.student_id for d in ctx.letters.due()} & need


def test_buttons_follow_the_letter(qtbot, page, ctx):
    rows = page.rows
    for status, edit, reply in (("待发出", True, False), ("已落实", False, True)):
        i = next(i for i, r in enumerate(rows) if r.status == status)
        page.view.selectRow(i)
        qtbot.waitUntil(lambda i=i: page.letter is not None and page.letter.id == rows[i].id, timeout=10000)
        assert page.buttons["edit"].isEnabled() == edit and page.buttons["send"].isEnabled() == edit
        assert page.buttons["reply"].isEnabled() == reply


def test_settings(qtbot, page, ctx):
    from desktop.dialogs.letter_forms import LetterSettingsDialog
    dlg = LetterSettingsDialog(ctx, page)
    qtbot.addWidget(dlg)
    dlg.prefix.setText("利教资函")
    dlg.days.setValue(45)
    assert dlg.try_save()
    assert (ctx.letters.prefix(), ctx.letters.reply_days()) == ("利教资函", 45)
    dlg = LetterSettingsDialog(ctx, page)
    qtbot.addWidget(dlg)
    dlg.prefix.setText("〔1〕")
    assert not dlg.try_save() and dlg.error_text("prefix")
