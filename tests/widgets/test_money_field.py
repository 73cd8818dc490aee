from __future__ import annotations

import pytest
from PySide6.QtGui import QValidator

from widgets.money_field import MoneyField


def test_yuan_text_to_fen(qtbot):
    f = MoneyField()
    qtbot.addWidget(f)
    f.setText("312.5")
    assert f.value() == 31250 and f.error() == ""
    f.editingFinished.emit()
    assert f.text() == "312.50"
    f.setText("")
    assert f.value() is None


def test_refuses_negative_and_third_decimal(qtbot):
    f = MoneyField()
    qtbot.addWidget(f)
    v = f.validator()
    assert v.validate("-5", 2)[0] == QValidator.State.Invalid
    assert v.validate("1.234", 5)[0] == QValidator.State.Invalid
    assert v.validate("1,250.5", 7)[0] == QValidator.State.Acceptable
    with pytest.raises(ValueError):
        f.set_value(-1)
    f.set_value(125000)
    assert f.text() == "1250.00" and f.value() == 125000
