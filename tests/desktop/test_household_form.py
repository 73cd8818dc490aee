from __future__ import annotations

from db.registry.dto import StudentQuery
from desktop.dialogs.household_form import HouseholdFormDialog
from widgets.combos import set_combo


def test_shows_children_and_officers(qtbot, ctx):
    row = ctx.registry.page(StudentQuery(), 0, 1)[0]
    hid = ctx.registry.get_student(row.id).household_id
    dlg = HouseholdFormDialog(ctx, hid)
    qtbot.addWidget(dlg)
    kids = [dlg.children.item(i).text() for i in range(dlg.children.count())]
    assert any(row.name in k for k in kids)
    assert dlg.officer.count() == 1 + len(ctx.registry.list_officers()) > 1
    assert dlg.head_name.text() == row.head_name


def test_new_household_saved_with_officer(qtbot, ctx):
    dlg = HouseholdFormDialog(ctx)
    qtbot.addWidget(dlg)
    dlg.head_name.setText("赵大山")
    dlg.village.setText("前进村")
    set_combo(dlg.poverty_status, "脱贫户")
    assert dlg.exit_year.isEnabled()
    dlg.exit_year.setText("2019")
    dlg.officer.setCurrentIndex(1)
    assert dlg.try_save()
    saved = ctx.registry.get_household(dlg.result_value.id)
    assert saved.head_name == "赵大山" and saved.poverty_exit_year == 2019
    assert saved.liaison_officer_id == dlg.officer.itemData(1)


def test_errors_next_to_fields(qtbot, ctx):
    dlg = HouseholdFormDialog(ctx)
    qtbot.addWidget(dlg)
    dlg.head_name.setText("")
    dlg.head_id.setText("341623198001011234")
    dlg.phone.setText("123")
    dlg.village.setText("x")
    assert not dlg.try_save()
    assert dlg.error_text("head_name") and "户主" in dlg.error_text("head_id_number")
    assert dlg.error_text("phone")
