"""The attachments tab of a file: thumbnails; files added by dragging them onto the list or with a file
dialog (each with a kind, a date and a note); an image opens in a viewer here, a PDF in the computer's
own PDF viewer (a copy checked against its SHA-256 is written to printouts/ beside the database)."""
from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QPixmap
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from db.errors import LedgerError, ValidationError
from db.special import media, rules
from db.special.dto import AttachmentRow
from desktop.context import AppContext
from desktop.dialogs.special_forms import Field, RecordForm
from desktop.errors import show_error
from desktop.printing import printouts_dir
from widgets.thumb_list import ThumbItem, ThumbList

NOTE = (f"把扫描件或照片拖到下面的空白处，或点“添加附件…”。可添加 {media.ALLOWED_TEXT}；照片会缩小到 "
        f"{media.MAX_SIDE} 像素以内并存为 JPEG（不保存原图，去掉拍摄地点等信息）；每张图片不超过 "
        f"{media.size_text(media.MAX_IMAGE_BYTES)}，每个 PDF 不超过 {media.size_text(media.MAX_PDF_BYTES)}。"
        "附件保存在数据库里，随备份一起保存，不能被改动。")
FILTER = "图片或 PDF (*.jpg *.jpeg *.png *.bmp *.tif *.tiff *.pdf)"


@dataclass
class Meta:
    kind: str = ""
    doc_date: object = None
    note: str = ""


META_FIELDS = [Field("kind", "类别", "choice", rules.ATTACHMENT_KINDS), Field("doc_date", "材料日期", "date"),
               Field("note", "备注", wide=True, hint="如 残疾人证正反面、县医院诊断证明")]


def guess_kind(paths: list[str]) -> str:
    return "照片" if all(Path(p).suffix.lower() in (".jpg", ".jpeg", ".png") for p in paths) else "其他"


class AttachmentsTab(QWidget):
    changed = Signal()

    def __init__(self, ctx: AppContext, file_id: int, parent=None, *, today: dt.date | None = None):
        super().__init__(parent)
        self.ctx, self.file_id, self.today = ctx, file_id, today or dt.date.today()
        self.rows: dict[int, AttachmentRow] = {}
        note = QLabel(NOTE)
        note.setWordWrap(True)
        note.setStyleSheet("color: #555;")
        self.add_button, self.open_button = QPushButton("添加附件…"), QPushButton("打开")
        self.meta_button, self.delete_button = QPushButton("修改说明…"), QPushButton("删除")
        self.add_button.clicked.connect(self.choose_files)
        self.open_button.clicked.connect(lambda: self.open(self.thumbs.current_key()))
        self.meta_button.clicked.connect(self.edit_meta)
        self.delete_button.clicked.connect(self.delete)
        self.thumbs = ThumbList(self)
        self.thumbs.filesDropped.connect(self.add_files)
        self.thumbs.opened.connect(self.open)
        self.summary = QLabel("")
        top = QHBoxLayout()
        top.addWidget(note, 1)
        buttons = QVBoxLayout()
        for b in (self.add_button, self.open_button, self.meta_button, self.delete_button):
            buttons.addWidget(b)
        top.addLayout(buttons)
        lay = QVBoxLayout(self)
        lay.addLayout(top)
        lay.addWidget(self.thumbs, 1)
        lay.addWidget(self.summary)

    def reload(self) -> None:
        try:
            rows = self.ctx.special.attachments(self.file_id)
        except LedgerError as e:
            show_error(self, e, "查询附件")
            return
        self.rows = {r.id: r for r in rows}
        self.thumbs.set_items([ThumbItem(r.id, f"{r.kind}\n{r.doc_date or ''}\n{_short(r.filename)}", r.thumb,
                                         _tooltip(r)) for r in rows])
        total = sum(r.size for r in rows)
        self.summary.setText(f"共 {len(rows)} 个附件，{media.size_text(total)}" if rows else "还没有附件。")

    # ---- adding ---------------------------------------------------------------------------------------
    def choose_files(self) -> None:
        paths, _f = QFileDialog.getOpenFileNames(self, "选择附件", str(Path.home()), FILTER)
        if paths:
            self.add_files(paths)

    def add_files(self, paths: list[str], meta: Meta | None = None) -> None:
        """Ask kind, date and note once for the files (unless given), then add them in the background."""
        if meta is None:
            dlg = RecordForm(f"添加 {len(paths)} 个附件", META_FIELDS, Meta(guess_kind(paths), self.today), _echo, self)
            dlg.save_button.setText("添加")
            dlg._update_save = lambda: dlg.save_button.setEnabled(True)
            dlg._update_save()
            if not dlg.exec() or dlg.result_value is None:
                return
            meta = dlg.result_value
        svc, fid = self.ctx.special, self.file_id

        def work(progress, cancelled):
            done, failed = [], []
            for i, p in enumerate(paths):
                if cancelled():
                    break
                try:
                    done.append(svc.add_attachment(fid, p, kind=meta.kind, doc_date=meta.doc_date, note=meta.note))
                except LedgerError as e:
                    failed.append(str(e))
                progress(i + 1, len(paths))
            return done, failed
        self.ctx.tasks.run(work, parent=self, title="正在添加附件……", on_done=self._added,
                           on_error=lambda e: show_error(self, e, "添加附件"))

    def _added(self, result) -> None:
        done, failed = result
        self.reload()
        if done:
            self.changed.emit()
        lines = [f"已添加 {len(done)} 个附件。"] + [f"· {a.row.filename}：{a.note}" for a in done]
        if failed:
            lines += ["", "以下文件没有添加："] + [f"· {m}" for m in failed]
        QMessageBox.information(self, "添加附件", "\n".join(lines))

    # ---- one attachment ---------------------------------------------------------------------------------
    def open(self, attachment_id) -> None:
        if attachment_id is None:
            return
        try:
            row, data = self.ctx.special.attachment_data(attachment_id)
        except LedgerError as e:
            show_error(self, e, "打开附件")
            return
        if row.is_image:
            ImageViewer(row, data, self).exec()
            return
        out = printouts_dir(self.ctx) / f"附件{row.id}-{row.filename}"
        out.write_bytes(data)
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(out)))

    def edit_meta(self) -> bool:
        row = self.rows.get(self.thumbs.current_key())
        if row is None:
            return False
        svc = self.ctx.special
        dlg = RecordForm(f"附件说明：{row.filename}", META_FIELDS, Meta(row.kind, row.doc_date, row.note),
                         lambda m: svc.update_attachment(row.id, **dataclasses.asdict(m)), self)
        if dlg.exec() and dlg.result_value is not None:
            self.reload()
            self.changed.emit()
            return True
        return False

    def delete(self) -> bool:
        row = self.rows.get(self.thumbs.current_key())
        if row is None:
            return False
        yes_no = QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No
        answer = QMessageBox.question(self, "删除附件", f"确定删除附件“{row.filename}”（{row.kind}）吗？\n"
                                      "删除后只能从备份中找回。", yes_no, QMessageBox.StandardButton.No)
        if answer != QMessageBox.StandardButton.Yes:
            return False
        try:
            self.ctx.special.delete_attachment(row.id)
        except LedgerError as e:
            show_error(self, e, "删除附件")
            return False
        self.reload()
        self.changed.emit()
        return True


def _echo(meta: Meta) -> Meta:
    """The add dialog only collects kind, date and note: the service checks them with each file."""
    if meta.kind not in rules.ATTACHMENT_KINDS:
        raise ValidationError({"kind": "请选择附件类别"})
    return meta


def _short(name: str, n: int = 14) -> str:
    return name if len(name) <= n else name[: n - 4] + "…" + name[-3:]


def _tooltip(r: AttachmentRow) -> str:
    size = f"{r.width}×{r.height}，" if r.width else ""
    reduced = f"（原文件 {media.size_text(r.original_size)}，已缩小）" if r.reduced else ""
    return (f"{r.filename}\n{r.kind}　{r.doc_date or ''}\n{size}{media.size_text(r.size)}{reduced}\n"
            f"{r.note}\n添加：{r.added_by}").strip()


class ImageViewer(QDialog):
    """An attachment's image, fitted to the screen (scroll for the rest)."""

    def __init__(self, row: AttachmentRow, data: bytes, parent=None):
        super().__init__(parent)
        self.setWindowTitle(f"{row.kind}：{row.filename}")
        pix = QPixmap()
        pix.loadFromData(data)
        screen = self.screen().availableGeometry() if self.screen() else None
        w, h = (screen.width() - 80, screen.height() - 140) if screen else (1200, 700)
        self.label = QLabel()
        self.label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        if pix.width() > w or pix.height() > h:
            pix = pix.scaled(w, h, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation)
        self.label.setPixmap(pix)
        area = QScrollArea()
        area.setWidget(self.label)
        area.setWidgetResizable(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("关闭")
        lay = QVBoxLayout(self)
        lay.addWidget(QLabel(f"{row.note}　{row.doc_date or ''}　{row.width}×{row.height}".strip()))
        lay.addWidget(area, 1)
        lay.addWidget(buttons)
        self.resize(min(w + 40, pix.width() + 40), min(h + 100, pix.height() + 100))
