"""The four seed-ledger pages on the demonstration school (issue 17): pages that do not concern the
school are hidden until the setting says they do; each page lists, reports and saves through its form."""
from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from db.aid.dto import AidSettings
from db.assistance.dto import AssistanceForm
from db.changes import Changes
from db.employment.demo import fill_employment
from db.nutrition.demo import fill_nutrition
from db.survey.demo import fill_survey
from db.survey.dto import RoundForm
from desktop.dialogs.assistance_forms import AssistanceDialog
from desktop.dialogs.survey_forms import CheckDialog
from desktop.main_window import MainWindow
from desktop.pages.assistance import AssistancePage
from desktop.pages.employment import EmploymentPage
from desktop.pages.family import FamilyPage
from desktop.pages.nutrition import NutritionPage
from desktop.pages.survey import SurveyPage
from widgets.simple_table import ROW_ROLE

TODAY = dt.date(2020, 11, 20)


def hidden(win: MainWindow, cls) -> bool:
    return win.nav.item(win.index_of(cls)).isHidden()


def test_pages_that_do_not_concern_the_school_are_hidden_until_they_do(qtbot, ctx, settings):
    ctx.school.save(dataclasses.replace(ctx.school.get(), stages=["学前", "小学", "初中"]))   # no 中职 (the demo runs all)
    win = MainWindow(ctx, settings)
    qtbot.addWidget(win)
    assert hidden(win, NutritionPage) and hidden(win, EmploymentPage)
    assert not hidden(win, SurveyPage) and not hidden(win, AssistancePage)
    ctx.aid.save_aid_settings(AidSettings(nutrition_pilot=True, nutrition_county="利辛县"))
    win.broadcast(Changes(frozenset({"aid"})))
    assert not hidden(win, NutritionPage)
    info = ctx.school.get()
    ctx.school.save(dataclasses.replace(info, stages=[*info.stages, "中职"]))
    win.broadcast(Changes(frozenset({"school"})))
    assert not hidden(win, EmploymentPage)
    win.nav.setCurrentRow(win.index_of(NutritionPage))
    ctx.aid.save_aid_settings(AidSettings(nutrition_pilot=False))
    win.broadcast(Changes(frozenset({"aid"})))
    assert hidden(win, NutritionPage) and win.nav.currentRow() == 0      # never left on a hidden page


@pytest.fixture
def survey_page(qtbot, ctx):
    fill_survey(ctx.ctx)
    p = SurveyPage(ctx, today=lambda: TODAY)
    qtbot.addWidget(p)
    p.changed.connect(p.on_changes)
    with qtbot.waitSignal(p.loaded, timeout=20_000):
        p.start()
    return p


def test_survey_page_lists_failing_households_first_with_the_report(survey_page, ctx):
    rep = ctx.survey.report()
    assert f"待整改 {rep.failing} 户" in survey_page.summary.text()
    assert rep.fixes_text() in survey_page.summary.text()
    states = [survey_page.table.item(r, 7).text() for r in range(survey_page.table.rowCount())]
    assert states[:rep.failing] == ["待整改"] * rep.failing
    survey_page.status_combo.setCurrentIndex(survey_page.status_combo.findData("未排查"))
    assert survey_page.table.rowCount() == rep.not_surveyed


def test_the_check_form_keeps_unknown_blank_and_saves_a_fix(qtbot, survey_page, ctx, monkeypatch):
    row = ctx.survey.not_surveyed()[0]

    def fill(dlg: CheckDialog):
        assert dlg.date.value() == dt.date(2020, 3, 31)          # within the round, not today
        dlg.date.set_value(dt.date(2020, 2, 20))
        dlg.tri["has_tv"].setCurrentIndex(dlg.tri["has_tv"].findData(False))
        dlg.tri["has_phone"].setCurrentIndex(dlg.tri["has_phone"].findData(False))
        r = dlg.add_problem()
        dlg.probs.cellWidget(r, 2).setCurrentIndex(dlg.probs.cellWidget(r, 2).findData("电视机"))
        dlg.probs.cellWidget(r, 5).setText("县教育局")
        dlg.probs.cellWidget(r, 6).setText("2020-03-01")
        return dlg.try_save()
    monkeypatch.setattr(CheckDialog, "exec", fill)
    with qtbot.waitSignal(survey_page.loaded, timeout=20_000):
        assert survey_page.edit_check(row.household_id) is True
    form = ctx.survey.check_form(None, row.household_id)
    assert (form.has_tv, form.has_phone, form.has_computer) == (False, False, None)
    assert [(p.kind, p.fix, p.paid_by, p.solved_on) for p in form.problems] == [
        ("无终端", "电视机", "县教育局", dt.date(2020, 3, 1))]
    assert all(k.can_attend is None for k in form.children)
    assert next(r for r in ctx.survey.households() if r.household_id == row.household_id).status == "已整改"


def test_a_bad_solved_date_is_shown_and_nothing_saved(qtbot, ctx):
    ctx.survey.save_round(RoundForm(None, "一轮", dt.date(2020, 2, 17)))
    hid = ctx.survey.not_surveyed()[0].household_id
    dlg = CheckDialog(ctx, ctx.survey.rounds()[0].id, hid, today=TODAY)
    qtbot.addWidget(dlg)
    r = dlg.add_problem()
    dlg.probs.cellWidget(r, 6).setText("三月一日")
    assert dlg.try_save() is False
    assert "不是日期" in dlg.error_text("problems")
    assert ctx.survey.report().surveyed == 0


def test_nutrition_page_shows_the_months_and_the_list(qtbot, ctx):
    fill_nutrition(ctx.ctx)
    p = NutritionPage(ctx, today=lambda: TODAY)
    qtbot.addWidget(p)
    with qtbot.waitSignal(p.loaded, timeout=20_000):
        p.start()
    rep = ctx.nutrition.report("2020秋")
    assert p.months.rowCount() == len(rep.months) + 1
    assert p.pupils.rowCount() == rep.pupils
    assert "不发放现金" in p.summary.text()
    assert p.month_combo.count() == 5


def test_employment_page_rate_and_the_graduates_without_a_job(qtbot, ctx):
    fill_employment(ctx.ctx)
    p = EmploymentPage(ctx, today=lambda: TODAY)
    qtbot.addWidget(p)
    with qtbot.waitSignal(p.loaded, timeout=20_000):
        p.start()
    rep = ctx.employment.report()
    assert rep.rate_text in p.summary.text()
    assert p.table.rowCount() == rep.graduates


def test_assistance_form_and_the_family_page(qtbot, ctx, monkeypatch):
    p = AssistancePage(ctx, today=lambda: TODAY)
    qtbot.addWidget(p)
    p.changed.connect(p.on_changes)
    with qtbot.waitSignal(p.loaded, timeout=20_000):
        p.start()
    child = p.without.item(0, 0).data(ROW_ROLE)
    before = p.without.rowCount()

    def fill(dlg: AssistanceDialog):
        assert dlg.student.value() == child
        dlg.kind.setCurrentIndex(dlg.kind.findData("爱心助学"))
        dlg.who.setText("亳州市慈善总会")
        dlg.amount.setText("500")
        return dlg.try_save()
    monkeypatch.setattr(AssistanceDialog, "exec", fill)
    with qtbot.waitSignal(p.loaded, timeout=20_000):
        assert p.new_item(child) is True
    assert p.without.rowCount() == before - 1
    assert [r.amount_fen for r in ctx.assistance.items([child])] == [50000]
    fam = FamilyPage(ctx, today=lambda: TODAY)
    qtbot.addWidget(fam)
    with qtbot.waitSignal(fam.recordLoaded, timeout=20_000):
        fam.show_student(child)
    qtbot.waitUntil(lambda: "亳州市慈善总会" in fam.html(), timeout=5_000)
    assert "个性化帮扶" in fam.html()


def test_assistance_form_refuses_a_pairing_without_its_teacher(qtbot, ctx):
    sid = ctx.assistance.without_assistance(2020)[0].student_id
    dlg = AssistanceDialog(ctx, AssistanceForm(None, sid, "结对帮扶", TODAY, ""), today=TODAY)
    qtbot.addWidget(dlg)
    dlg.note.setText("x")
    assert dlg.try_save() is False
    assert "教师" in dlg.error_text("who")
