"""Attachments live inside the database: checked and reduced on the way in, their SHA-256 checked on
every read, never changed in place (triggers), and in every backup — restored into a fresh folder they
are intact."""
from __future__ import annotations

import io
import shutil
import sqlite3

import pytest
from PIL import Image
from sqlalchemy import select

from db.backup import backup
from db.clock import FixedClock
from db.context import Actor, ServiceContext
from db.engine import open_database
from db.errors import ValidationError
from db.models.core import AuditLog
from db.special.attachments import AttachmentDamaged
from db.special.dto import HomeVisitForm
from db.special.media import AttachmentError
from db.special.service import SpecialService
from tests.db.special.conftest import jpeg, pdf_bytes


def test_a_photo_goes_in_reduced_with_kind_date_note_and_thumbnail(svc, file_id, tmp_path):
    photo = tmp_path / "IMG_2020.jpeg"
    photo.write_bytes(jpeg(4032, 3024))
    added = svc.add_attachment(file_id, photo, kind="照片", doc_date="2020-10-15", note="家访")
    row = added.row
    assert (row.kind, str(row.doc_date), row.note, row.filename) == ("照片", "2020-10-15", "家访", "IMG_2020.jpeg")
    assert row.reduced and (row.width, row.height) == (2000, 1500) and row.added_by == "李老师"
    assert "照片已缩小：4032×3024 → 2000×1500" in added.note
    (listed,) = svc.attachments(file_id)
    assert listed.thumb and Image.open(io.BytesIO(listed.thumb)).size[0] == 160
    got, data = svc.attachment_data(row.id)
    assert Image.open(io.BytesIO(data)).size == (2000, 1500) and len(data) == got.size


def test_a_png_is_named_jpg_and_a_pdf_is_kept_whole(svc, file_id):
    from tests.db.special.conftest import png
    assert svc.add_attachment(file_id, png(300, 200), name="扫描件.png", kind="残疾人证").row.filename == "扫描件.jpg"
    raw = pdf_bytes()
    row = svc.add_attachment(file_id, raw, name="评估报告.pdf", kind="评估报告").row
    assert svc.attachment_data(row.id)[1] == raw and row.mime == "application/pdf"


def test_refused_files_store_nothing(svc, file_id, sf):
    with pytest.raises(AttachmentError, match="扩展名与内容不符"):
        svc.add_attachment(file_id, pdf_bytes(), name="证件.jpg", kind="残疾人证")
    with pytest.raises(ValidationError) as e:
        svc.add_attachment(file_id, jpeg(10, 10), name="a.jpg", kind="自拍", doc_date="2030-01-01")
    assert set(e.value.problems) == {"kind", "doc_date"}
    assert svc.attachments(file_id) == []
    with sf() as s:
        assert s.scalar(select(AuditLog.id).where(AuditLog.entity == "special_attachment")) is None


def test_visit_photos_belong_to_their_visit(svc, file_id):
    v = svc.save_home_visit(HomeVisitForm(file_id=file_id, visit_date="2020-11-19", teacher1="张", teacher2="李",
                                          content="认知"))
    svc.add_attachment(file_id, jpeg(200, 100), name="p.jpg", kind="送教照片", visit_id=v.id)
    assert svc.home_visits(file_id)[0].photos == 1
    svc.delete_home_visit(v.id)
    assert svc.attachments(file_id)[0].visit_id is None          # the photo stays in the file


def test_the_bytes_cannot_be_changed_in_place(svc, file_id, database):
    row = svc.add_attachment(file_id, jpeg(100, 100), name="a.jpg", kind="照片").row
    con = sqlite3.connect(database.path)
    try:
        with pytest.raises(sqlite3.IntegrityError, match="immutable"):
            con.execute("UPDATE special_attachment_data SET data = x'00' WHERE attachment_id = ?", (row.id,))
        with pytest.raises(sqlite3.IntegrityError, match="immutable"):
            con.execute("UPDATE special_attachment SET sha256 = 'x' WHERE id = ?", (row.id,))
        # someone who drops the trigger and edits the bytes is found out on the next read
        con.execute("DROP TRIGGER special_attachment_data_no_update")
        con.execute("UPDATE special_attachment_data SET data = x'ffd8ff00', thumb = x'00' WHERE attachment_id = ?",
                    (row.id,))
        con.commit()
    finally:
        con.close()
    with pytest.raises(AttachmentDamaged, match="校验值不符"):
        svc.attachment_data(row.id)
    assert svc.attachments(file_id)[0].thumb is None               # a changed thumbnail is not shown either
    assert svc.verify_attachments() == (1, [f"a.jpg（编号 {row.id}）"])


def test_kind_date_and_note_can_be_corrected_and_deletion_is_audited(svc, file_id, sf):
    row = svc.add_attachment(file_id, jpeg(100, 100), name="a.jpg", kind="照片").row
    before = svc.attachment_data(row.id)[1]
    assert svc.update_attachment(row.id, kind="残疾人证", doc_date="2019-06-01", note="正反面").kind == "残疾人证"
    assert svc.attachment_data(row.id)[1] == before             # what it is said to be changed, not its bytes
    svc.delete_attachment(row.id)
    assert svc.attachments(file_id) == []
    with sf() as s:
        actions = [a for a, in s.execute(select(AuditLog.action).where(AuditLog.entity == "special_attachment"))]
    assert actions == ["create", "update", "delete"]


def test_attachments_survive_a_backup_and_a_restore_into_a_fresh_folder(svc, file_id, database, tmp_path):
    photo = svc.add_attachment(file_id, jpeg(3000, 2000), name="p.jpg", kind="照片").row
    raw = pdf_bytes("report")
    report = svc.add_attachment(file_id, raw, name="r.pdf", kind="评估报告").row
    copy = backup(database.path, "test")
    database.dispose()
    fresh = tmp_path / "restored"
    fresh.mkdir()
    shutil.copy(copy, fresh / "ledger.sqlite3")
    db2 = open_database(fresh / "ledger.sqlite3")
    try:
        again = SpecialService(ServiceContext(db2.session_factory, Actor("王老师"), FixedClock(
            svc._ctx.clock.now(), svc._ctx.clock.today())))
        assert again.verify_attachments() == (2, [])
        assert again.attachment_data(report.id)[1] == raw
        assert Image.open(io.BytesIO(again.attachment_data(photo.id)[1])).size == (2000, 1333)
        assert [a.id for a in again.attachments(file_id)] == [a.id for a in svc.attachments(file_id)]
    finally:
        db2.dispose()
