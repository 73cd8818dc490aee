"""The one entry to draw documents: `render` (one document) and `render_batch` (a whole selection in one
PDF, each document starting on a new page with its own "第 N 页 共 M 页").

    result = render_batch(sections, "明白卡.pdf", progress=lambda done, total: ..., cancelled=lambda: False)

A `Section` is one document: its page style and a function `build(kit) -> [Flowable]`, called only
when the section is reached (a batch of 30,000 households never holds 30,000 documents' flowables).
The PDF is written to a temporary file beside the target and renamed when complete; on failure or
cancel the temporary file is removed and an earlier file of that name is left untouched.

Page numbers: each page draws "第 N 页 共 " and then a form XObject holding its section's page count,
defined when the section ends (one pass, no second layout).
"""
from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from reportlab import rl_config
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, NextPageTemplate, PageBreak, PageTemplate

from db.docs.fonts import BODY, FontSet, load_fonts
from db.docs.layout import Kit
from db.errors import LedgerError

rl_config.useA85 = 0          # binary (compressed) streams: smaller files, no ASCII85 pass
Progress = Callable[[int, int], None] | None
Cancel = Callable[[], bool] | None


class PrintCancelled(LedgerError):
    def __init__(self, msg: str = "已取消，没有生成文件"):
        super().__init__(msg)


@dataclass(frozen=True)
class PageStyle:
    """Margins in mm (top, bottom, left, right). OFFICIAL follows GB/T 9704 (版心 156 × 225 mm)."""
    name: str
    top: float
    bottom: float
    left: float
    right: float
    landscape: bool = False

    @property
    def size(self) -> tuple[float, float]:
        return landscape(A4) if self.landscape else A4


OFFICIAL = PageStyle("official", 37, 35, 28, 26)
FORM = PageStyle("form", 18, 20, 20, 18)
FORM_LANDSCAPE = PageStyle("form_landscape", 16, 18, 18, 16, landscape=True)
STYLES = (OFFICIAL, FORM, FORM_LANDSCAPE)


@dataclass
class Section:
    """One document of a batch. `footer` is drawn at the bottom left of each of its pages."""
    build: Callable[[Kit], list[Flowable]]
    style: PageStyle = FORM
    footer: str = ""


@dataclass
class RenderResult:
    path: Path
    pages: int
    sections: int
    section_pages: list[int] = field(default_factory=list)     # first page (1-based) of each section
    missing: dict[str, set[str]] = field(default_factory=dict)

    def missing_text(self) -> str:
        """'' or a Chinese sentence naming every character that could not be printed."""
        if not self.missing:
            return ""
        parts = [f"“{ch}”（U+{ord(ch):04X}，见“{'、'.join(sorted(where)[:3])}”）" for ch, where in self.missing.items()]
        return ("以下字符在本机字体中没有，无法打印，纸上已标为〔U+编码〕，请手写补上：" + "；".join(parts))


# ---- the document template ------------------------------------------------------------------------
class _Start(Flowable):
    """Zero-size marker drawn on a section's first page: ends the previous section's page count."""

    def __init__(self, index: int, footer: str):
        super().__init__()
        self.index, self.footer = index, footer

    def wrap(self, *_a):
        return 0, 0

    def draw(self) -> None:
        self.canv._doctemplate.start_section(self.index, self.footer)


class _Lazy(Flowable):
    """A section not yet built: the template swaps it for the section's flowables when it is reached."""

    def __init__(self, index: int, section: Section):
        super().__init__()
        self.index, self.section = index, section


class _Template(BaseDocTemplate):
    def __init__(self, path: str, fonts: FontSet, total: int, progress: Progress, cancelled: Cancel):
        super().__init__(path, pagesize=A4, title="", author="助学台账", creator="助学台账",
                         invariant=True, initialFontName=fonts.font(BODY))
        self.fonts, self.total, self.progress, self.cancelled = fonts, total, progress, cancelled
        self.section = -1
        self.first_page = 1
        self.footer = ""
        self.section_pages: list[int] = []
        self.page_count = 0
        templates = []
        for st in STYLES:
            w, h = st.size
            frame = Frame(st.left * mm, st.bottom * mm, w - (st.left + st.right) * mm,
                          h - (st.top + st.bottom) * mm, 0, 0, 0, 0, id=st.name)
            templates.append(PageTemplate(st.name, [frame], onPageEnd=self._page_end, pagesize=st.size))
        self.addPageTemplates(templates)

    def kit(self, style: PageStyle) -> Kit:
        w, h = style.size
        return Kit(self.fonts, w - (style.left + style.right) * mm, h - (style.top + style.bottom) * mm)

    def filterFlowables(self, flowables: list) -> None:
        while flowables and isinstance(flowables[0], _Lazy):
            lazy = flowables[0]
            if self.cancelled and self.cancelled():
                raise PrintCancelled()
            if self.progress:
                self.progress(lazy.index, self.total)
            body = lazy.section.build(self.kit(lazy.section.style))
            flowables[0:1] = [_Start(lazy.index, lazy.section.footer), *body]

    def start_section(self, index: int, footer: str) -> None:
        page = self.canv.getPageNumber()
        if self.section >= 0:
            self._define_total(self.section, page - self.first_page)
        self.section, self.first_page, self.footer = index, page, footer
        self.section_pages.append(page)

    def finish(self) -> None:
        """At save, after the last page: the last section's page count."""
        if self.section >= 0:
            self._define_total(self.section, self.page_count - self.first_page + 1)

    def _define_total(self, index: int, pages: int) -> None:
        c = self.canv
        c.beginForm(f"zxtotal{index}")
        c.setFont(self.fonts.font(BODY), 9)
        c.drawString(0, 0, f"{pages} 页")
        c.endForm()

    def _page_end(self, canv, doc) -> None:
        """Footer: the section's footer text on the left, "第 N 页 共 M 页" in the middle."""
        if self.section < 0:
            return
        pt = self.pageTemplate
        w = pt.pagesize[0]
        frame = pt.frames[0]
        y = max(frame._y1 / 2 - 3, 8 * mm)
        n = canv.getPageNumber() - self.first_page + 1
        font = self.fonts.font(BODY)
        canv.saveState()
        canv.setFont(font, 9)
        head = f"第 {n} 页 共 "
        from reportlab.pdfbase.pdfmetrics import stringWidth  # noqa: PLC0415 - start-up: loaded only when used
        guess = stringWidth(head + f"{n} 页", font, 9)
        x = (w - guess) / 2
        canv.drawString(x, y, head)
        canv.saveState()
        canv.translate(x + stringWidth(head, font, 9), y)
        canv.doForm(f"zxtotal{self.section}")
        canv.restoreState()
        if self.footer:
            for f, t in self.fonts.runs(self.footer):
                canv.setFont(f, 9)
                canv.drawString(frame._x1, y, t)
                break
        canv.restoreState()


def _story(sections: list[Section]) -> Iterator[Flowable]:
    for i, sec in enumerate(sections):
        if i:
            yield NextPageTemplate(sec.style.name)
            yield PageBreak()
        yield _Lazy(i, sec)


def render_batch(sections: Iterable[Section], out: Path | str, *, progress: Progress = None,
                 cancelled: Cancel = None, fonts: FontSet | None = None) -> RenderResult:
    """Draw every section into one PDF at `out` (atomically). PrintCancelled when `cancelled()` turns
    true; LedgerError with a Chinese message for an empty selection or a file that cannot be written."""
    sections = list(sections)
    if not sections:
        raise LedgerError("所选范围内没有可打印的内容")
    fonts = fonts or load_fonts()
    out = Path(out)
    folder = out.parent if str(out.parent) else Path(".")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=f".{out.stem}-", suffix=".tmp.pdf", dir=folder)
        os.close(fd)
    except OSError as e:
        raise LedgerError(f"无法在文件夹“{folder}”中写入 PDF（{e.strerror or e}）") from None
    tmp = Path(tmp_name)
    try:
        doc = _Template(tmp_name, fonts, len(sections), progress, cancelled)
        story = list(_story(sections))
        # the first page must use the first section's page template
        doc.pageTemplates.sort(key=lambda t: t.id != sections[0].style.name)
        doc.build(story, canvasmaker=_canvas_maker(doc))
        if cancelled and cancelled():
            raise PrintCancelled()
        os.replace(tmp, out)
    except OSError as e:
        tmp.unlink(missing_ok=True)
        raise LedgerError(f"写入“{out.name}”失败（{e.strerror or e}）") from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    if progress:
        progress(len(sections), len(sections))
    return RenderResult(out, doc.page_count, len(sections), doc.section_pages, fonts.take_missing())


def render(section: Section, out: Path | str, **kw) -> RenderResult:
    """One document: render_batch of one section."""
    return render_batch([section], out, **kw)


def _canvas_maker(doc: _Template):
    from reportlab.pdfgen.canvas import Canvas  # noqa: PLC0415 - start-up: loaded only when used

    class _Canvas(Canvas):
        def save(self) -> None:
            doc.page_count = self.getPageNumber() - 1
            doc.finish()
            super().save()
    return _Canvas
