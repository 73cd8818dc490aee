"""控辍保学 on screen: the list and its filters, a case taken from 疑似辍学 to 复学 through the dialogs,
refused moves shown in the form, printing, the county list's one-click case and the family page."""
from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtWidgets import QApplication

from db.dropout.dto import CaseQuery, State
from desktop.dialogs.dropout_forms import AttemptDialog, CaseFormDialog, FollowUpDialog, MoveDialog
from desktop.pages.dropout import DropoutPage
from desktop.pages.family import FamilyPage
from tests.db.exchange.files import make_id, write_xlsx
from tests.desktop.test_exchange_page import build_roll
from widgets.pdf_preview import PdfPreview

TODAY = dt.date.today()



@pytest.fixture
def ctx(ctx):
    """The desktop's demo school with the dropout ledger's demonstration records too (fill_demo(..., ledgers=True))."""
    from db.dropout.demo import fill_hook as cases
    from db.letters.demo import fill_hook as letters
    letters(ctx.ctx)
    cases(ctx.ctx)
    return ctx

@pytest.fixture
def page(qtbot, ctx):
    p = DropoutPage(ctx)
    qtbot.addWidget(p)
    p.resize(1234, 700)
    with qtbot.waitSignal(p.rowsLoaded, timeout=10000):
        p.start()
    return p


def reload(qtbot, page):
    with qtbot.waitSignal(page.rowsLoaded, timeout=10000):
        page.load()


def wait_case(qtbot, page, case_id):
    qtbot.waitUntil(lambda: page.case is not None and page.case.id == case_id, timeout=10000)


def a_pupil(ctx) -> int:
    """A 小学 student at school with no case."""
    taken = {r.student_id for r in ctx.dropout.cases(CaseQuery(state=""))}
    return next(c.id for c in ctx.dropout.find_children("") if "年级" in c.label and "在校" in c.label
                and "中职" not in c.label and c.id not in taken and any(g in c.label for g in "一二三四五六"))


def test_the_list_shows_open_cases_and_filters(qtbot, page, ctx):
    everything = ctx.dropout.cases(CaseQuery(state=""))
    open_ = [r for r in everything if r.state in ("疑似辍学", "辍学", "劝返中")]
    assert page.model.rowCount() == len(open_) > 0
    assert all("*" in page.model.row_at(i).id_number for i in range(page.model.rowCount()))   # masked
    page.state_combo.setCurrentIndex(page.state_combo.findData(""))
    qtbot.waitUntil(lambda: page.model.rowCount() == len(everything), timeout=10000)
    page.poor_check.setChecked(True)
    qtbot.waitUntil(lambda: page.model.rowCount() == sum(1 for r in everything if r.poor), timeout=10000)
    assert page.case is not None and "劝返记录" in page.detail.toHtml()


def test_a_case_from_suspected_to_returned_through_the_dialogs(qtbot, page, ctx, monkeypatch):
    sid = a_pupil(ctx)
    dlg = CaseFormDialog(ctx, None, page, today=TODAY)
    qtbot.addWidget(dlg)
    dlg.child.set_value(sid)
    dlg.opened.setText(f"{TODAY - dt.timedelta(days=40):%Y%m%d}")                 # typed without separators
    dlg.reason.setCurrentIndex(dlg.reason.findData("厌学/学习困难"))
    dlg.last_day.setText(f"{TODAY - dt.timedelta(days=44):%Y/%m/%d}")           # 4 days before: not yet 疑似
    assert not dlg.try_save() and "未超过 7 天" in dlg.error_text("last_at_school")
    dlg.last_day.setText(f"{TODAY - dt.timedelta(days=50):%Y/%m/%d}")
    dlg.teacher.setText("刘老师")
    assert dlg.try_save()
    case = dlg.result_value
    assert case.state == State.SUSPECTED and ctx.registry.get_student(sid).enrolment == "辍学"
    reload(qtbot, page)
    page.load(keep=case.id)
    wait_case(qtbot, page, case.id)
    assert page.move_actions[State.DROPPED].isEnabled() and not page.follow_action.isEnabled()

    move = MoveDialog(ctx, page.case, State.DROPPED, page, today=TODAY)
    qtbot.addWidget(move)
    move.on.setText(f"{TODAY - dt.timedelta(days=20):%Y-%m-%d}")   # only 25 days absent then
    assert not move.try_save() and "30" in move.error_text("to")
    move.on.setText(f"{TODAY:%Y-%m-%d}")
    assert move.try_save() and move.result_value.state == State.DROPPED

    att = AttemptDialog(ctx, move.result_value, page, today=TODAY)
    qtbot.addWidget(att)
    assert att.people.value()[0].name == "刘老师"                   # the head teacher, ready
    att.result_combo.setCurrentIndex(att.result_combo.findData("同意返校"))
    att.next_step.setText("返校报到")
    att.next_date.setText("not a date")
    assert not att.try_save() and att.error_text("next_date")
    att.next_date.setText(f"{TODAY:%Y-%m-%d}")
    assert att.try_save() and att.result_value.state == State.PERSUADING

    back = MoveDialog(ctx, att.result_value, State.RETURNED, page, today=TODAY)
    qtbot.addWidget(back)
    assert back.fields["return_class"].text()
    assert back.try_save() and back.result_value.state == State.RETURNED
    assert ctx.registry.get_student(sid).enrolment == "在校"
    follow = FollowUpDialog(ctx, back.result_value, page, today=TODAY)
    qtbot.addWidget(follow)
    follow.note.setPlainText("按时到校")
    assert follow.try_save() and follow.result_value.follow_up_note == "按时到校"


def test_closing_asks_for_the_evidence_of_its_reason(qtbot, page, ctx):
    c = ctx.dropout.open_case(_form(a_pupil(ctx)))
    dlg = MoveDialog(ctx, c, State.CLOSED, page, today=TODAY)
    qtbot.addWidget(dlg)
    assert not dlg.save_button.isEnabled()                          # no reason chosen
    dlg.reason.setCurrentIndex(dlg.reason.findData("转学"))
    assert dlg.fields["close_school"].isEnabled() and not dlg.fields["approved_by"].isEnabled()
    assert "转入学校" in dlg.needs.text()
    assert not dlg.try_save()
    assert dlg.error_text("close_school") and dlg.error_text("close_evidence")
    dlg.fields["close_school"].setText("县城二小")
    dlg.fields["close_evidence"].setText("在读证明")
    assert dlg.try_save() and dlg.result_value.state == State.CLOSED


def _form(student_id):
    from db.dropout.dto import CaseForm
    return CaseForm(student_id=student_id, state=State.SUSPECTED, opened_on=TODAY,
                    last_at_school=TODAY - dt.timedelta(days=10))


def test_enter_opens_the_attempt_form(qtbot, page, ctx, monkeypatch):
    seen = []
    monkeypatch.setattr(AttemptDialog, "exec", lambda self: seen.append(self.case.id) or 0)
    page.view.setFocus()
    page.view.selectRow(0)
    wait_case(qtbot, page, page.rows[0].id)
    page.view.openRequested.emit()
    assert seen == [page.rows[0].id]


def test_printing_the_notice_and_the_report(qtbot, page, ctx):
    page.view.selectRow(0)
    wait_case(qtbot, page, page.rows[0].id)
    page.print_current("dropout-notice")
    qtbot.waitUntil(lambda: any(isinstance(w, PdfPreview) and w.isVisible() for w in QApplication.topLevelWidgets()),
                    timeout=30000)
    page.print_report("2020-10")
    qtbot.waitUntil(lambda: sum(isinstance(w, PdfPreview) and w.isVisible() for w in QApplication.topLevelWidgets()) == 2,
                    timeout=30000)
    for w in QApplication.topLevelWidgets():
        if isinstance(w, PdfPreview):
            w.close()


def test_a_child_on_the_county_list_gets_a_case_in_one_click(qtbot, empty_ctx, tmp_path, no_modal_boxes):
    from desktop.pages.exchange import ExchangePage
    build_roll(empty_ctx.database.session_factory)
    ex = ExchangePage(empty_ctx)
    qtbot.addWidget(ex)
    ten = make_id(dt.date(TODAY.year - 10, 1, 5), seq=3)              # school age whenever the test runs
    rows = [["序号", "姓名", "身份证号", "户主姓名", "乡镇", "村"], [1, "刘一", ten, "刘大", "阚疃镇", "后湖村"]]
    pushed = write_xlsx(tmp_path / "推送.xlsx", rows, title="建档立卡学龄人口名单")
    with qtbot.waitSignal(ex.recon.loaded, timeout=10000):
        ex.recon.start_import(str(pushed), TODAY, "建档立卡学龄人口")
    r = ex.recon
    r.select_row("not_at_school", 0)
    assert r.case_button.isEnabled() and "刘一" in r.who_label.text()
    with qtbot.waitSignal(ex.changed) as changed, qtbot.waitSignal(r.loaded, timeout=10000):
        r.case_button.click()
    assert "dropout" in changed.args[0].entities
    [case] = empty_ctx.dropout.cases()
    assert (case.name, case.state, case.source) == ("刘一", State.DROPPED, "推送名单")
    line = next(x for x in empty_ctx.reconcile.compare(None).not_at_school if x.name == "刘一")
    assert line.follow_up == "已辍学（转控辍保学）" and f"个案 {case.id}" in line.follow_up_note
    assert any("已为刘一建立控辍保学个案" in m for m in no_modal_boxes)


def test_the_family_page_shows_the_case(qtbot, ctx):
    row = ctx.dropout.cases()[0]
    fam = FamilyPage(ctx)
    qtbot.addWidget(fam)
    with qtbot.waitSignal(fam.recordLoaded, timeout=10000):
        fam.show_student(row.student_id)
    html = fam.browser.toPlainText()
    assert "控辍保学与省外就读" in html and row.state in html and "控辍保学个案" in html


def test_settings_and_deleting_a_case_opened_by_mistake(qtbot, page, ctx, monkeypatch):
    from desktop.dialogs.dropout_forms import DropoutSettingsDialog
    dlg = DropoutSettingsDialog(ctx, page)
    qtbot.addWidget(dlg)
    dlg.after.setValue(3)
    dlg.reasons.setPlainText("厌学\n外出务工\n\n其他")
    assert dlg.try_save()
    assert ctx.dropout.escalate_after() == 3 and ctx.dropout.reasons() == ["厌学", "外出务工", "其他"]
    sid = a_pupil(ctx)
    c = ctx.dropout.open_case(_form(sid))
    page.load(keep=c.id)
    wait_case(qtbot, page, c.id)
    assert page.delete_selected()                                  # the test's boxes answer Yes
    assert ctx.registry.get_student(sid).enrolment == "在校" and c.id not in {r.id for r in ctx.dropout.cases()}
