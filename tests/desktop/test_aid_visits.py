"""走访核实 page and the visit form on a real database: 是 verifies a payment, 未知 stays blank,
households not yet visited per officer, liaison officers added, assigned and deleted."""
from __future__ import annotations

import datetime as dt

import pytest

from db.aid.dto import LineQuery
from desktop.dialogs.visit_form import OfficerFormDialog, VisitFormDialog
from desktop.pages.aid_visits import HH_ROLE, VisitsPage

TODAY = dt.date(2020, 10, 10)


@pytest.fixture
def page(qtbot, paid_ctx):
    p = VisitsPage(paid_ctx, today=lambda: TODAY)
    qtbot.addWidget(p)
    p.changed.connect(p.on_changes)
    with qtbot.waitSignals([p.groupsLoaded, p.officersLoaded], timeout=20_000):
        p.start()
    return p


def first_household(page) -> tuple[int, object]:
    top = page.tree.topLevelItem(0)
    item = top.child(0)
    return item.data(0, HH_ROLE), item


def test_lists_households_not_visited_per_officer(page, paid_ctx):
    assert page.term().short == "2020秋"
    groups = paid_ctx.aid.households_not_visited("2020秋")
    assert page.tree.topLevelItemCount() == len(groups) > 0
    n = sum(len(g.households) for g in groups)
    assert f"{n:,} 户" in page.tree_label.text()
    assert page.tree.topLevelItem(0).text(0).startswith(groups[0].officer)


def test_visit_form_saving_yes_verifies_the_payment(qtbot, page, paid_ctx, monkeypatch):
    hid, item = first_household(page)
    page.tree.setCurrentItem(item)
    item.setSelected(True)
    seen = {}

    def fill(dlg: VisitFormDialog):
        assert dlg.household.value() == hid and dlg.payments
        seen["lines"] = [p.line_id for p in dlg.payments]
        dlg.set_received(0, "是")
        for r in range(1, len(dlg.payments)):
            dlg.set_received(r, None)          # unknown stays blank
        dlg.statement.setCurrentIndex(dlg.statement.findData("是"))
        dlg.told.setPlainText("宣传了资助政策")
        return dlg.try_save()
    monkeypatch.setattr(VisitFormDialog, "exec", fill)
    with qtbot.waitSignal(page.groupsLoaded, timeout=20_000):
        assert page.new_visit() is True
    lines = {r.id: r for r in paid_ctx.aid.lines("2020秋", LineQuery(), 0, 10_000)}
    first, *rest = seen["lines"]
    assert lines[first].status == "已核实"
    assert all(lines[i].status == "已发放" for i in rest)
    visits = paid_ctx.aid.visits(hid)
    assert len(visits) == 1 and visits[0].statement_filed is True and visits[0].told == "宣传了资助政策"
    assert dict(visits[0].received) == {first: "是", **{i: None for i in rest}}
    assert hid not in {h.id for g in page.groups for h in g.households}


def test_visit_form_refuses_a_future_date(qtbot, page, paid_ctx):
    hid, _item = first_household(page)
    dlg = VisitFormDialog(paid_ctx, hid, "2020秋", today=TODAY)
    qtbot.addWidget(dlg)
    from PySide6.QtCore import QDate
    dlg.date.setDate(QDate(2020, 12, 1))
    assert dlg.try_save() is False
    assert dlg.error_text("visit_date") == "走访日期不能晚于今天"
    assert paid_ctx.aid.visits(hid) == []


def test_officers_add_assign_delete(qtbot, page, paid_ctx, monkeypatch):
    def fill(dlg):
        dlg.phone.setText("13912345678")
        assert dlg.try_save() is False and dlg.error_text("name") == "请填写联络员姓名"
        dlg.name.setText("王老师")
        dlg.unit.setText("本校")
        return dlg.try_save()
    monkeypatch.setattr(OfficerFormDialog, "exec", fill)
    with qtbot.waitSignal(page.officersLoaded, timeout=10_000):
        assert page.edit_officer(new=True)
    row = next(i for i, o in enumerate(page.officer_rows) if o.name == "王老师")
    oid = page.officer_rows[row].id
    hid, item = first_household(page)
    item.setSelected(True)
    with qtbot.waitSignal(page.groupsLoaded, timeout=10_000):
        assert page.assign_selected(oid) == 1
    assert paid_ctx.registry.get_household(hid).liaison_officer_id == oid
    group = next(g for g in page.groups if g.officer_id == oid)
    assert [h.id for h in group.households] == [hid]
    page.officers.selectRow(row)
    with qtbot.waitSignal(page.officersLoaded, timeout=10_000):
        assert page.delete_officer()
    assert "王老师" not in {o.name for o in paid_ctx.aid.officers()}
    assert paid_ctx.registry.get_household(hid).liaison_officer_id is None


def test_starts_on_the_newest_term_with_payments(qtbot, paid_ctx):
    p = VisitsPage(paid_ctx, today=lambda: dt.date(2021, 3, 1))      # 2021春 has no batch yet
    qtbot.addWidget(p)
    with qtbot.waitSignal(p.groupsLoaded, timeout=20_000):
        p.start()
    assert p.term().short == "2020秋" and p.groups


def test_big_lists_fill_a_group_only_when_opened(qtbot, paid_ctx, monkeypatch):
    import desktop.pages.aid_visits as mod
    monkeypatch.setattr(mod, "EXPAND_ALL_UP_TO", 0)
    p = VisitsPage(paid_ctx, today=lambda: TODAY)
    qtbot.addWidget(p)
    with qtbot.waitSignal(p.groupsLoaded, timeout=20_000):
        p.start()
    assert p.tree.topLevelItemCount() > 1
    first, second = p.tree.topLevelItem(0), p.tree.topLevelItem(1)
    assert first.isExpanded() and first.childCount() == len(p.groups[0].households)
    assert not second.isExpanded() and second.childCount() == 0
    second.setExpanded(True)
    assert [second.child(i).data(0, HH_ROLE) for i in range(second.childCount())] == \
        [h.id for h in p.groups[1].households]


def test_aid_pages_are_in_the_navigation():
    from desktop.pages import PAGES
    from desktop.pages.aid import AidPage
    from desktop.pages.family import FamilyPage
    classes = [ref.load() for ref in PAGES]
    assert {AidPage, VisitsPage, FamilyPage} <= set(classes)
    assert classes.index(AidPage) < classes.index(VisitsPage) < classes.index(FamilyPage)
