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
_WRAPPED: dict[tuple, tuple[list, float]] = {}     # Text.wrap results by (fonts, text, face, size, width, fit)


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
        key = (id(self.fonts), self.text, self.face, self.size, avail_width, self.fit)
        known = _WRAPPED.get(key)           # the same sentence on 1,000 family cards is broken once
        if known is not None:
            self._lines, self.size = known
            return avail_width, self.leading * max(1, len(self._lines))
        self._wrap_new(avail_width)
        main = self.fonts.font(self.face)
        if all(f == main for line in self._lines for f, _t in line):   # no fallback glyph to report again
            if len(_WRAPPED) > 5000:
                _WRAPPED.clear()
            _WRAPPED[key] = (self._lines, self.size)
        return avail_width, self.leading * max(1, len(self._lines))

    def _wrap_new(self, avail_width: float) -> None:
        runs = self.fonts.runs(self.text, self.face)
        if self.fit:
            w = sum(self._run_widths(runs, self.size))
            if w > avail_width > 0:
                self.size = max(6.0, self.size * avail_width / w * 0.98)
            self._lines = [runs]
        else:
            self._lines = _break_lines(runs, self.size, avail_width)

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


class Grid(Flowable):
    """A table of text cells drawn straight on the canvas: what most tables of a form are (a family
    card's payments, a signature sheet's rows). Looks like the platypus table Kit.table would make, at a
    fraction of its cost; splits across pages between rows with its header repeated. Each cell is a list
    of lines, each line a list of (font, text) runs (a rare character's fallback font is a run of its
    own); `spans` maps a row index to the number of columns its first cell covers."""

    def __init__(self, widths: Sequence[float], rows: Sequence[Sequence[list]], aligns: Sequence[str],
                 size: float, *, header_rows: int = 0, shade_cols: Sequence[int] = (),
                 spans: dict[int, int] | None = None, padding: float = 3):
        super().__init__()
        self.widths, self.rows, self.aligns, self.size = list(widths), list(rows), list(aligns), size
        self.header_rows, self.shade_cols, self.spans = header_rows, tuple(shade_cols), dict(spans or {})
        self.padding, self.leading = padding, size * 1.25
        self.heights = [max(1, *(len(cell) for cell in row)) * self.leading + 2 * padding for row in self.rows]
        self.width = sum(self.widths)

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return self.width, sum(self.heights)

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        used, fit = 0.0, 0
        for h in self.heights:
            if used + h > avail_height:
                break
            used, fit = used + h, fit + 1
        if fit <= self.header_rows or fit >= len(self.rows):
            return []
        head = self.rows[:self.header_rows]
        first_spans = {r: n for r, n in self.spans.items() if r < fit}
        rest_spans = {r - fit + self.header_rows: n for r, n in self.spans.items() if r >= fit}
        rest_spans.update({r: n for r, n in self.spans.items() if r < self.header_rows})
        kw = dict(header_rows=self.header_rows, shade_cols=self.shade_cols, padding=self.padding)
        return [Grid(self.widths, self.rows[:fit], self.aligns, self.size, spans=first_spans, **kw),
                Grid(self.widths, head + self.rows[fit:], self.aligns, self.size, spans=rest_spans, **kw)]

    def draw(self) -> None:
        xs = [0.0]
        for w in self.widths:
            xs.append(xs[-1] + w)
        tops = [sum(self.heights)]
        for h in self.heights:
            tops.append(tops[-1] - h)          # tops[r] is the top of row r, tops[-1] == 0
        self.canv.saveState()
        self._shade(xs, tops)
        for r, row in enumerate(self.rows):
            self._row_text(r, row, xs, tops[r])
        self._lines(xs, tops)
        self.canv.restoreState()

    def _shade(self, xs: list[float], tops: list[float]) -> None:
        c = self.canv
        c.setFillColor(HEADER_BG)
        if self.header_rows:
            bottom = tops[self.header_rows]
            c.rect(0, bottom, self.width, tops[0] - bottom, stroke=0, fill=1)
        for col in self.shade_cols:
            c.rect(xs[col], 0, self.widths[col], tops[0], stroke=0, fill=1)
        c.setFillColor(colors.black)

    def _row_text(self, r: int, row, xs: list[float], top: float) -> None:
        span = self.spans.get(r, 1)
        for col, lines in enumerate(row):
            if not lines or 0 < col < span:
                continue
            left, right = xs[col], xs[col + (span if col == 0 else 1)]
            align = CENTER if r < self.header_rows else self.aligns[col]
            # every cell starts at the row's top line, so a wrapped cell reads on with its row's other cells
            y = top - self.padding - self.leading + (self.leading - self.size) / 2 + self.size * 0.16
            for runs in lines:
                self._line(runs, left, right, y, align)
                y -= self.leading

    def _line(self, runs, left: float, right: float, y: float, align: str) -> None:
        c, size, pad = self.canv, self.size, self.padding
        if len(runs) == 1:
            font, text = runs[0]
            c.setFont(font, size)
            if align == RIGHT:
                c.drawRightString(right - pad, y, text)
            elif align == CENTER:
                c.drawCentredString((left + right) / 2, y, text)
            else:
                c.drawString(left + pad, y, text)
            return
        widths = [pdfmetrics.stringWidth(text, font, size) for font, text in runs]
        x = {LEFT: left + pad, CENTER: (left + right - sum(widths)) / 2, RIGHT: right - pad - sum(widths)}[align]
        for (font, text), w in zip(runs, widths):
            c.setFont(font, size)
            c.drawString(x, y, text)
            x += w

    def _lines(self, xs: list[float], tops: list[float]) -> None:
        c, n = self.canv, len(self.rows)
        c.setStrokeColor(GRID)
        c.setLineWidth(0.6)
        for y in tops:
            c.line(0, y, self.width, y)
        widest = max(self.spans.values(), default=1)
        for col, x in enumerate(xs):
            if 0 < col < widest:               # inside a spanned cell there is no line
                for r in range(n):
                    if self.spans.get(r, 1) <= col:
                        c.line(x, tops[r + 1], x, tops[r])
            else:
                c.line(x, 0, x, tops[0])


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
              header: bool = True, title_cols: Sequence[int] = ()) -> Table | Grid:
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
        grid = self._grid(columns, data, ws, size, header, title_cols, extra_style, row_heights)
        if grid is not None:
            return grid
        t = Table(data, colWidths=ws, repeatRows=1 if header else 0, rowHeights=row_heights)
        t.setStyle(TableStyle([*self.table_style(1 if header else 0), *style, *extra_style]))
        return t

    def _grid(self, columns, data, ws, size, header, title_cols, extra_style, row_heights) -> Grid | None:
        """The same table as a Grid when every cell is text (a cell handed in as a flowable needs the
        platypus table) and the style asks for nothing a Grid does not draw (shaded title columns, a row
        whose first cell spans columns)."""
        if row_heights is not None or any(isinstance(v, Flowable) and not isinstance(v, Text)
                                          for row in data for v in row):
            return None
        spans, shade = {}, set(title_cols)
        n = len(data)
        for entry in extra_style:
            kind, (c0, r0), (c1, r1) = entry[:3]
            r0, r1 = r0 % n, r1 % n
            if kind == "SPAN" and c0 == 0 and r0 == r1:
                spans[r0] = c1 % len(columns) + 1
            elif kind == "BACKGROUND" and c0 == c1 and (r0, r1) == (0, n - 1) and entry[3] == HEADER_BG:
                shade.add(c0)
            else:
                return None
        rows = []
        for r, row in enumerate(data):
            cells = []
            for i, v in enumerate(row):
                face = TITLE if (header and r == 0) or i in title_cols else BODY
                text = v.text if isinstance(v, Text) else ("" if v is None else str(v))
                width = sum(ws[i:i + spans.get(r, 1)]) if i == 0 else ws[i]
                cells.append(self._cell_lines(text, face, size, width - 6))
            rows.append(cells)
        aligns = [CENTER if i in title_cols else c.align for i, c in enumerate(columns)]
        return Grid(ws, rows, aligns, size, header_rows=1 if header else 0, shade_cols=sorted(shade), spans=spans)

    def _cell_lines(self, text: str, face: str, size: float, width: float) -> list:
        if not text:
            return []
        key = (id(self.fonts), text, face, size, width, "cell")
        known = _WRAPPED.get(key)
        if known is not None:
            return known[0]
        lines = _break_lines(self.fonts.runs(text, face), size, width)
        if all(f == self.fonts.font(face) for line in lines for f, _t in line):
            _WRAPPED[key] = (lines, size)
        return lines

    def _plain_or_text(self, value, size: float, width: float, align: str, face: str):
        """A plain string when the face has every glyph and it fits on one line, else wrapping Text."""
        f = self.fonts.faces[face]
        t = "" if value is None else str(value)
        if "\n" not in t and all(ord(ch) in f.chars for ch in t) and \
                pdfmetrics.stringWidth(t, f.name, size) <= width - 6:
            return t
        return self.cell(t, size, align, face)

    def pairs(self, items: Sequence[tuple[str, str]], per_row: int = 2, *, size: float = WU_HAO,
              label_weight: float = 1.0, value_weight: float = 2.0) -> Table | Grid:
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
