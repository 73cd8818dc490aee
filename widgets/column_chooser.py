"""Pick which columns a table shows."""
from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
)


class ColumnChooser(QDialog):
    def __init__(self, headers: Sequence[str], visible: Sequence[bool], parent=None,
                 *, required: Sequence[int] = (0,)):
        super().__init__(parent)
        self.setWindowTitle("列设置")
        self.list = QListWidget(self)
        for i, (h, v) in enumerate(zip(headers, visible)):
            item = QListWidgetItem(h)
            flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable
            if i in required:
                flags = Qt.ItemFlag.ItemIsUserCheckable   # shown, cannot be hidden
                v = True
            item.setFlags(flags)
            item.setCheckState(Qt.CheckState.Checked if v else Qt.CheckState.Unchecked)
            self.list.addItem(item)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        all_btn = QPushButton("全部显示")
        buttons.addButton(all_btn, QDialogButtonBox.ButtonRole.ResetRole)
        all_btn.clicked.connect(self.show_all)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addWidget(QLabel("勾选要在列表中显示的列："))
        lay.addWidget(self.list)
        lay.addWidget(buttons)
        self.resize(280, 460)

    def show_all(self) -> None:
        for i in range(self.list.count()):
            self.list.item(i).setCheckState(Qt.CheckState.Checked)

    def visible(self) -> list[bool]:
        return [self.list.item(i).checkState() == Qt.CheckState.Checked for i in range(self.list.count())]


def header_visibility(header: QHeaderView) -> list[bool]:
    return [not header.isSectionHidden(i) for i in range(header.count())]


def apply_visibility(header: QHeaderView, visible: Sequence[bool]) -> None:
    for i, v in enumerate(visible):
        if i < header.count():
            header.setSectionHidden(i, not v)


def choose_columns(header: QHeaderView, headers: Sequence[str], parent=None) -> bool:
    """Show the chooser for `header`; apply and return True when the user pressed OK."""
    dlg = ColumnChooser(headers, header_visibility(header), parent)
    if dlg.exec() != QDialog.DialogCode.Accepted:
        return False
    apply_visibility(header, dlg.visible())
    return True
