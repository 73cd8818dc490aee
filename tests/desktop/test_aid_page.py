"""资助发放 page on a real database with 300 demonstration students: plan, adjust, pay, export,
deadlines, the standards and 未享受资助 dialogs, and the lines table model."""
from __future__ import annotations

import datetime as dt

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtWidgets import QFileDialog

from db.aid.dto import LineQuery
from db.money import format_yuan
from desktop.dialogs.aid_line import AdjustDialog, PayDialog, ReissueDialog, VoidDialog
from desktop.pages.aid import COLUMNS, AidPage
from desktop.pages.aid_common import LATE_COLOR, LinesModel

TODAY = dt.date(2020, 10, 10)        # 2020秋's deadline (09-25) has passed


def col(key: str) -> int:
    return [k for k, _ in COLUMNS].index(key)


@pytest.fixture
def page(qtbot, ctx):
    p = AidPage(ctx, today=lambda: TODAY)
    qtbot.addWidget(p)
    p.changed.connect(p.on_changes)          # what the main window does
    with qtbot.waitSignals([p.deadlinesLoaded, p.totalsLoaded, p.countLoaded], timeout=10_000):
        p.start()
    return p


def plan(qtbot, page):
    with qtbot.waitSignals([page.planned, page.totalsLoaded, page.countLoaded], timeout=30_000):
        page.plan_button.click()


@pytest.fixture
def planned(qtbot, page):
    plan(qtbot, page)
    return page


def select_row(page, row: int) -> None:
    page.view.selectionModel().select(page.model.index(row, 0),
                                      QItemSelectionModel.SelectionFlag.ClearAndSelect
                                      | QItemSelectionModel.SelectionFlag.Rows)


def test_starts_on_the_current_term_without_a_batch(page):
    assert page.term().short == "2020秋"
    assert page.model.rowCount() == 0 and page.total == 0
    assert "还没有发放名单" in page.totals_label.text()
    assert not page.pay_button.isEnabled() and not page.export_button.isEnabled()


def test_plan_fills_the_list_and_the_total_reconciles(planned, ctx):
    page = planned
    total = ctx.aid.batch_total("2020秋")
    n = ctx.aid.count_lines("2020秋")
    assert n > 0 and total > 0
    assert page.total == n
    assert f"现金合计 {format_yuan(total)} 元" in page.totals_label.text()
    assert page.summary.batch_total_fen == total
    first = page.model.row_at(0)
    assert page.model.data(page.model.index(0, col("amount"))) == format_yuan(first.amount_fen)
    assert page.model.data(page.model.index(0, col("status"))) in ("待发放", "减免")
    # every cash line's amount, as shown, adds up to the batch total; 减免 apart
    page.model.fetch_all()
    rows = [page.model.row_at(r) for r in range(page.model.rowCount())]
    assert sum(r.amount_fen for r in rows if r.status != "减免") == total
    waivers = [r for r in rows if r.status == "减免"]
    assert waivers and f"另有减免 {len(waivers)} 笔" in page.totals_label.text()
    # the banner (deadlines) and the footer (status totals) count the same unpaid lines
    due = next(r for r in page.deadlines.rows if r.term == "2020年秋季学期")
    pending = page.summary.status("待发放")
    assert (due.unpaid_lines, due.unpaid_fen) == (pending.lines, pending.amount_fen)
    assert f"未发放 {due.unpaid_lines:,} 笔" in page.deadlines.labels[0].text()
    assert f"待发放 {pending.lines:,} 笔" in page.totals_label.text()


def test_filters_and_search(qtbot, planned, ctx):
    page = planned
    prog = page.filters["programme"].itemData(1)
    with qtbot.waitSignal(page.countLoaded, timeout=10_000):
        page.set_filter("programme", prog)
    assert page.total == ctx.aid.count_lines("2020秋", LineQuery(programme=prog)) < ctx.aid.count_lines("2020秋")
    page.model.fetch_all()
    assert {page.model.row_at(r).programme for r in range(page.model.rowCount())} == {prog}
    name = page.model.row_at(0).name
    with qtbot.waitSignal(page.countLoaded, timeout=10_000):
        page.search.setText(name)
        page.search.flush()
    assert page.total >= 1 and all(name in page.model.row_at(r).name for r in range(page.model.rowCount()))
    assert "已筛选" in page.count_label.text()


def test_adjust_dialog_refuses_three_decimals_and_needs_a_reason(qtbot, planned, ctx):
    line = planned.model.row_at(0)
    dlg = AdjustDialog(ctx, line)
    qtbot.addWidget(dlg)
    dlg.amount.setText("1.005")               # setText bypasses the keyboard guard
    dlg.reason.setText("")
    assert dlg.try_save() is False
    assert dlg.error_text("amount") == "金额最多保留两位小数（精确到分）"
    assert dlg.error_text("reason") == "请填写调整原因"
    dlg.amount.set_value(line.amount_fen)
    dlg.reason.setText("核对")
    assert dlg.try_save() is False and dlg.error_text("amount") == "新金额与当前金额相同"
    assert ctx.aid.line_history(line.id) == []


def test_money_field_keyboard_stops_a_third_decimal_and_a_minus(qtbot, planned, ctx):
    dlg = AdjustDialog(ctx, planned.model.row_at(0))
    qtbot.addWidget(dlg)
    dlg.amount.clear()
    qtbot.keyClicks(dlg.amount, "-1.005")
    assert dlg.amount.text() == "1.00" and dlg.amount.value() == 100


def test_adjust_through_the_page_changes_the_total(qtbot, planned, ctx, monkeypatch):
    page = planned
    line = page.model.row_at(0)
    before = ctx.aid.batch_total("2020秋")

    def fill(dlg):
        dlg.amount.setText("100.50")
        dlg.reason.setText("在校天数不足")
        return dlg.try_save()
    monkeypatch.setattr(AdjustDialog, "exec", fill)
    select_row(page, 0)
    with qtbot.waitSignals([page.totalsLoaded, page.countLoaded], timeout=10_000):
        assert page.adjust_selected() is True
    after = ctx.aid.batch_total("2020秋")
    assert after == before - line.amount_fen + 10050
    assert f"现金合计 {format_yuan(after)} 元" in page.totals_label.text()
    hist = ctx.aid.line_history(line.id)
    assert [(h.old_fen, h.new_fen, h.reason) for h in hist] == [(line.amount_fen, 10050, "在校天数不足")]
    dlg = AdjustDialog(ctx, ctx.aid.lines("2020秋", LineQuery(only_adjusted=True))[0])
    qtbot.addWidget(dlg)
    assert dlg.history.item(0, 3).text() == "在校天数不足"
    assert dlg.history.item(0, 2).text() == "100.50"


def test_pay_all_then_void_and_reissue(qtbot, planned, ctx, monkeypatch, no_modal_boxes):
    page = planned
    monkeypatch.setattr(PayDialog, "exec", lambda self: 1)
    monkeypatch.setattr(PayDialog, "paid_on", lambda self: dt.date(2020, 9, 20))
    page.view.clearSelection()
    got = []
    page.paid.connect(got.append)
    with qtbot.waitSignals([page.paid, page.totalsLoaded, page.countLoaded], timeout=30_000):
        page.pay_button.click()
    result = got[0]
    assert result.paid > 0
    statuses = {r.status for r in ctx.aid.lines("2020秋", LineQuery(), 0, 10_000)}
    assert "已发放" in statuses
    assert {r.status for r in ctx.aid.lines("2020秋", LineQuery(status="待发放"), 0, 10_000)
            if r.card_no} == set()     # only lines without a card stay unpaid
    assert any("已标记" in s for s in no_modal_boxes)
    assert page.model.data(page.model.index(0, col("paid_on"))) in ("2020-09-20", "")

    # void a paid line, then re-issue it
    with qtbot.waitSignal(page.countLoaded, timeout=10_000):
        page.set_filter("status", "已发放")
    select_row(page, 0)
    line = page.model.row_at(0)
    monkeypatch.setattr(VoidDialog, "exec", lambda d: (d.reason.setText("银行卡号错误退回"), d.try_save())[1])
    with qtbot.waitSignal(page.countLoaded, timeout=10_000):
        assert page.void_selected()
    with qtbot.waitSignal(page.countLoaded, timeout=10_000):
        page.set_filter("status", "已作废")
    assert page.model.row_at(0).id == line.id and page.model.row_at(0).void_reason == "银行卡号错误退回"
    select_row(page, 0)
    assert page.reissue_button.isEnabled() and not page.adjust_button.isEnabled()
    monkeypatch.setattr(ReissueDialog, "exec", lambda d: d.try_save())
    with qtbot.waitSignal(page.countLoaded, timeout=10_000):
        assert page.reissue_selected()
    new = [r for r in ctx.aid.lines("2020秋", LineQuery(status="待发放"), 0, 10_000) if r.reissue_of_id == line.id]
    assert len(new) == 1 and new[0].amount_fen == line.amount_fen


def test_export_bank_list_writes_a_real_xlsx(qtbot, planned, ctx, tmp_path, monkeypatch):
    page = planned
    out = tmp_path / "银行发放表.xlsx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), ""))
    with qtbot.waitSignal(page.exported, timeout=30_000) as blocker:
        page.export_button.click()
    assert blocker.args[0] == str(out) and out.exists()
    wb = load_workbook(out, read_only=True)
    rows = list(wb.active.iter_rows(values_only=True))
    wb.close()
    assert rows[1][:3] == ("序号", "姓名", "身份证号")
    last = rows[-1]
    assert last[0] == "合计"
    assert round(last[6] * 100) == ctx.aid.batch_total("2020秋") == blocker.args[1]
    assert isinstance(rows[2][2], str) and len(rows[2][2]) == 18      # ID numbers stay text


def test_deadline_panel_shows_a_late_term_in_red(planned, ctx):
    page = planned
    rows = page.deadlines.rows
    late = [r for r in rows if r.state == "已逾期"]
    assert [r.term for r in late] == ["2020年秋季学期"]
    lab = page.deadlines.labels[0]
    text = lab.text()
    assert LATE_COLOR in text and "已逾期 15 天" in text
    total = ctx.aid.batch_total("2020秋")
    assert f"{format_yuan(total)} 元" in text
    assert f"{format_yuan(total)} 元未发放" in page.deadlines.more.text()


def test_deadline_panel_before_the_deadline_is_not_red(qtbot, ctx):
    ctx.aid.plan("2020秋")
    p = AidPage(ctx, today=lambda: dt.date(2020, 9, 1))
    qtbot.addWidget(p)
    with qtbot.waitSignal(p.deadlinesLoaded, timeout=10_000):
        p.load_deadlines()
    assert p.deadlines.rows[0].state == "待发放"
    assert LATE_COLOR not in p.deadlines.labels[0].text() and "还剩 24 天" in p.deadlines.labels[0].text()


def test_term_typed_as_long_label(qtbot, planned, no_modal_boxes):
    page = planned
    with qtbot.waitSignal(page.countLoaded, timeout=10_000):
        page.term_combo.setEditText("2021年春季学期")
        page.term_combo.lineEdit().editingFinished.emit()
    assert page.term().short == "2021春" and page.total == 0
    page.term_combo.setEditText("明年")
    page.term_combo.lineEdit().editingFinished.emit()
    assert page.term().short == "2021春"
    assert any("无法识别学期" in s for s in no_modal_boxes)


def test_standards_dialog_edits_a_standard(qtbot, ctx, monkeypatch):
    from desktop.dialogs.aid_standards import StandardFormDialog, StandardsDialog
    dlg = StandardsDialog(ctx)
    qtbot.addWidget(dlg)
    assert dlg.table.rowCount() == len(ctx.aid.list_standards()) > 5
    assert dlg.table.item(0, 9).text() == "默认值（可编辑）"
    dlg.table.selectRow(0)
    old = dlg.rows[0]

    def fill(form):
        form.yearly.setText("1.005")
        assert form.try_save() is False and "两位小数" in form.error_text("yearly_fen")
        form.yearly.setText("900")
        return form.try_save()
    monkeypatch.setattr(StandardFormDialog, "exec", fill)
    dlg.edit_selected()
    new = next(r for r in ctx.aid.list_standards() if r.id == old.id)
    assert new.yearly_fen == 90000 and new.version == old.version + 1 and not new.is_default
    assert dlg.changed_anything and dlg.table.item(0, 9).text() == "已修改"
    dlg.autumn.setText("13-01")
    assert dlg.save_deadlines() is False and dlg.deadline_error.text()
    dlg.autumn.setText("9-30")
    assert dlg.save_deadlines() and ctx.aid.deadlines()["秋"] == "09-30"


def test_missing_dialog_lists_students_without_aid(qtbot, ctx):
    from db.terms import parse_term
    from desktop.dialogs.aid_missing import MissingDialog
    dlg = MissingDialog(ctx, parse_term("2020秋"))
    qtbot.addWidget(dlg)
    with qtbot.waitSignal(dlg.loaded, timeout=20_000) as blocker:
        pass
    expected = ctx.aid.students_without_entitlement("2020秋")
    assert blocker.args[0] == len(expected) > 0
    dlg.model.fetch_all()
    assert dlg.model.rowCount() == len(expected)
    assert dlg.model.row_at(0).reason


def test_lines_model_passes_the_model_tester(qtmodeltester, planned):
    qtmodeltester.check(planned.model)
    m = planned.model
    assert isinstance(m, LinesModel)
    assert m.data(m.index(0, col("amount")), Qt.ItemDataRole.TextAlignmentRole) is not None
    tsv = m.to_tsv([0], [col("name"), col("amount")])
    assert tsv.splitlines()[1].endswith(format_yuan(m.row_at(0).amount_fen))


def test_empty_database_plans_an_empty_batch_and_refuses_to_export(qtbot, empty_ctx, no_modal_boxes, tmp_path,
                                                                    monkeypatch):
    p = AidPage(empty_ctx, today=lambda: TODAY)
    qtbot.addWidget(p)
    p.changed.connect(p.on_changes)
    with qtbot.waitSignals([p.deadlinesLoaded, p.totalsLoaded, p.countLoaded], timeout=10_000):
        p.start()
    plan(qtbot, p)
    assert p.total == 0 and "现金合计 0.00 元" in p.totals_label.text()
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(tmp_path / "x.xlsx"), ""))
    task = []
    monkeypatch.setattr(p.ctx.tasks, "run", lambda fn, **kw: task.append(kw) or kw["on_error"](
        _raises(fn)))
    p.export_bank()
    assert any("没有可导出的发放记录" in s for s in no_modal_boxes)
    assert not (tmp_path / "x.xlsx").exists()


def _raises(fn):
    try:
        fn(lambda *_a: None, lambda: False)
    except Exception as e:
        return e
    raise AssertionError("expected an error")


def test_standards_dialog_shows_scope_periods_and_the_school_settings(qtbot, ctx, monkeypatch):
    from desktop.dialogs.aid_standards import StandardFormDialog, StandardsDialog
    dlg = StandardsDialog(ctx)
    qtbot.addWidget(dlg)
    rows = {(r.programme, r.stage, r.from_term): i for i, r in enumerate(dlg.rows)}
    day = rows[("非寄宿生生活补助", "小学", "2019秋")]
    assert dlg.table.item(day, 2).text() == "2019秋 至 2023秋"
    assert dlg.table.item(day, 3).text() == "建档立卡学生，或非建档立卡困难学生中的残疾学生、农村低保、特困供养"
    board = rows[("寄宿生生活补助", "初中", "2011秋")]
    assert dlg.table.item(board, 3).text() == "认定的困难学生（含建档立卡）"
    assert dlg.table.item(rows[("中职免学费", "中职", "")], 8).text() == "减免（不发现金）"
    box = dlg.settings_box
    box.pilot.setChecked(True)
    assert box.save() is False and "试点县" in box.error.text()
    box.county.setText("利辛县")
    box.daily.setText("5")
    box.presumed.setCurrentIndex(box.presumed.findData(True))
    assert box.save() and dlg.changed_anything
    got = ctx.aid.aid_settings()
    assert (got.nutrition_pilot, got.nutrition_county, got.nutrition_daily_fen, got.presumed_special) == \
        (True, "利辛县", 500, True)
    dlg.table.selectRow(day)

    def only_registered(form):
        form.scope.set_value(["建档立卡学生"])
        return form.try_save()
    monkeypatch.setattr(StandardFormDialog, "exec", only_registered)
    dlg.edit_selected()
    assert dlg.table.item(day, 3).text() == "建档立卡学生"


def test_assessment_gaps_list_and_recording_a_level_from_it(qtbot, ctx, monkeypatch):
    """The officer sees who is still 未认定 / 认定信息不全 for the year and records the 认定 from the list."""
    import datetime as dt

    from db.registry.dto import StudentForm
    from desktop.dialogs.assessment_gaps import AssessmentGapsDialog
    from desktop.dialogs.assessments import AssessmentsDialog
    from widgets.combos import set_combo
    sid = ctx.registry.save_student(StudentForm(name="新来生", student_no="L201005030001234567", stage="初中",
                                                grade="八年级", categories=["农村低保"])).id
    dlg = AssessmentGapsDialog(ctx, 2020)
    qtbot.addWidget(dlg)
    with qtbot.waitSignal(dlg.loaded, timeout=20_000):
        pass
    gap = next(g for g in dlg.all if g.student_id == sid)
    assert gap.state == "认定信息不全" and "认定信息不全" in dlg.summary.text()
    dlg.state.setCurrentIndex(dlg.state.findData("认定信息不全"))
    row = next(i for i, g in enumerate(dlg.shown) if g.student_id == sid)
    dlg.view.selectRow(row)

    def record(history):
        assert history.year.value() == 2020
        set_combo(history.level, "困难")
        history.assessed_on.setText("2020-09-15")
        history.reason.setText("低保户，母亲残疾")
        return history.save()
    monkeypatch.setattr(AssessmentsDialog, "exec", record)
    with qtbot.waitSignal(dlg.loaded, timeout=20_000):
        assert dlg.open_selected()
    assert sid not in {g.student_id for g in dlg.all}
    assert ctx.registry.assessments(sid)[0].assessed_on == dt.date(2020, 9, 15)
    left = {n.student_id: n for n in ctx.aid.students_without_entitlement("2020秋")}[sid]
    assert left.kind == "信息不全" and "寄宿/走读" in left.reason      # assessed now; residence still missing
