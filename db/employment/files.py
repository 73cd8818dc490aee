"""Proof files of a graduate (a contract scan, a photo of the licence): kept in the database with their
SHA-256, checked each time they are opened. The special-needs ledger's attachment store was not on
main when this was written; the lead may fold these into it."""
from __future__ import annotations

import hashlib
from pathlib import Path

from sqlalchemy import select

from db import audit
from db.context import ServiceContext
from db.employment.dto import FileRow
from db.errors import LedgerError, NotFound, ValidationError
from db.models.employment import Graduate, GraduateFile

MAX_BYTES = 10 * 1024 * 1024
KINDS = {b"%PDF": ".pdf", b"\xff\xd8\xff": ".jpg", b"\x89PNG": ".png"}


def file_kind(data: bytes) -> str | None:
    return next((ext for magic, ext in KINDS.items() if data.startswith(magic)), None)


class FilesMixin:
    _ctx: ServiceContext

    def files(self, graduate_id: int) -> list[FileRow]:
        with self._ctx.read() as s:
            return [FileRow(f.id, f.filename, f.size, f.sha256, f.added_at, f.added_by) for f in s.scalars(
                select(GraduateFile).where(GraduateFile.graduate_id == graduate_id).order_by(GraduateFile.id))]

    def attach(self, graduate_id: int, filename: str, data: bytes) -> FileRow:
        """A PDF, JPEG or PNG up to 10 MB (what a scanner or a phone makes)."""
        name = Path(filename or "").name.strip()
        if not data:
            raise ValidationError({"file": f"文件“{name}”是空的"})
        if len(data) > MAX_BYTES:
            raise ValidationError({"file": f"文件“{name}”有 {len(data) / 1048576:.1f} MB，超过 10 MB"})
        if file_kind(data) is None:
            raise ValidationError({"file": f"文件“{name}”不是 PDF、JPG 或 PNG（只收合同扫描件或照片）"})
        digest = hashlib.sha256(data).hexdigest()
        with self._ctx.write() as s:
            if s.get(Graduate, graduate_id) is None:
                raise NotFound("该毕业生记录已被删除")
            f = GraduateFile(graduate_id=graduate_id, filename=name or f"证明{file_kind(data)}", size=len(data),
                             sha256=digest, added_at=self._ctx.clock.now(), added_by=self._ctx.actor.name, data=data)
            s.add(f)
            s.flush()
            audit.record(s, self._ctx, "create", "graduate_file", f.id, summary=f"就业证明 {f.filename}",
                         after={"graduate_id": graduate_id, "filename": f.filename, "size": f.size, "sha256": digest})
            return FileRow(f.id, f.filename, f.size, f.sha256, f.added_at, f.added_by)

    def open_file(self, file_id: int) -> tuple[str, bytes]:
        with self._ctx.read() as s:
            f = s.get(GraduateFile, file_id)
            if f is None:
                raise NotFound("该文件已被删除")
            data = f.data
            if hashlib.sha256(data).hexdigest() != f.sha256:
                raise LedgerError(f"文件“{f.filename}”的内容与保存时不一致（SHA-256 不符），可能已损坏，请重新上传")
            return f.filename, data

    def delete_file(self, file_id: int) -> None:
        with self._ctx.write() as s:
            f = s.get(GraduateFile, file_id)
            if f is None:
                raise NotFound("该文件已被删除")
            audit.record(s, self._ctx, "delete", "graduate_file", f.id, summary=f"删除就业证明 {f.filename}",
                         before={"graduate_id": f.graduate_id, "filename": f.filename, "sha256": f.sha256})
            s.delete(f)
