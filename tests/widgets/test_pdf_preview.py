"""The preview window over a real PDF: pages rendered, paging, zoom, printing to a PDF printer on a
worker thread, a failing printer reported in Chinese with the PDF kept, 另存为 PDF."""
from __future__ import annotations

import pypdfium2 as pdfium
import pytest
from PySide6.QtPrintSupport import QPrinter
from reportlab.pdfgen.canvas import Canvas

from widgets.pdf_preview import PdfPreview


@pytest.fixture
def boxes(monkeypatch):
    """Message boxes answered at once; their texts recorded."""
    from PySide6.QtWidgets import QMessageBox
    said: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: said.append(str(a[2])))
    return said


@pytest.fixture
def pdf(tmp_path):
    path = tmp_path / "doc.pdf"
    c = Canvas(str(path))
    for i in range(6):
        c.drawString(72, 720, f"page {i + 1}")
        c.showPage()
    c.save()
    return path


@pytest.fixture
def preview(qtbot, pdf):
    w = PdfPreview(str(pdf), "测试文书", "")
    qtbot.addWidget(w)
    w.resize(1000, 700)
    w.show()
    qtbot.waitUntil(lambda: w.pages_shown, timeout=5000)
    return w


def test_pages_render_and_page_through(preview, qtbot):
    assert preview.page_count() == 6
    assert preview.labels[0].pixmap() is not None and not preview.labels[0].pixmap().isNull()
    preview.go_to(4)
    qtbot.waitUntil(lambda: preview.labels[4].pixmap() is not None and not preview.labels[4].pixmap().isNull())
    assert preview.page_spin.value() == 5
    preview.next_button.click()
    assert preview.page_spin.value() == 6 and not preview.next_button.isEnabled()


def test_zoom_changes_the_page_size(preview):
    preview.zoom.setCurrentIndex(preview.zoom.findText("100%"))
    w100 = preview.labels[0].width()
    preview.step_zoom(1)
    assert preview.zoom.currentText() == "125%" and preview.labels[0].width() > w100


def test_warning_is_shown(pdf, qtbot):
    w = PdfPreview(str(pdf), "x", "以下字符在本机字体中没有，无法打印：“𱍐”")
    qtbot.addWidget(w)
    w.show()
    assert w.warning.isVisible() and "𱍐" in w.warning.text()


def _pdf_printer(path) -> QPrinter:
    p = QPrinter(QPrinter.PrinterMode.HighResolution)
    p.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    p.setOutputFileName(str(path))
    return p


def test_printing_runs_in_the_background_and_prints_the_chosen_pages(preview, qtbot, tmp_path, monkeypatch):
    out = tmp_path / "printed.pdf"
    printer = _pdf_printer(out)
    printer.setPrintRange(QPrinter.PrintRange.PageRange)
    printer.setFromTo(2, 4)
    monkeypatch.setattr(preview, "ask_printer", lambda: printer)
    with qtbot.waitSignal(preview.printed, timeout=20000) as sig:
        assert preview.print_pdf()
        assert not preview.print_button.isEnabled()      # the window is still live while it prints
    assert sig.args == [""]
    assert len(pdfium.PdfDocument(str(out))) == 3
    assert preview.print_button.isEnabled()


def test_a_failing_printer_gives_a_chinese_message_and_keeps_the_pdf(preview, qtbot, tmp_path, monkeypatch,
                                                                    boxes):
    printer = _pdf_printer(tmp_path / "no-such-folder" / "x.pdf")
    monkeypatch.setattr(preview, "ask_printer", lambda: printer)
    with qtbot.waitSignal(preview.printed, timeout=20000) as sig:
        preview.print_pdf()
    assert "无法连接打印机" in sig.args[0]
    assert any("PDF 文件已保留" in s and preview.path in s for s in boxes)
    assert len(pdfium.PdfDocument(preview.path)) == 6


def test_cancelling_the_dialog_prints_nothing(preview, monkeypatch):
    monkeypatch.setattr(preview, "ask_printer", lambda: None)
    assert preview.print_pdf() is False


def test_save_as_copies_the_pdf(preview, tmp_path, pdf, boxes):
    target = tmp_path / "副本"
    assert preview.save_as(str(target)) == str(target) + ".pdf"
    assert (tmp_path / "副本.pdf").read_bytes() == pdf.read_bytes()
    assert preview.save_as(str(tmp_path / "missing" / "y.pdf")) is None
    assert any("保存失败" in s or "无法保存" in s for s in boxes)
