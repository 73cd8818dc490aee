"""A row (or grid) of check boxes for a multi-choice field: categories, stages."""
from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QGridLayout, QWidget


class CheckGroup(QWidget):
    changed = Signal()

    def __init__(self, options: Sequence[str], parent=None, *, columns: int = 6):
        super().__init__(parent)
        self.boxes: dict[str, QCheckBox] = {}
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(12)
        grid.setVerticalSpacing(2)
        for i, opt in enumerate(options):
            box = QCheckBox(opt, self)
            box.toggled.connect(lambda _c: self.changed.emit())
            grid.addWidget(box, i // columns, i % columns)
            self.boxes[opt] = box
        if self.boxes:
            self.setFocusProxy(next(iter(self.boxes.values())))

    def value(self) -> list[str]:
        return [opt for opt, box in self.boxes.items() if box.isChecked()]

    def set_value(self, chosen: Sequence[str]) -> None:
        wanted = set(chosen)
        for opt, box in self.boxes.items():
            box.setChecked(opt in wanted)

    def widgets(self) -> list[QCheckBox]:
        return list(self.boxes.values())
