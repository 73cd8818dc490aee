"""Thumbnails of documents (attachments): a grid of small pictures with a caption each, that takes files
dropped on it. It knows no database: it shows `ThumbItem`s and says which one was opened and which files
were dropped."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QIcon, QPixmap
from PySide6.QtWidgets import QAbstractItemView, QApplication, QListView, QListWidget, QListWidgetItem, QStyle

THUMB = 120
ID_ROLE = Qt.ItemDataRole.UserRole


@dataclass(frozen=True)
class ThumbItem:
    key: object                   # what `opened` gives back (an attachment id)
    caption: str                  # 残疾人证\n2019-06-01
    image: bytes | None = None    # a small JPEG/PNG; None: a document icon
    tooltip: str = ""


def local_files(mime) -> list[str]:
    """The local files of a drag (URLs that are files on this computer)."""
    if not mime.hasUrls():
        return []
    return [u.toLocalFile() for u in mime.urls() if u.isLocalFile() and Path(u.toLocalFile()).is_file()]


class ThumbList(QListWidget):
    opened = Signal(object)               # key of a double-clicked (or Enter) thumbnail
    filesDropped = Signal(list)           # local paths

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setViewMode(QListView.ViewMode.IconMode)
        self.setIconSize(QSize(THUMB, THUMB))
        self.setGridSize(QSize(THUMB + 36, THUMB + 48))
        self.setResizeMode(QListView.ResizeMode.Adjust)
        self.setMovement(QListView.Movement.Static)
        self.setWordWrap(True)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setAcceptDrops(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DropOnly)
        self.itemActivated.connect(lambda item: self.opened.emit(item.data(ID_ROLE)))

    def set_items(self, items: Sequence[ThumbItem]) -> None:
        self.clear()
        doc = QApplication.style().standardIcon(QStyle.StandardPixmap.SP_FileIcon)
        for it in items:
            icon = doc
            if it.image:
                pix = QPixmap()
                if pix.loadFromData(it.image):
                    icon = QIcon(pix)
            item = QListWidgetItem(icon, it.caption)
            item.setData(ID_ROLE, it.key)
            item.setToolTip(it.tooltip or it.caption)
            item.setTextAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
            self.addItem(item)

    def current_key(self):
        item = self.currentItem()
        return item.data(ID_ROLE) if item is not None else None

    # ---- files dropped from the desktop / explorer -----------------------------------------------------
    def dragEnterEvent(self, event) -> None:
        if local_files(event.mimeData()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event) -> None:
        if local_files(event.mimeData()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event) -> None:
        files = local_files(event.mimeData())
        if not files:
            event.ignore()
            return
        event.acceptProposedAction()
        self.filesDropped.emit(files)
