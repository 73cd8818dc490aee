from __future__ import annotations

from db.validators import id_check_char
from widgets.id_field import IdField, normalize_id_text

BODY = "34162320120305123"       # male (3 is odd), born 2012-03-05
VALID = BODY + id_check_char(BODY)


def test_normalises_full_width_lower_x_and_spaces():
    assert normalize_id_text(" ３４１６２３ 2012 0305 123x ") == "34162320120305123X"


def test_shows_birth_date_and_gender(qtbot):
    w = IdField()
    qtbot.addWidget(w)
    full_width = VALID.translate(str.maketrans("0123456789X", "０１２３４５６７８９ｘ"))
    w.setText(full_width)
    assert w.text() == VALID
    assert w.info is not None and w.info.birth_date.isoformat() == "2012-03-05"
    assert "2012-03-05" in w.note.text() and "男" in w.note.text()
    w.edit.editingFinished.emit()
    assert w.edit.text() == VALID          # shown normalised once the user leaves the field


def test_shows_the_validator_error(qtbot):
    w = IdField()
    qtbot.addWidget(w)
    wrong = BODY + ("0" if VALID[-1] != "0" else "1")
    w.setText(wrong)
    assert w.info is None
    assert "校验位" in w.error and w.note.text() == w.error


def test_counts_digits_while_typing(qtbot):
    w = IdField()
    qtbot.addWidget(w)
    qtbot.keyClicks(w.edit, "3416")
    assert "4 位" in w.note.text() and w.error == ""
    qtbot.keyClicks(w.edit, "ab-")              # no longer refused at the keyboard: the note says why
    assert "只能由数字组成" in w.error and w.info is None
