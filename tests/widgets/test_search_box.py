from __future__ import annotations

from PySide6.QtCore import Qt

from widgets.search_box import SearchBox


def test_debounce_emits_once_after_typing_stops(qtbot):
    box = SearchBox("找", delay_ms=50)
    qtbot.addWidget(box)
    got = []
    box.search.connect(got.append)
    with qtbot.waitSignal(box.search, timeout=2000):
        qtbot.keyClicks(box, "zhang")
    assert got == ["zhang"]          # one emission for five keystrokes
    assert not box.is_pending()


def test_enter_searches_at_once_and_escape_clears(qtbot):
    box = SearchBox(delay_ms=10_000)
    qtbot.addWidget(box)
    got = []
    box.search.connect(got.append)
    qtbot.keyClicks(box, "341623")
    assert got == [] and box.is_pending()
    qtbot.keyClick(box, Qt.Key.Key_Return)
    assert got == ["341623"]
    qtbot.keyClick(box, Qt.Key.Key_Escape)
    assert box.text() == "" and got == ["341623", ""]


def test_chinese_text_via_set_text(qtbot):
    box = SearchBox(delay_ms=20)
    qtbot.addWidget(box)
    with qtbot.waitSignal(box.search, timeout=2000) as blocker:
        box.setText("张")
        box.textEdited.emit("张")
    assert blocker.args == ["张"]
