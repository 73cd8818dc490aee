"""Pieces of a Chinese form that every ledger's documents share: the date line, the seal area with the
school's name (落款), signature lines with fingerprint boxes, and a line to fill in by hand."""
from __future__ import annotations

import datetime as dt

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Flowable

from db.docs.fonts import BODY, FontSet
from db.docs.layout import SI_HAO, XIAO_SI, Kit

GREY = colors.Color(0.55, 0.55, 0.55)
BLANK_DATE = "　　　年　　月　　日"


def date_text(day: dt.date | None) -> str:
    """2020年9月20日, or a blank date line to fill in by hand."""
    return f"{day.year}年{day.month}月{day.day}日" if day else BLANK_DATE


def _draw(canv, fonts: FontSet, x: float, y: float, text: str, size: float, face: str = BODY,
          align: str = "left") -> float:
    """Draw text with font fallback; returns its width."""
    from reportlab.pdfbase.pdfmetrics import stringWidth  # noqa: PLC0415 - start-up: loaded only when used
    runs = fonts.runs(text, face)
    width = sum(stringWidth(t, f, size) for f, t in runs)
    if align == "center":
        x -= width / 2
    elif align == "right":
        x -= width
    for f, t in runs:
        canv.setFont(f, size)
        canv.drawString(x, y, t)
        x += stringWidth(t, f, size)
    return width


class SealBlock(Flowable):
    """落款: the school's name and the date on the right, over a dashed circle marking where the seal
    goes (盖章处)."""

    def __init__(self, kit: Kit, school: str, day: dt.date | None = None, *, label: str = "（盖章）",
                 size: float = SI_HAO, width: float = 75 * mm):
        super().__init__()
        self.kit, self.school, self.day, self.label, self.size, self.w = kit, school, day, label, size, width
        self.height = 32 * mm

    def wrap(self, avail_width: float, avail_height: float):
        self.avail = avail_width
        return avail_width, self.height

    def draw(self) -> None:
        c, fonts = self.canv, self.kit.fonts
        cx = self.avail - self.w / 2
        c.saveState()
        c.setStrokeColor(GREY)
        c.setDash(3, 2)
        c.circle(cx, self.height / 2, 16 * mm)
        c.setFillColor(GREY)
        _draw(c, fonts, cx, 4 * mm, self.label, 9, align="center")
        c.restoreState()
        _draw(c, fonts, cx, self.height / 2 + 4 * mm, self.school or "（学校名称）", self.size, align="center")
        _draw(c, fonts, cx, self.height / 2 - 5 * mm, date_text(self.day), self.size, align="center")


class SignRow(Flowable):
    """One line of signatures: for each (label, fingerprint?) a label with a line to sign on and, where
    asked, a square fingerprint box (手印); then a date line when `dated`."""

    def __init__(self, kit: Kit, signers: list[tuple[str, bool]], *, dated: bool = True, size: float = XIAO_SI):
        super().__init__()
        self.kit, self.signers, self.dated, self.size = kit, signers, dated, size
        self.box = 16 * mm
        self.height = self.box + 4 * mm

    def _layout(self) -> tuple[list[float], float, float, bool]:
        """(each signer's slot width, the date's width, the line length, date on its own line?)"""
        from reportlab.pdfbase.pdfmetrics import stringWidth  # noqa: PLC0415 - start-up: loaded only when used
        font = self.kit.fonts.font(BODY)
        fixed = [stringWidth(f"{label}：", font, self.size) + (self.box + 3 * mm if finger else 0)
                 for label, finger in self.signers]
        date_w = stringWidth("日期：" + BLANK_DATE, font, self.size) + 4 * mm if self.dated else 0
        n = max(1, len(fixed))
        line = min(40 * mm, max(12 * mm, (self.avail - sum(fixed) - date_w) / n))
        below = sum(fixed) + n * line + date_w > self.avail
        if below:
            line = min(40 * mm, max(12 * mm, (self.avail - sum(fixed)) / n))
        return [f + line for f in fixed], date_w, line, below

    def wrap(self, avail_width: float, avail_height: float):
        self.avail = avail_width
        below = self._layout()[3]
        self.height = self.box + 4 * mm + (8 * mm if below else 0)
        return avail_width, self.height

    def draw(self) -> None:
        c, fonts = self.canv, self.kit.fonts
        slots, date_w, line, below = self._layout()
        spare = (self.avail - sum(slots) - (0 if below else date_w)) / max(1, len(slots))
        base, x = 3 * mm + (8 * mm if below else 0), 0.0
        for (label, finger), slot in zip(self.signers, slots):
            w = _draw(c, fonts, x, base, f"{label}：", self.size)
            c.setLineWidth(0.6)
            c.line(x + w, base - 1.5, x + w + line + spare - 2 * mm, base - 1.5)
            if finger:
                bx = x + w + line + spare
                c.rect(bx, base - 3 * mm, self.box, self.box)
                c.saveState()
                c.setFillColor(GREY)
                _draw(c, fonts, bx + self.box / 2, base - 3 * mm + self.box + 1 * mm, "手印", 8, align="center")
                c.restoreState()
            x += slot + spare
        if self.dated:
            _draw(c, fonts, self.avail - date_w + 4 * mm, 1 * mm if below else base, "日期：" + BLANK_DATE, self.size)


class FillLine(Flowable):
    """A label followed by a line to write on, as wide as the frame (or `width`)."""

    def __init__(self, kit: Kit, label: str, text: str = "", *, size: float = XIAO_SI, lines: int = 1):
        super().__init__()
        self.kit, self.label, self.text, self.size, self.lines = kit, label, text, size, lines
        self.gap = size * 2.0

    def wrap(self, avail_width: float, avail_height: float):
        self.avail = avail_width
        return avail_width, self.gap * self.lines

    def draw(self) -> None:
        c, fonts = self.canv, self.kit.fonts
        top = self.gap * self.lines
        w = _draw(c, fonts, 0, top - self.gap + 4, f"{self.label}：", self.size)
        if self.text:
            _draw(c, fonts, w + 2, top - self.gap + 4, self.text, self.size)
        c.setLineWidth(0.5)
        for i in range(self.lines):
            y = top - self.gap * (i + 1) + 2
            c.line(w if i == 0 else 0, y, self.avail, y)


class CutLine(Flowable):
    """A dashed line across the frame with a note in the middle (沿此线剪下), above a tear-off receipt."""

    def __init__(self, kit: Kit, text: str = "沿此线剪下", *, size: float = 9):
        super().__init__()
        self.kit, self.text, self.size = kit, text, size
        self.height = 8 * mm

    def wrap(self, avail_width: float, avail_height: float):
        self.avail = avail_width
        return avail_width, self.height

    def draw(self) -> None:
        from reportlab.pdfbase.pdfmetrics import stringWidth  # noqa: PLC0415 - start-up: loaded only when used
        c, y = self.canv, self.height / 2
        w = sum(stringWidth(t, f, self.size) for f, t in self.kit.fonts.runs(self.text)) + 6 * mm
        c.saveState()
        c.setStrokeColor(GREY)
        c.setDash(4, 3)
        c.setLineWidth(0.6)
        c.line(0, y, (self.avail - w) / 2, y)
        c.line((self.avail + w) / 2, y, self.avail, y)
        c.setFillColor(GREY)
        _draw(c, self.kit.fonts, self.avail / 2, y - self.size / 3, self.text, self.size, align="center")
        c.restoreState()
