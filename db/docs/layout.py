"""Layout pieces written once: a text flowable that wraps Chinese and falls back to a second font for
rare characters, tables that split across pages with their header repeated (or that are cut into
pages with a subtotal row each), and fit-to-width column widths.

Sizes are the Chinese type sizes (字号) in points. `Kit` is what a document function receives: the
fonts, the frame's width and height, and helpers; documents never touch fonts or reportlab styles.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.lib import colors
from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import Flowable, Spacer, Table, TableStyle

from db.docs.fonts import BODY, FANG, TITLE, FontSet

# 字号 in points
ER_HAO, XIAO_ER, SAN_HAO, XIAO_SAN, SI_HAO, XIAO_SI, WU_HAO, XIAO_WU = 22, 18, 16, 15, 14, 12, 10.5, 9
LEFT, CENTER, RIGHT = "left", "center", "right"
GRID = colors.black
HEADER_BG = colors.Color(0.92, 0.92, 0.92)
NO_BREAK_START = set("，。、；：？！）》」』”’％,.;:?!)%")


class Text(Flowable):
    """Text in one face and size, wrapped to the width it is given (any CJK character may start a
    line; runs of Latin letters and digits stay together where they fit; closing punctuation never
    starts a line). `fit=True` shrinks it to one line instead (down to 6 pt), for fixed-height cells."""

    def __init__(self, fonts: FontSet, text: str, size: float = XIAO_SI, face: str = BODY, *,
                 align: str = LEFT, leading: float | None = None, fit: bool = False,
                 color=colors.black, space_before: float = 0, space_after: float = 0):
        super().__init__()
        self.fonts, self.text, self.size, self.face = fonts, str(text or ""), size, face
        self.align, self.fit, self.color = align, fit, color
        self.ratio = (leading or size * 1.35) / size
        self.spaceBefore, self.spaceAfter = space_before, space_after
        self._lines: list[list[tuple[str, str]]] = []
        self._width = 0.0

    @property
    def leading(self) -> float:
        return self.size * self.ratio

    def _run_widths(self, runs, size) -> list[float]:
        return [pdfmetrics.stringWidth(t, f, size) for f, t in runs]

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        if self._lines and avail_width == self._width:        # tables ask twice with the same width
            return avail_width, self.leading * max(1, len(self._lines))
        self._width = avail_width
        runs = self.fonts.runs(self.text, self.face)
        if self.fit:
            w = sum(self._run_widths(runs, self.size))
            if w > avail_width > 0:
                self.size = max(6.0, self.size * avail_width / w * 0.98)
            self._lines = [runs]
        else:
            self._lines = _break_lines(runs, self.size, avail_width)
        return avail_width, self.leading * max(1, len(self._lines))

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        self.wrap(avail_width, avail_height)
        n = int(avail_height // self.leading)
        if n <= 0 or n >= len(self._lines):
            return []
        head = "".join(t for line in self._lines[:n] for _f, t in line)
        first = Text(self.fonts, head, self.size, self.face, align=self.align, leading=self.leading)
        rest = Text(self.fonts, self.text[len(head):], self.size, self.face, align=self.align,
                    leading=self.leading)
        return [first, rest]

    def draw(self) -> None:
        c = self.canv
        c.setFillColor(self.color)
        y = self.leading * len(self._lines) - self.size * 1.05 - (self.leading - self.size) / 2
        for runs in self._lines:
            widths = self._run_widths(runs, self.size)
            x = {LEFT: 0.0, CENTER: (self._width - sum(widths)) / 2, RIGHT: self._width - sum(widths)}[self.align]
            for (font, t), w in zip(runs, widths):
                c.setFont(font, self.size)
                c.drawString(x, y, t)
                x += w
            y -= self.leading


def _break_lines(runs: list[tuple[str, str]], size: float, width: float) -> list[list[tuple[str, str]]]:
    """Greedy line breaking over (font, text) runs; explicit newlines break too."""
    lines: list[list[tuple[str, str]]] = [[]]
    used = 0.0
    if width <= 0:
        return [runs]
    for font, text in runs:
        for piece in _pieces(text):
            if piece == "\n":
                lines.append([])
                used = 0.0
                continue
            w = pdfmetrics.stringWidth(piece, font, size)
            if used + w > width and used > 0 and piece[0] not in NO_BREAK_START:
                lines.append([])
                used = 0.0
                piece = piece.lstrip(" ")
                w = pdfmetrics.stringWidth(piece, font, size)
            line = lines[-1]
            if line and line[-1][0] == font:
                line[-1] = (font, line[-1][1] + piece)
            else:
                line.append((font, piece))
            used += w
    return lines


def _pieces(text: str) -> list[str]:
    """Break points: every CJK character on its own, Latin words and numbers kept whole."""
    out: list[str] = []
    word = ""
    for ch in text:
        if ch.isascii() and ch not in " \n":
            word += ch
            continue
        if word:
            out.append(word)
            word = ""
        out.append(ch)
    if word:
        out.append(word)
    return out


@dataclass
class Column:
    header: str
    weight: float = 1.0          # share of the table's width
    align: str = LEFT
    min_chars: float = 0         # at least this many CJK characters wide at the cell size


class Kit:
    """What a document function gets: fonts, the frame's size, and helpers for text and tables."""

    def __init__(self, fonts: FontSet, width: float, height: float):
        self.fonts, self.width, self.height = fonts, width, height

    # ---- text -----------------------------------------------------------------------------------
    def text(self, text: str, size: float = XIAO_SI, face: str = BODY, **kw) -> Text:
        return Text(self.fonts, text, size, face, **kw)

    def title(self, text: str, size: float = XIAO_ER) -> Text:
        return Text(self.fonts, text, size, TITLE, align=CENTER, leading=size * 1.5, space_after=size * 0.4)

    def body(self, text: str, size: float = SI_HAO, **kw) -> Text:
        return Text(self.fonts, text, size, FANG, leading=size * 1.6, **kw)

    def gap(self, points: float) -> Spacer:
        return Spacer(1, points)

    def cell(self, value, size: float = WU_HAO, align: str = LEFT, face: str = BODY, fit: bool = False) -> Text:
        return Text(self.fonts, "" if value is None else str(value), size, face, align=align, fit=fit,
                    leading=size * 1.25)

    # ---- tables ---------------------------------------------------------------------------------
    def widths(self, columns: Sequence[Column], size: float = WU_HAO, width: float | None = None) -> list[float]:
        """Column widths that fill `width` by weight, each at least its min_chars; when the minimums
        do not fit, every column shrinks in proportion (fit to width)."""
        width = self.width if width is None else width
        mins = [c.min_chars * size + 6 for c in columns]
        total_w = sum(c.weight for c in columns) or 1
        ws = [width * c.weight / total_w for c in columns]
        short = [i for i, (w, m) in enumerate(zip(ws, mins)) if w < m]
        if short:
            fixed = sum(mins[i] for i in short)
            rest = [i for i in range(len(columns)) if i not in short]
            rest_w = sum(columns[i].weight for i in rest)
            if fixed >= width or not rest_w:
                return [width * m / sum(mins) for m in mins]
            for i in short:
                ws[i] = mins[i]
            for i in rest:
                ws[i] = (width - fixed) * columns[i].weight / rest_w
        return ws

    def table_style(self, header_rows: int = 1, *, grid: bool = True, padding: float = 3) -> list:
        style = [("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("FONTNAME", (0, 0), (-1, -1), self.fonts.font(BODY)),
                 ("LEFTPADDING", (0, 0), (-1, -1), padding), ("RIGHTPADDING", (0, 0), (-1, -1), padding),
                 ("TOPPADDING", (0, 0), (-1, -1), padding), ("BOTTOMPADDING", (0, 0), (-1, -1), padding)]
        if grid:
            style.append(("GRID", (0, 0), (-1, -1), 0.6, GRID))
        if header_rows:
            style.append(("BACKGROUND", (0, 0), (-1, header_rows - 1), HEADER_BG))
        return style

    def table(self, columns: Sequence[Column], rows: Sequence[Sequence], *, size: float = WU_HAO,
              width: float | None = None, extra_style: Sequence = (), row_heights=None,
              header: bool = True, title_cols: Sequence[int] = ()) -> Table:
        """A table that splits across pages with its header row repeated; long text wraps. A cell whose
        text fits on one line in the body font is handed to the table as a plain string (drawn by
        the table itself: much cheaper than a flowable); others become wrapping Text."""
        ws = self.widths(columns, size, width)
        data, style = [], [("FONTSIZE", (0, 0), (-1, -1), size), ("LEADING", (0, 0), (-1, -1), size * 1.25)]
        if header:
            data.append([self._plain_or_text(c.header, size, ws[i], CENTER, TITLE) for i, c in enumerate(columns)])
            style += [("FONTNAME", (0, 0), (-1, 0), self.fonts.font(TITLE)), ("ALIGN", (0, 0), (-1, 0), "CENTER")]
        for r in rows:
            data.append([v if isinstance(v, Flowable) else
                         self._plain_or_text(v, size, ws[i], c.align, TITLE if i in title_cols else BODY)
                         for i, (v, c) in enumerate(zip(r, columns))])
        for i in title_cols:
            style += [("FONTNAME", (i, 0), (i, -1), self.fonts.font(TITLE)), ("ALIGN", (i, 0), (i, -1), "CENTER")]
        for i, c in enumerate(columns):
            if c.align != LEFT:
                style.append(("ALIGN", (i, 1 if header else 0), (i, -1), c.align.upper()))
        t = Table(data, colWidths=ws, repeatRows=1 if header else 0, rowHeights=row_heights)
        t.setStyle(TableStyle([*self.table_style(1 if header else 0), *style, *extra_style]))
        return t

    def _plain_or_text(self, value, size: float, width: float, align: str, face: str):
        """A plain string when the face has every glyph and it fits on one line, else wrapping Text."""
        f = self.fonts.faces[face]
        t = "" if value is None else str(value)
        if "\n" not in t and all(ord(ch) in f.chars for ch in t) and \
                pdfmetrics.stringWidth(t, f.name, size) <= width - 6:
            return t
        return self.cell(t, size, align, face)

    def pairs(self, items: Sequence[tuple[str, str]], per_row: int = 2, *, size: float = WU_HAO,
              label_weight: float = 1.0, value_weight: float = 2.0) -> Table:
        """Label/value pairs in a grid, `per_row` pairs to a row (a form's head)."""
        cols = [Column("", label_weight) if i % 2 == 0 else Column("", value_weight) for i in range(per_row * 2)]
        rows = []
        for i in range(0, len(items), per_row):
            row: list = []
            for k, v in items[i:i + per_row]:
                row += [k, v or ""]
            row += [""] * (per_row * 2 - len(row))
            rows.append(row)
        shade = [("BACKGROUND", (c, 0), (c, -1), HEADER_BG) for c in range(0, per_row * 2, 2)]
        return self.table(cols, rows, size=size, header=False, extra_style=shade,
                          title_cols=range(0, per_row * 2, 2))
