"""Small charts drawn with QPainter (no chart library): grouped vertical bars and horizontal bars.
They take plain labels and integers and a formatter for the numbers; the numbers are always written
on the bars too, so nothing has to be read off an axis."""
from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

PALETTE = ("#2f6fb0", "#d9822b", "#3c9a5f", "#8e5ea2", "#c0504d", "#4bacc6")
TEXT, MUTED, GRID = QColor("#1f2d3d"), QColor("#6b7785"), QColor("#e3e8ee")
EMPTY = "暂无数据"


class _Chart(QWidget):
    def __init__(self, title: str, fmt: Callable[[int], str] = str, parent=None):
        super().__init__(parent)
        self.title, self.fmt = title, fmt
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(QSize(220, 150))

    def _title(self, p: QPainter) -> float:
        f = QFont(self.font())
        f.setBold(True)
        p.setFont(f)
        p.setPen(TEXT)
        h = QFontMetrics(f).height()
        p.drawText(QRectF(0, 0, self.width(), h + 4), Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                   self.title)
        p.setFont(self.font())
        return h + 8

    def _empty(self, p: QPainter, top: float) -> None:
        p.setPen(MUTED)
        p.drawText(QRectF(0, top, self.width(), self.height() - top), Qt.AlignmentFlag.AlignCenter, EMPTY)


class BarChart(_Chart):
    """Vertical bars, one group per category, one bar per series (e.g. 现金 and 减免 per term)."""

    def __init__(self, title: str, series: Sequence[str], fmt: Callable[[int], str] = str, parent=None):
        super().__init__(title, fmt, parent)
        self.series = list(series)
        self.categories: list[str] = []
        self.values: list[list[int]] = []

    def set_data(self, categories: Sequence[str], values: Sequence[Sequence[int]]) -> None:
        self.categories, self.values = list(categories), [list(v) for v in values]
        self.setToolTip("\n".join(f"{c}：" + "，".join(f"{s} {self.fmt(v)}" for s, v in zip(self.series, vs))
                                  for c, vs in zip(self.categories, self.values)))
        self.update()

    def paintEvent(self, _event) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        top = self._title(p)
        top += self._legend(p, top)
        peak = max((v for vs in self.values for v in vs), default=0)
        if not self.categories or peak <= 0:
            self._empty(p, top)
            return
        fm = QFontMetrics(self.font())
        label_h = fm.height() + 4
        area = QRectF(4, top + fm.height(), self.width() - 8, self.height() - top - fm.height() - label_h - 2)
        p.setPen(QPen(GRID, 1))
        p.drawLine(area.bottomLeft(), area.bottomRight())
        group_w = area.width() / len(self.categories)
        bar_w = min(44.0, group_w * 0.8 / max(len(self.series), 1))
        for i, (cat, vs) in enumerate(zip(self.categories, self.values)):
            x0 = area.left() + i * group_w + (group_w - bar_w * len(vs)) / 2
            for j, v in enumerate(vs):
                h = area.height() * v / peak
                bar = QRectF(x0 + j * bar_w, area.bottom() - h, bar_w - 3, h)
                p.fillRect(bar, QColor(PALETTE[j % len(PALETTE)]))
                if v:
                    p.setPen(TEXT)
                    p.drawText(QRectF(bar.left() - 30, bar.top() - fm.height() - 1, bar.width() + 60, fm.height()),
                               Qt.AlignmentFlag.AlignCenter, self.fmt(v))
            p.setPen(TEXT)
            p.drawText(QRectF(area.left() + i * group_w, area.bottom() + 2, group_w, label_h),
                       Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop,
                       fm.elidedText(cat, Qt.TextElideMode.ElideRight, int(group_w)))

    def _legend(self, p: QPainter, top: float) -> float:
        if len(self.series) < 2:
            return 0
        fm = QFontMetrics(self.font())
        x = 4.0
        for j, name in enumerate(self.series):
            p.fillRect(QRectF(x, top + 3, 12, fm.height() - 6), QColor(PALETTE[j % len(PALETTE)]))
            p.setPen(TEXT)
            w = fm.horizontalAdvance(name) + 8
            p.drawText(QRectF(x + 16, top, w, fm.height()), Qt.AlignmentFlag.AlignVCenter, name)
            x += 16 + w + 12
        return fm.height() + 4


class HBarChart(_Chart):
    """Horizontal bars, one per label (many labels, long names: 资助对象类别)."""

    def __init__(self, title: str, fmt: Callable[[int], str] = str, parent=None, *, color: str = PALETTE[0]):
        super().__init__(title, fmt, parent)
        self.color = QColor(color)
        self.items: list[tuple[str, int]] = []

    def set_data(self, items: Sequence[tuple[str, int]]) -> None:
        self.items = list(items)
        self.setToolTip("\n".join(f"{k}：{self.fmt(v)}" for k, v in self.items))
        self.update()

    def paintEvent(self, _event) -> None:
        p = QPainter(self)
        top = self._title(p)
        peak = max((v for _k, v in self.items), default=0)
        if peak <= 0:
            self._empty(p, top)
            return
        fm = QFontMetrics(self.font())
        label_w = min(max(fm.horizontalAdvance(k) for k, _v in self.items) + 8, self.width() * 9 // 20)
        value_w = max(fm.horizontalAdvance(self.fmt(v)) for _k, v in self.items) + 8
        row_h = min(float(fm.height() + 8), (self.height() - top) / len(self.items))
        bar_max = self.width() - label_w - value_w - 8
        for i, (k, v) in enumerate(self.items):
            y = top + i * row_h
            p.setPen(TEXT)
            p.drawText(QRectF(0, y, label_w - 6, row_h), Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                       fm.elidedText(k, Qt.TextElideMode.ElideRight, label_w - 6))
            w = bar_max * v / peak
            p.fillRect(QRectF(label_w, y + 3, max(w, 1.0), row_h - 6), self.color)
            p.drawText(QRectF(label_w + w + 4, y, value_w, row_h), Qt.AlignmentFlag.AlignVCenter, self.fmt(v))
