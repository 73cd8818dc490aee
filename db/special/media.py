"""What an attachment's bytes must be before they are stored (pure: bytes in, bytes out).

- Only JPG/JPEG, PNG, BMP, TIFF images and PDF files; the file's first bytes (its "magic") must say
  the same type as its extension, or it is refused — a renamed .exe or a Word file called .pdf never
  goes in. An iPhone's HEIC photo is named as such (convert it to JPG on the phone).
- Size limits per file: MAX_IMAGE_BYTES for an image as added (a phone photo is then reduced),
  MAX_PDF_BYTES for a PDF (stored as it is).
- Every image is stored as a JPEG of at most MAX_SIDE pixels on its long side (quality 85), turned
  upright by its EXIF orientation and WITHOUT its EXIF data (a phone photo's GPS position is the
  family's home). A small JPEG thumbnail goes with it; a PDF gets one of its first page when it can
  be drawn.
"""
from __future__ import annotations

import hashlib
import io
import warnings
from dataclasses import dataclass
from pathlib import PurePath

from PIL import Image, ImageOps, UnidentifiedImageError

from db.errors import LedgerError

MAX_IMAGE_BYTES = 30 * 1024 * 1024
MAX_PDF_BYTES = 10 * 1024 * 1024
MAX_SIDE = 2000
THUMB_SIDE = 160
JPEG_QUALITY = 85
MAX_PIXELS = 80_000_000          # 80 megapixels: more is no photo or scan, but a decompression bomb

EXTENSIONS = {".jpg": "jpeg", ".jpeg": "jpeg", ".png": "png", ".bmp": "bmp", ".tif": "tiff", ".tiff": "tiff",
              ".pdf": "pdf"}
TYPE_NAMES = {"jpeg": "JPEG 图片", "png": "PNG 图片", "bmp": "BMP 图片", "tiff": "TIFF 图片", "pdf": "PDF 文件",
              "heic": "苹果手机 HEIC 照片", "gif": "GIF 动图", "zip": "压缩包或 Office 文档（docx/xlsx）",
              "ole": "旧版 Office 文档（doc/xls）", "exe": "可执行程序"}
ALLOWED_TEXT = "JPG、PNG、BMP、TIFF 图片或 PDF 文件"


class AttachmentError(LedgerError):
    """A file that cannot be an attachment; the message names the file and says why."""


@dataclass(frozen=True)
class Prepared:
    data: bytes
    mime: str                     # image/jpeg or application/pdf
    width: int | None
    height: int | None
    original_size: int
    reduced: bool                 # the stored image is smaller than the one added
    thumb: bytes | None
    note: str                     # what was done, in Chinese ("照片已缩小：4032×3024 → 2000×1500 …")


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sniff(head: bytes) -> str:
    """The type the first bytes say ('' when unknown)."""
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"BM"):
        return "bmp"
    if head[:4] in (b"II*\x00", b"MM\x00*"):
        return "tiff"
    if b"%PDF-" in head[:1024]:
        return "pdf"
    if head[4:8] == b"ftyp" and head[8:12] in (b"heic", b"heix", b"mif1", b"msf1", b"hevc"):
        return "heic"
    if head.startswith((b"GIF87a", b"GIF89a")):
        return "gif"
    if head.startswith(b"PK\x03\x04"):
        return "zip"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return "ole"
    if head.startswith(b"MZ"):
        return "exe"
    return ""


def size_text(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB" if n >= 1024 * 1024 else f"{max(1, round(n / 1024))} KB"


def check_type(name: str, raw: bytes) -> str:
    """The file's type ('jpeg' … 'pdf') if its extension and its bytes agree; AttachmentError otherwise."""
    ext = PurePath(name).suffix.lower()
    want = EXTENSIONS.get(ext)
    if want is None:
        raise AttachmentError(f"“{name}”：只能添加 {ALLOWED_TEXT}")
    if not raw:
        raise AttachmentError(f"“{name}”是空文件")
    found = sniff(raw[:1024])
    if found == "heic":
        raise AttachmentError(f"“{name}”是苹果手机的 HEIC 照片，请在手机上改为“兼容性最佳”（JPG）后重新拍摄或导出")
    if found != want:
        what = TYPE_NAMES.get(found, "无法识别的内容")
        raise AttachmentError(f"“{name}”的扩展名是 {ext}，但文件内容是{what}，不是{TYPE_NAMES[want]}；"
                              "扩展名与内容不符的文件不能添加")
    limit = MAX_PDF_BYTES if want == "pdf" else MAX_IMAGE_BYTES
    if len(raw) > limit:
        kind = "PDF" if want == "pdf" else "图片"
        hint = "请用扫描仪的“压缩”或“黑白”设置重新扫描，或分成几个文件" if want == "pdf" else "请换一张照片"
        raise AttachmentError(f"“{name}”有 {size_text(len(raw))}，超过每个{kind}附件 {size_text(limit)} 的上限；{hint}")
    return want


def prepare(name: str, raw: bytes) -> Prepared:
    """Check a file and make what is stored: see the module docstring."""
    kind = check_type(name, raw)
    if kind == "pdf":
        return _pdf(name, raw)
    return _image(name, raw)


def _pdf(name: str, raw: bytes) -> Prepared:
    if b"%%EOF" not in raw[-2048:]:
        raise AttachmentError(f"“{name}”不是完整的 PDF 文件（可能没有下载或复制完），请重新获取后再添加")
    return Prepared(raw, "application/pdf", None, None, len(raw), False, pdf_thumbnail(raw), "PDF 原样保存")


def _open(name: str, raw: bytes) -> Image.Image:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            img = Image.open(io.BytesIO(raw))
            if img.width * img.height > MAX_PIXELS:
                raise AttachmentError(f"“{name}”的尺寸 {img.width}×{img.height} 过大，不像照片或扫描件，未添加")
            return img
    except (Image.DecompressionBombWarning, Image.DecompressionBombError):
        raise AttachmentError(f"“{name}”的尺寸过大，不像照片或扫描件，未添加") from None
    except (UnidentifiedImageError, OSError, ValueError):
        raise AttachmentError(f"“{name}”已损坏，无法作为图片打开") from None


def _image(name: str, raw: bytes) -> Prepared:
    img = _open(name, raw)
    ow, oh = img.size
    try:
        if img.format == "JPEG" and max(ow, oh) > MAX_SIDE:
            scale = MAX_SIDE / max(ow, oh)
            img.draft("RGB", (max(1, int(ow * scale)), max(1, int(oh * scale))))   # decode at a smaller size
        img = ImageOps.exif_transpose(img)
        img = _rgb(img)
        if max(img.size) > MAX_SIDE:
            img.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
        data = _jpeg(img, JPEG_QUALITY)
        thumb = img.copy()
        thumb.thumbnail((THUMB_SIDE, THUMB_SIDE), Image.Resampling.LANCZOS)
        thumb_data = _jpeg(thumb, 80)
    except (OSError, ValueError, SyntaxError):
        raise AttachmentError(f"“{name}”已损坏（图片数据不完整），无法保存") from None
    w, h = img.size
    reduced = (w, h) != (ow, oh) and max(ow, oh) > MAX_SIDE
    note = (f"照片已缩小：{ow}×{oh} → {w}×{h}，{size_text(len(raw))} → {size_text(len(data))}" if reduced
            else f"图片存为 JPEG：{w}×{h}，{size_text(len(data))}") + "；已去除拍摄地点等信息"
    return Prepared(data, "image/jpeg", w, h, len(raw), reduced, thumb_data, note)


def _rgb(img: Image.Image) -> Image.Image:
    """RGB on a white background (transparent PNGs, palettes, CMYK scans, 16-bit greys)."""
    if img.mode == "RGB":
        return img
    if img.mode in ("P", "PA", "LA", "RGBA") or "transparency" in img.info:
        rgba = img.convert("RGBA")
        back = Image.new("RGB", rgba.size, (255, 255, 255))
        back.paste(rgba, mask=rgba.getchannel("A"))
        return back
    if img.mode.startswith("I"):
        img = img.point(lambda v: v / 256).convert("L")
    return img.convert("RGB")


def _jpeg(img: Image.Image, quality: int) -> bytes:
    out = io.BytesIO()
    img.save(out, "JPEG", quality=quality, optimize=True)
    return out.getvalue()


def pdf_thumbnail(raw: bytes) -> bytes | None:
    """A thumbnail of a PDF's first page, or None when it cannot be drawn (encrypted, damaged)."""
    import pypdfium2 as pdfium  # noqa: PLC0415 - start-up: loaded only when used
    try:
        doc = pdfium.PdfDocument(raw)
        try:
            page = doc[0]
            w, h = page.get_size()
            scale = THUMB_SIDE / max(w, h, 1)
            bitmap = page.render(scale=scale)
            img = _rgb(bitmap.to_pil())
            return _jpeg(img, 80)
        finally:
            doc.close()
    except Exception:       # any failure of the renderer only means: no thumbnail
        return None
