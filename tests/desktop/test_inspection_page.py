"""自查 on screen: the same gaps as `main.py check --json`, each opening where it is fixed, the leaving
record entered on the page itself."""
from __future__ import annotations

import dataclasses
import json

import pytest

from db import cli
from db.models.registry import Student
from desktop.dialogs.exit_form import ExitDialog
from desktop.main_window import MainWindow
from desktop.pages.inspection import InspectionPage, fix_link
from desktop.pages.students import StudentsPage
from tests.desktop.conftest import settle


@pytest.fixture
def window(qtbot, paid_ctx, settings):
    w = MainWindow(paid_ctx, settings)
    qtbot.addWidget(w)
    w.resize(1366, 768)
    w.show()
    w.start()
    yield w
    settle(paid_ctx)


def open_page(qtbot, window) -> InspectionPage:
    page = window.page_of(InspectionPage)
    with qtbot.waitSignal(page.checked, timeout=60_000):
        window.nav.setCurrentRow(window.index_of(InspectionPage))
    return page


def test_the_page_shows_the_same_gaps_as_main_check_json(qtbot, window, paid_ctx, capsys):
    page = open_page(qtbot, window)
    term = page.term_combo.term().short
    code = cli.run(["check", "--term", term, "--json", "--db", str(paid_ctx.database.path)])
    out = json.loads(capsys.readouterr().out)
    shown = [dataclasses.asdict(g) for g in page.shown_gaps()]
    assert code == (1 if shown else 0)
    assert shown == out["gaps"] and len(shown) > 0
    assert f"未落实 <b>{out['missed']}</b> 人" in page.summary.text()
    page.rule_combo.setCurrentIndex(page.rule_combo.findData("对象无遗漏"))
    assert {g.rule for g in page.shown_gaps()} == {"对象无遗漏"}


def test_a_student_who_left_is_recorded_on_the_page(qtbot, window, paid_ctx, sf, monkeypatch):
    with sf.begin() as s:
        st = s.get(Student, 1)
        st.enrolment, name = "转出", st.name
    page = open_page(qtbot, window)
    row = next(i for i, g in enumerate(page.shown_gaps()) if g.student_id == 1 and g.kind == "离校信息不全")
    seen = []

    def fake_exec(dlg):
        seen.append(dlg)
        dlg.reason.setText("随父母迁居")
        dlg.to_school.setText("合肥市某小学")
        return dlg.try_save()
    monkeypatch.setattr(ExitDialog, "exec", fake_exec)
    page.view.selectRow(row)
    with qtbot.waitSignal(page.checked, timeout=60_000):
        page.fix_selected()
    assert seen and name in seen[0].windowTitle()
    assert all(g.student_id != 1 for g in page.shown_gaps() if g.rule == "对象无遗漏")


def test_a_gap_opens_the_page_that_fixes_it(qtbot, window, monkeypatch):
    page = open_page(qtbot, window)
    target = next(g for g in page.shown_gaps() if g.student_id and fix_link(g, "2020秋", 2020).page == "students"
                  and "assess" not in dict(fix_link(g, "2020秋", 2020).args))
    opened = []
    monkeypatch.setattr(StudentsPage, "_open_student", lambda self, sid: opened.append(sid))
    page.view.selectRow(page.shown_gaps().index(target))
    page.fix_selected()
    assert isinstance(window.current_page(), StudentsPage) and opened == [target.student_id]


def test_where_each_kind_of_gap_is_fixed():
    from db.office.dto import Gap
    g = Gap("对象无遗漏", "未认定", "s:1", "甲", "", "", "…", 1)
    assert fix_link(g, "2020秋", 2020).args == (("assess", "2020"), ("state", "未认定"))
    assert fix_link(dataclasses.replace(g, kind="省外未发函"), "2020秋", 2020).args == (("tab", "due"),)
    assert fix_link(dataclasses.replace(g, rule="走访核实", kind="已发放未走访"), "2020秋", 2020).page == "visits"
    assert fix_link(dataclasses.replace(g, rule="银行卡", student_id=None), "2020秋", 2020) is None
