"""What an attachment must be before it is stored: its bytes say what its extension says, it is
within the size limit, photos come out upright, at most 2000 px, JPEG, without EXIF (no GPS)."""
from __future__ import annotations

import io

import pytest
from PIL import Image

from db.special import media
from db.special.media import AttachmentError, prepare
from tests.db.special.conftest import jpeg, pdf_bytes, png


@pytest.mark.parametrize("name, raw, words", [
    ("证件.jpg", b"%PDF-1.4\n...", "内容是PDF 文件，不是JPEG 图片"),
    ("报告.pdf", b"\xff\xd8\xff\xe0" + b"0" * 100, "内容是JPEG 图片，不是PDF 文件"),
    ("照片.png", b"MZ\x90\x00" + b"0" * 100, "可执行程序"),
    ("报告.pdf", b"PK\x03\x04" + b"0" * 100, "Office 文档"),
    ("照片.jpg", b"\x00\x00\x00\x18ftypheic" + b"0" * 100, "HEIC"),
    ("照片.jpg", b"hello world", "无法识别的内容"),
    ("说明.docx", b"PK\x03\x04", "只能添加 JPG、PNG、BMP、TIFF 图片或 PDF 文件"),
    ("空.jpg", b"", "空文件"),
])
def test_what_the_bytes_are_must_be_what_the_name_says(name, raw, words):
    with pytest.raises(AttachmentError, match=words) as e:
        prepare(name, raw)
    assert name in str(e.value)


def test_a_phone_photo_is_reduced_turned_upright_and_loses_its_exif():
    exif = Image.Exif()
    exif[0x0112] = 6                       # Orientation: rotate 90° clockwise to view
    exif[0x8825] = {1: "N", 2: (31.0, 52.0, 10.0)}     # a GPS position
    raw = jpeg(4000, 3000, exif=exif)
    got = prepare("IMG_0001.JPG", raw)
    img = Image.open(io.BytesIO(got.data))
    assert img.format == "JPEG" and (img.width, img.height) == (1500, 2000) == (got.width, got.height)
    assert got.reduced and got.original_size == len(raw) > len(got.data)
    assert "照片已缩小：4000×3000 → 1500×2000" in got.note and "拍摄地点" in got.note
    assert not img.getexif()
    # upright: the mark that was top-left is now top-right
    assert img.getpixel((1400, 100))[2] > 150 and img.getpixel((100, 100))[2] < 100
    thumb = Image.open(io.BytesIO(got.thumb))
    assert max(thumb.size) == media.THUMB_SIDE


def test_a_small_png_is_stored_as_jpeg_on_white_without_being_called_reduced():
    got = prepare("扫描.png", png(800, 600))
    img = Image.open(io.BytesIO(got.data))
    assert img.format == "JPEG" and img.size == (800, 600) and not got.reduced
    assert img.getpixel((10, 10)) == pytest.approx((255, 255, 255), abs=3)      # transparency on white


def test_a_pdf_is_kept_as_it_is_with_a_thumbnail():
    raw = pdf_bytes()
    got = prepare("评估报告.pdf", raw)
    assert got.data == raw and got.mime == "application/pdf" and not got.reduced
    assert Image.open(io.BytesIO(got.thumb)).format == "JPEG"


def test_a_truncated_pdf_or_jpeg_is_refused():
    raw = pdf_bytes()
    with pytest.raises(AttachmentError, match="不是完整的 PDF"):
        prepare("a.pdf", raw[: len(raw) // 2])
    photo = jpeg(1200, 900)
    with pytest.raises(AttachmentError, match="已损坏"):
        prepare("a.jpg", photo[:600])


def test_size_limits_per_file_say_the_size_and_the_limit(monkeypatch):
    monkeypatch.setattr(media, "MAX_PDF_BYTES", 1024)
    with pytest.raises(AttachmentError, match=r"“大.pdf”有 \d+ KB，超过每个PDF附件 1 KB 的上限"):
        prepare("大.pdf", pdf_bytes("x" * 2000) + b"\n" * 2000 + b"%%EOF")
    monkeypatch.setattr(media, "MAX_IMAGE_BYTES", 2048)
    with pytest.raises(AttachmentError, match="超过每个图片附件"):
        prepare("大.jpg", jpeg(600, 600))


def test_a_decompression_bomb_is_refused(monkeypatch):
    monkeypatch.setattr(media, "MAX_PIXELS", 1000 * 1000)
    with pytest.raises(AttachmentError, match="尺寸 1200×1000 过大"):
        prepare("bomb.png", png(1200, 1000, "1"))
