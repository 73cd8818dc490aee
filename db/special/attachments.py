"""Attachments of a file: scans and photos kept INSIDE the database (so every backup holds them),
each with a kind, a date and a note. What is stored is checked and reduced first (db.special.media);
its SHA-256 is recorded and checked on every read, and triggers refuse any change of the bytes: an
attachment is added or deleted (both audited), never edited in place.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlalchemy import select

from db import audit
from db.context import ServiceContext
from db.errors import LedgerError, ValidationError
from db.models.special import SpecialAttachment, SpecialAttachmentData, SpecialHomeVisit
from db.special import media, rules
from db.special.common import get_file, get_row
from db.special.dto import AttachmentAdded, AttachmentRow

META = ("kind", "doc_date", "note")


class AttachmentDamaged(LedgerError):
    pass


class AttachmentsMixin:
    _ctx: ServiceContext

    def attachments(self, file_id: int, *, thumbs: bool = True) -> list[AttachmentRow]:
        """The file's attachments, newest document first, each with its (checked) thumbnail."""
        with self._ctx.read() as s:
            cols = [SpecialAttachment, SpecialAttachmentData.thumb, SpecialAttachmentData.thumb_sha256] if thumbs \
                else [SpecialAttachment]
            stmt = select(*cols).where(SpecialAttachment.file_id == file_id)
            if thumbs:
                stmt = stmt.join(SpecialAttachmentData, SpecialAttachmentData.attachment_id == SpecialAttachment.id)
            out = []
            for r in s.execute(stmt.order_by(SpecialAttachment.doc_date.desc(), SpecialAttachment.id.desc())):
                thumb = None
                if thumbs and r[1] is not None and media.sha256(r[1]) == r[2]:
                    thumb = r[1]
                out.append(_row(r[0], thumb))
            return out

    def add_attachment(self, file_id: int, source: Path | str | bytes, *, name: str = "", kind: str = "",
                       doc_date: dt.date | str | None = None, note: str = "",
                       visit_id: int | None = None) -> AttachmentAdded:
        """Add a file (a path, or bytes with their `name`). AttachmentError names the file and why it
        is refused (type, size, damage); nothing is stored then."""
        if isinstance(source, bytes):
            raw, name = source, name or "附件"
        else:
            path = Path(source)
            name = name or path.name
            try:
                size = path.stat().st_size
                limit = max(media.MAX_IMAGE_BYTES, media.MAX_PDF_BYTES)
                if size > limit:         # refuse before reading a huge file into memory
                    raise media.AttachmentError(
                        f"“{name}”有 {media.size_text(size)}，超过附件 {media.size_text(limit)} 的上限")
                raw = path.read_bytes()
            except OSError as e:
                raise LedgerError(f"无法读取“{name}”（{e.strerror or e}）") from None
        p: dict[str, str] = {}
        kind = rules.choice(kind, rules.ATTACHMENT_KINDS, "kind", "附件类别", p)
        day = rules.day(doc_date, "doc_date", "材料日期", p, today=self._ctx.clock.today())
        if p:
            raise ValidationError(p)
        ready = media.prepare(name, raw)
        with self._ctx.write() as s:
            f = get_file(s, file_id)
            if visit_id is not None and get_row(s, SpecialHomeVisit, visit_id, "送教记录").file_id != f.id:
                raise ValidationError({"visit_id": "所选送教记录不是这名儿童的"})
            a = SpecialAttachment(file_id=f.id, visit_id=visit_id, kind=kind, doc_date=day, note=note.strip(),
                                  filename=_stored_name(name, ready.mime), mime=ready.mime, size=len(ready.data),
                                  sha256=media.sha256(ready.data), width=ready.width, height=ready.height,
                                  original_size=ready.original_size, reduced=ready.reduced,
                                  added_at=self._ctx.clock.now(), added_by=self._ctx.actor.name)
            s.add(a)
            s.flush()
            s.add(SpecialAttachmentData(attachment_id=a.id, data=ready.data, thumb=ready.thumb,
                                        thumb_sha256=media.sha256(ready.thumb) if ready.thumb else ""))
            row = _row(a, ready.thumb)
            audit.record(s, self._ctx, "create", "special_attachment", a.id,
                         summary=f"{f.name} 附件 {kind} {a.filename}（{ready.note}）",
                         after={"kind": kind, "doc_date": day, "filename": a.filename, "sha256": a.sha256,
                                "size": a.size, "original_size": a.original_size})
        return AttachmentAdded(row, ready.note)

    def attachment_data(self, attachment_id: int) -> tuple[AttachmentRow, bytes]:
        """The stored bytes, after checking them against their recorded SHA-256."""
        with self._ctx.read() as s:
            a = get_row(s, SpecialAttachment, attachment_id, "附件")
            data = s.scalar(select(SpecialAttachmentData.data).where(SpecialAttachmentData.attachment_id == a.id))
            if data is None or len(data) != a.size or media.sha256(data) != a.sha256:
                raise AttachmentDamaged(f"附件“{a.filename}”的内容与保存时记录的校验值不符，可能已损坏或被改动；"
                                        "请从备份中恢复，或删除后重新添加")
            return _row(a), data

    def update_attachment(self, attachment_id: int, *, kind: str, doc_date: dt.date | str | None,
                          note: str) -> AttachmentRow:
        """Change what an attachment is said to be (kind, date, note); its content never changes."""
        p: dict[str, str] = {}
        kind = rules.choice(kind, rules.ATTACHMENT_KINDS, "kind", "附件类别", p)
        day = rules.day(doc_date, "doc_date", "材料日期", p, today=self._ctx.clock.today())
        if p:
            raise ValidationError(p)
        with self._ctx.write() as s:
            a = get_row(s, SpecialAttachment, attachment_id, "附件")
            before = {k: getattr(a, k) for k in META}
            a.kind, a.doc_date, a.note = kind, day, note.strip()
            audit.record(s, self._ctx, "update", "special_attachment", a.id, summary=f"附件 {a.filename}",
                         before=before, after={k: getattr(a, k) for k in META})
            return _row(a)

    def delete_attachment(self, attachment_id: int) -> None:
        with self._ctx.write() as s:
            a = get_row(s, SpecialAttachment, attachment_id, "附件")
            audit.record(s, self._ctx, "delete", "special_attachment", a.id, summary=f"删除附件 {a.kind} {a.filename}",
                         before={"kind": a.kind, "doc_date": a.doc_date, "filename": a.filename, "sha256": a.sha256,
                                 "note": a.note})
            s.delete(a)

    def verify_attachments(self) -> tuple[int, list[str]]:
        """Check every attachment's bytes against its hash (after a restore, on request): how many were
        checked, and the names of those that do not match (empty when all are intact)."""
        bad, n = [], 0
        with self._ctx.read() as s:
            for a_id, name, size, digest in s.execute(select(SpecialAttachment.id, SpecialAttachment.filename,
                                                             SpecialAttachment.size, SpecialAttachment.sha256)):
                n += 1
                data = s.scalar(select(SpecialAttachmentData.data).where(SpecialAttachmentData.attachment_id == a_id))
                if data is None or len(data) != size or media.sha256(data) != digest:
                    bad.append(f"{name}（编号 {a_id}）")
        return n, bad


def _stored_name(name: str, mime: str) -> str:
    """The name kept: the file's own name; an image stored as JPEG gets the .jpg ending."""
    base = Path(name).name[:200] or "附件"
    if mime == "image/jpeg" and Path(base).suffix.lower() not in (".jpg", ".jpeg"):
        base = Path(base).stem + ".jpg"
    return base


def _row(a: SpecialAttachment, thumb: bytes | None = None) -> AttachmentRow:
    return AttachmentRow(a.id, a.file_id, a.visit_id, a.kind, a.doc_date, a.note or "", a.filename, a.mime, a.size,
                         a.width, a.height, a.original_size, bool(a.reduced), a.added_at, a.added_by or "", thumb)
