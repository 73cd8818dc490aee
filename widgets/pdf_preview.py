"""A print preview window for a finished PDF: the pages as the printer will print them, zoom, paging,
打印 (the system print dialog: printer, copies, page range, duplex where the driver offers it) and
另存为 PDF. Pages are rendered with pypdfium2 (QtPdf is not in PySide6-Essentials), only those in view.

Printing runs on a worker thread (QPainter may paint on a QPrinter outside the GUI thread), so the
window stays usable; a printer that fails gives a plain Chinese message and the PDF stays where it is.
PDFium is not thread-safe: every call into it holds PDFIUM_LOCK.
"""
from __future__ import annotations

import os
import shutil
import tempfile
import threading
from pathlib import Path

import pypdfium2 as pdfium
from PySide6.QtCore import QCoreApplication, QDeadlineTimer, QObject, QRect, Qt, QThread, QTimer, Signal
from PySide6.QtGui import QImage, QKeySequence, QPainter, QPixmap, QShortcut
from PySide6.QtPrintSupport import QAbstractPrintDialog, QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

PDFIUM_LOCK = threading.Lock()
ZOOMS = [("适合宽度", "width"), ("整页", "page"), ("50%", 0.5), ("75%", 0.75), ("100%", 1.0), ("125%", 1.25),
         ("150%", 1.5), ("200%", 2.0)]
PRINT_DPI = 300
GAP = 12
KEEP_PIXMAPS = 16
MAX_FIT = 1.25 * 96 / 72     # 适合宽度 stops at 125 %: a wide screen should not blow a page up


def render_page(doc: pdfium.PdfDocument, index: int, scale: float) -> QImage:
    """One page as a QImage (white background), `scale` pixels per PDF point."""
    with PDFIUM_LOCK:
        page = doc[index]
        bitmap = page.render(scale=scale, prefer_bgrx=True)
        img = QImage(bitmap.buffer, bitmap.width, bitmap.height, bitmap.stride, QImage.Format.Format_RGB32).copy()
        page.close()
    return img


class _PrintJob(QObject):
    """Paints the chosen pages onto the printer on a worker thread."""
    progressed = Signal(int, int)
    finished = Signal(str)          # "" on success, else the Chinese reason

    def __init__(self, path: str, printer: QPrinter, pages: list[int], copies: int):
        super().__init__()
        self.path, self.printer, self.pages, self.copies = path, printer, pages, copies
        self.cancel = threading.Event()

    def run(self) -> None:
        try:
            self.finished.emit(self._print())
        except Exception as e:
            self.finished.emit(f"打印时出错（{type(e).__name__}：{e}）")

    def _print(self) -> str:
        with PDFIUM_LOCK:
            doc = pdfium.PdfDocument(self.path)
        painter = QPainter()
        if not painter.begin(self.printer):
            with PDFIUM_LOCK:
                doc.close()
            return "无法连接打印机"
        try:
            dpi = min(self.printer.resolution(), PRINT_DPI)
            target = self.printer.pageLayout().paintRectPixels(self.printer.resolution())
            total, done = len(self.pages) * self.copies, 0
            for _copy in range(self.copies):
                for index in self.pages:
                    if self.cancel.is_set():
                        self.printer.abort()
                        return "已取消打印"
                    if done:
                        if not self.printer.newPage():
                            return "打印机没有响应"
                    img = render_page(doc, index, dpi / 72)
                    size = img.size().scaled(target.size(), Qt.AspectRatioMode.KeepAspectRatio)
                    painter.drawImage(QRect(0, 0, size.width(), size.height()), img)
                    done += 1
                    self.progressed.emit(done, total)
        finally:
            painter.end()
            with PDFIUM_LOCK:
                doc.close()
        if self.printer.printerState() == QPrinter.PrinterState.Error:
            return "打印机报告错误"
        return ""


class PdfPreview(QWidget):
    """A window showing the PDF at `path`. `warning` (e.g. characters that could not be printed) is
    shown above the pages."""

    firstPageShown = Signal()
    printed = Signal(str)            # "" on success, else the reason

    def __init__(self, path: str, title: str = "", warning: str = "", parent: QWidget | None = None):
        super().__init__(parent, Qt.WindowType.Window)
        self.path, self.title = str(path), title or Path(path).stem
        self.setWindowTitle(f"打印预览 — {self.title}")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        with PDFIUM_LOCK:
            self.doc = pdfium.PdfDocument(self.path)
            self.sizes = [self.doc.get_page_size(i) for i in range(len(self.doc))]
        self.pages_shown = False
        self._pixmaps: dict[int, QPixmap] = {}
        self._scale = 1.0
        self._thread: QThread | None = None
        self._job: _PrintJob | None = None
        self._build()
        self.set_warning(warning)
        self._apply_zoom()

    # ---- building ---------------------------------------------------------------------------------
    def _build(self) -> None:
        self.print_button = QPushButton("打印…")
        self.print_button.setToolTip("选择打印机、份数、页码范围和双面打印（Ctrl+P）")
        self.print_button.clicked.connect(self.print_pdf)
        self.save_button = QPushButton("另存为 PDF…")
        self.save_button.clicked.connect(lambda: self.save_as())
        self.prev_button, self.next_button = QPushButton("上一页"), QPushButton("下一页")
        self.prev_button.clicked.connect(lambda: self.go_to(self.current_page() - 1))
        self.next_button.clicked.connect(lambda: self.go_to(self.current_page() + 1))
        self.page_spin = QSpinBox()
        self.page_spin.setRange(1, max(1, len(self.sizes)))
        self.page_spin.valueChanged.connect(lambda v: self.go_to(v - 1))
        self.zoom = QComboBox()
        for label, value in ZOOMS:
            self.zoom.addItem(label, value)
        self.zoom.currentIndexChanged.connect(lambda _i: self._apply_zoom())
        out_b, in_b = QPushButton("缩小"), QPushButton("放大")
        out_b.clicked.connect(lambda: self.step_zoom(-1))
        in_b.clicked.connect(lambda: self.step_zoom(1))
        close_b = QPushButton("关闭")
        close_b.clicked.connect(self.close)
        bar = QHBoxLayout()
        for w in (self.print_button, self.save_button):
            bar.addWidget(w)
        bar.addSpacing(16)
        bar.addWidget(self.prev_button)
        bar.addWidget(QLabel("第"))
        bar.addWidget(self.page_spin)
        bar.addWidget(QLabel(f"页，共 {len(self.sizes)} 页"))
        bar.addWidget(self.next_button)
        bar.addSpacing(16)
        for w in (out_b, self.zoom, in_b):
            bar.addWidget(w)
        bar.addStretch(1)
        bar.addWidget(close_b)
        self.status = QLabel("")
        self.warning = QLabel("")
        self.warning.setWordWrap(True)
        self.warning.setStyleSheet("background:#fff3cd; color:#7a4b00; padding:6px; border:1px solid #e0c36a;")
        self.warning.setVisible(False)
        self.pages = QWidget()
        self.pages.setStyleSheet("background:#808080;")
        self.labels: list[QLabel] = []
        col = QVBoxLayout(self.pages)
        col.setSpacing(GAP)
        col.setContentsMargins(GAP, GAP, GAP, GAP)
        for _ in self.sizes:
            lab = QLabel()
            lab.setStyleSheet("background:white;")
            lab.setAlignment(Qt.AlignmentFlag.AlignCenter)
            col.addWidget(lab, 0, Qt.AlignmentFlag.AlignHCenter)
            self.labels.append(lab)
        self.scroll = QScrollArea()
        self.scroll.setWidget(self.pages)
        self.scroll.setWidgetResizable(True)
        self.scroll.verticalScrollBar().valueChanged.connect(lambda _v: self._schedule())
        lay = QVBoxLayout(self)
        lay.setContentsMargins(6, 6, 6, 6)
        lay.addLayout(bar)
        lay.addWidget(self.warning)
        lay.addWidget(self.scroll, 1)
        lay.addWidget(self.status)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._render_visible)
        for keys, fn in ((QKeySequence.StandardKey.Print, self.print_pdf), (QKeySequence.StandardKey.Save, self.save_as),
                         (QKeySequence.StandardKey.ZoomIn, lambda: self.step_zoom(1)),
                         (QKeySequence.StandardKey.ZoomOut, lambda: self.step_zoom(-1)),
                         (QKeySequence(Qt.Key.Key_PageDown), lambda: self.go_to(self.current_page() + 1)),
                         (QKeySequence(Qt.Key.Key_PageUp), lambda: self.go_to(self.current_page() - 1)),
                         (QKeySequence(Qt.Key.Key_Escape), self.close)):
            QShortcut(QKeySequence(keys), self, activated=lambda fn=fn: fn())

    def set_warning(self, text: str) -> None:
        self.warning.setText(text)
        self.warning.setVisible(bool(text))

    # ---- zoom and paging ----------------------------------------------------------------------------
    def page_count(self) -> int:
        return len(self.sizes)

    def _fit_scale(self, mode) -> float:
        if not self.sizes:
            return 1.0
        w, h = self.sizes[0]
        view = self.scroll.viewport().size()
        bar = self.scroll.verticalScrollBar().sizeHint().width()
        avail_w = max(200, view.width() - 2 * GAP - bar - 4)
        if mode == "width":
            return min(avail_w / w, MAX_FIT)
        return min(avail_w / w, max(200, view.height() - 2 * GAP) / h)

    def _apply_zoom(self) -> None:
        mode = self.zoom.currentData()
        page = self.current_page() if self.labels else 0
        self._scale = self._fit_scale(mode) if isinstance(mode, str) else float(mode) * 96 / 72
        self._pixmaps.clear()
        for lab, (w, h) in zip(self.labels, self.sizes):
            lab.clear()
            lab.setFixedSize(int(w * self._scale), int(h * self._scale))
        self.pages.adjustSize()
        self.go_to(page)
        self._schedule()

    def step_zoom(self, step: int) -> None:
        i = self.zoom.currentIndex()
        if not isinstance(self.zoom.currentData(), float):      # from a fit mode: to the nearest percent
            pct = self._scale * 72 / 96
            i = min(range(2, len(ZOOMS)), key=lambda k: abs(ZOOMS[k][1] - pct))
        self.zoom.setCurrentIndex(max(2, min(len(ZOOMS) - 1, i + step)))

    def current_page(self) -> int:
        y = self.scroll.verticalScrollBar().value() + self.scroll.viewport().height() // 3
        for i, lab in enumerate(self.labels):
            if lab.y() + lab.height() + GAP >= y:
                return i
        return max(0, len(self.labels) - 1)

    def go_to(self, index: int) -> None:
        if not self.labels:
            return
        index = max(0, min(len(self.labels) - 1, index))
        self.pages.layout().activate()
        self.scroll.verticalScrollBar().setValue(self.labels[index].y() - GAP)
        self._sync_spin(index)
        self._schedule()

    def _sync_spin(self, index: int) -> None:
        self.page_spin.blockSignals(True)
        self.page_spin.setValue(index + 1)
        self.page_spin.blockSignals(False)
        self.prev_button.setEnabled(index > 0)
        self.next_button.setEnabled(index < len(self.labels) - 1)

    def _schedule(self) -> None:
        self._timer.start(0)

    def _render_visible(self) -> None:
        top = self.scroll.verticalScrollBar().value()
        bottom = top + self.scroll.viewport().height()
        visible = [i for i, lab in enumerate(self.labels) if lab.y() < bottom and lab.y() + lab.height() > top]
        for i in visible:
            if i not in self._pixmaps:
                self._pixmaps[i] = QPixmap.fromImage(render_page(self.doc, i, self._scale))
                self.labels[i].setPixmap(self._pixmaps[i])
        for i in [k for k in self._pixmaps if visible and abs(k - visible[0]) > KEEP_PIXMAPS]:
            del self._pixmaps[i]
            self.labels[i].clear()
        if visible:
            self._sync_spin(self.current_page())
        if visible and not self.pages_shown:
            self.pages_shown = True
            self.firstPageShown.emit()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if isinstance(self.zoom.currentData(), str):
            QTimer.singleShot(0, self._apply_zoom)

    # ---- printing -----------------------------------------------------------------------------------
    def ask_printer(self) -> QPrinter | None:
        """The system print dialog; None when the user cancels. (Tests replace this.)"""
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(self.title)
        dlg = QPrintDialog(printer, self)
        dlg.setWindowTitle("打印")
        dlg.setMinMax(1, self.page_count())
        dlg.setOption(QAbstractPrintDialog.PrintDialogOption.PrintPageRange, True)
        dlg.setOption(QAbstractPrintDialog.PrintDialogOption.PrintCurrentPage, True)
        return printer if dlg.exec() else None

    def print_pdf(self) -> bool:
        """Ask for a printer, then print on a worker thread. False when nothing was started."""
        if self._thread is not None:
            self.status.setText("正在打印，请稍候……")
            return False
        printer = self.ask_printer()
        if printer is None:
            return False
        pages = self._pages_for(printer)
        copies = 1
        if not printer.supportsMultipleCopies():     # the driver cannot: send the pages again
            copies = max(1, printer.copyCount())
            printer.setCopyCount(1)
        self._job = _PrintJob(self.path, printer, pages, copies)
        self._thread = QThread(self)
        self._job.moveToThread(self._thread)
        self._thread.started.connect(self._job.run)
        self._job.progressed.connect(lambda d, t: self.status.setText(f"正在打印 {d}/{t} 页……"))
        self._job.finished.connect(self._printed)
        self.print_button.setEnabled(False)
        self.status.setText(f"正在发送到打印机“{printer.printerName() or printer.outputFileName()}”……")
        self._printer_name = printer.printerName() or printer.outputFileName()
        self._thread.start()
        return True

    def _pages_for(self, printer: QPrinter) -> list[int]:
        n = self.page_count()
        mode = printer.printRange()
        if mode == QPrinter.PrintRange.CurrentPage:
            return [self.current_page()]
        if mode == QPrinter.PrintRange.PageRange and printer.fromPage() > 0:
            return list(range(printer.fromPage() - 1, min(printer.toPage(), n)))
        return list(range(n))

    def _printed(self, reason: str) -> None:
        self._thread.quit()
        self._thread.wait()
        self._thread.deleteLater()
        self._thread, self._job = None, None
        self.print_button.setEnabled(True)
        if reason:
            self.status.setText(f"打印未完成：{reason}")
            QMessageBox.warning(self, "打印未完成", f"{reason}（{self._printer_name}）。请检查打印机是否开机、"
                                f"连接好、有纸，然后再点“打印”。\n\nPDF 文件已保留：{self.path}\n也可以点"
                                "“另存为 PDF”，拷到其他电脑上打印。")
        else:
            self.status.setText("已发送到打印机。")
        self.printed.emit(reason)

    def wait_printed(self, msecs: int = 30000) -> bool:
        """For tests and closing: wait for a running print job (its result is then delivered)."""
        if self._thread is None:
            return True
        ok = self._thread.wait(QDeadlineTimer(msecs))
        QCoreApplication.sendPostedEvents()
        QCoreApplication.processEvents()
        return ok

    # ---- saving -------------------------------------------------------------------------------------
    def save_as(self, target: str | None = None) -> str | None:
        """Copy the PDF to a file the user chooses (written beside it, then renamed)."""
        if target is None:
            start = os.path.join(os.path.expanduser("~"), f"{self.title}.pdf")
            target, _f = QFileDialog.getSaveFileName(self, "另存为 PDF", start, "PDF 文件 (*.pdf)")
            if not target:
                return None
        if not target.lower().endswith(".pdf"):
            target += ".pdf"
        folder = os.path.dirname(os.path.abspath(target))
        try:
            fd, tmp = tempfile.mkstemp(prefix=".preview-", suffix=".tmp.pdf", dir=folder)
            os.close(fd)
            try:
                shutil.copyfile(self.path, tmp)
                os.replace(tmp, target)
            finally:
                if os.path.exists(tmp):
                    os.unlink(tmp)
        except OSError as e:
            QMessageBox.warning(self, "保存失败", f"无法保存到“{target}”：{e.strerror or e}。原有文件未改动。")
            return None
        self.status.setText(f"已保存：{target}")
        return target

    def closeEvent(self, event) -> None:
        if self._job is not None:
            self._job.cancel.set()
            self.wait_printed()
        with PDFIUM_LOCK:
            self.doc.close()
        super().closeEvent(event)
