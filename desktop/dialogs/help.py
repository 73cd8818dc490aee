"""帮助: the Chinese user guide (resources/help/guide.html) inside the app, with its contents on the left.
F1 opens it at the current page's section (Page.help_anchor); one window, reused."""
from __future__ import annotations

import re

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QHBoxLayout, QListWidget, QListWidgetItem, QTextBrowser

from resources import resource_path

GUIDE = ("help", "guide.html")
_SECTION = re.compile(r'<a name="([a-z_]+)"></a>(?:<a name="[a-z_]+"></a>)*<h2>([^<]+)</h2>')


def guide_html() -> str:
    return resource_path(*GUIDE).read_text(encoding="utf-8")


def sections(html: str) -> list[tuple[str, str]]:
    """(anchor, title) of every section, in order."""
    return [(m.group(1), m.group(2)) for m in _SECTION.finditer(html)]


def anchors(html: str) -> set[str]:
    return set(re.findall(r'<a name="([a-z_]+)"></a>', html))


class HelpDialog(QDialog):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.setWindowTitle("助学台账 使用说明")
        self.setWindowFlag(Qt.WindowType.WindowContextHelpButtonHint, False)
        html = guide_html()
        self.known = anchors(html)
        self.contents = QListWidget()
        self.contents.setFixedWidth(190)
        for anchor, title in sections(html):
            item = QListWidgetItem(title)
            item.setData(Qt.ItemDataRole.UserRole, anchor)
            self.contents.addItem(item)
        self.contents.currentItemChanged.connect(
            lambda cur, _prev: self.show_topic(cur.data(Qt.ItemDataRole.UserRole)) if cur else None)
        self.browser = QTextBrowser()
        self.browser.setOpenExternalLinks(False)
        self.browser.setHtml(html)
        lay = QHBoxLayout(self)
        lay.addWidget(self.contents)
        lay.addWidget(self.browser, 1)
        self.resize(960, 620)
        self.topic = ""

    def show_topic(self, anchor: str) -> bool:
        """Scroll to a section; False (and the top of the guide) when there is none of that name."""
        if anchor not in self.known:
            self.topic = ""
            self.browser.moveCursor(self.browser.textCursor().MoveOperation.Start)
            self.browser.verticalScrollBar().setValue(0)
            return False
        self.topic = anchor
        self.browser.scrollToAnchor(anchor)
        for i in range(self.contents.count()):
            item = self.contents.item(i)
            if item.data(Qt.ItemDataRole.UserRole) == anchor and self.contents.currentItem() is not item:
                self.contents.blockSignals(True)
                self.contents.setCurrentItem(item)
                self.contents.blockSignals(False)
        return True
