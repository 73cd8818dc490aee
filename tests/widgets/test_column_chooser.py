from __future__ import annotations

from PySide6.QtCore import QStringListModel, Qt
from PySide6.QtWidgets import QTableView

from widgets.column_chooser import ColumnChooser, apply_visibility, header_visibility


def test_chooser_reports_checked_columns_and_keeps_the_first(qtbot):
    dlg = ColumnChooser(["姓名", "性别", "身份证号"], [True, False, True])
    qtbot.addWidget(dlg)
    assert dlg.visible() == [True, False, True]
    dlg.list.item(2).setCheckState(Qt.CheckState.Unchecked)
    assert dlg.visible() == [True, False, False]
    assert not dlg.list.item(0).flags() & Qt.ItemFlag.ItemIsEnabled     # 姓名 cannot be hidden
    dlg.show_all()
    assert dlg.visible() == [True, True, True]


def test_apply_visibility_to_a_header(qtbot):
    view = QTableView()
    qtbot.addWidget(view)
    model = QStringListModel(["a", "b"])
    view.setModel(model)
    apply_visibility(view.horizontalHeader(), [False])
    assert header_visibility(view.horizontalHeader()) == [False]
