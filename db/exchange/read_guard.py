"""Checks a file must pass before any parser touches it: type by content, zip bombs, encryption,
entity declarations. Each refusal is a LedgerError with a plain Chinese message."""
from __future__ import annotations

import re
import zipfile
import zlib
from pathlib import Path

from db.errors import LedgerError

MAX_FILE_BYTES = 300 * 1024 * 1024          # a county list is a few MB; 300 MB is already absurd
MAX_PART_BYTES = 1024 * 1024 * 1024         # declared uncompressed size of one part of an xlsx
MAX_TOTAL_BYTES = 2 * 1024 * 1024 * 1024
MAX_RATIO = 200                             # real sheet XML compresses 5–30×; bombs 1000× and more
RATIO_FLOOR = 20 * 1024 * 1024              # small parts may compress well; only big ones are judged
CFB_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
_DOCTYPE = re.compile(rb"<!DOCTYPE|<!ENTITY", re.IGNORECASE)


def refuse(path: Path, why: str) -> LedgerError:
    return LedgerError(f"无法读取文件“{path.name}”：{why}")


def sniff(path: Path) -> str:
    """'xlsx', 'xls' or 'csv' judged by the content (the extension may lie)."""
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise refuse(path, "文件不存在") from None
    if size == 0:
        raise refuse(path, "文件是空的（0 字节），可能复制时没有复制完整")
    if size > MAX_FILE_BYTES:
        raise refuse(path, f"文件太大（{size // 1024 // 1024} MB），不像是一份名单")
    with open(path, "rb") as f:
        head = f.read(8)
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "csv"                            # Excel's "Unicode text": UTF-16 with tabs
    if head.startswith(ZIP_MAGIC) or head.startswith(b"PK"):
        return "xlsx"
    if head == CFB_MAGIC:
        if _cfb_encrypted(path):
            raise refuse(path, "工作簿设置了打开密码。请在 Excel/WPS 中输入密码打开，"
                               "“另存为”一份不带密码的文件后再导入")
        return "xls"
    ext = path.suffix.lower()
    if ext in (".xlsx", ".xlsm", ".xls", ".et"):
        raise refuse(path, "这不是 Excel 文件（文件内容与扩展名不符，可能已损坏，或是改了扩展名的其他文件）")
    if b"\x00" in _peek(path, 4096):
        raise refuse(path, "这不是 Excel 或 CSV 文件")
    return "csv"


def _peek(path: Path, n: int) -> bytes:
    with open(path, "rb") as f:
        return f.read(n)


def _cfb_encrypted(path: Path) -> bool:
    """An encrypted OOXML workbook is an OLE compound file holding 'EncryptedPackage'; an encrypted
    .xls carries a FILEPASS record, which calamine reports itself."""
    needle = "EncryptedPackage".encode("utf-16-le")
    with open(path, "rb") as f:
        while chunk := f.read(1 << 20):
            if needle in chunk:
                return True
    return False


def check_zip(path: Path) -> zipfile.ZipFile:
    """Open an xlsx as a zip after checking it is whole, not a bomb and holds a workbook."""
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError, EOFError):
        raise refuse(path, "文件已损坏或不完整（可能没有下载/复制完整），或不是 Excel 文件") from None
    try:
        names = set(zf.namelist())
        if "xl/workbook.xml" not in names and "xl/workbook.bin" not in names:
            raise refuse(path, "压缩包里没有 Excel 工作簿（不是 xlsx 文件）")
        if "xl/workbook.bin" in names:
            raise refuse(path, "这是 xlsb（二进制）格式，请在 Excel/WPS 中另存为 xlsx 后再导入")
        total = 0
        for info in zf.infolist():
            total += info.file_size
            ratio = info.file_size / max(info.compress_size, 1)
            if (info.file_size > MAX_PART_BYTES or total > MAX_TOTAL_BYTES
                    or (info.file_size > RATIO_FLOOR and ratio > MAX_RATIO)):
                raise refuse(path, "文件解压后异常巨大（疑似“压缩炸弹”），为保护电脑已拒绝读取")
        for info in zf.infolist():
            if info.filename.endswith((".xml", ".rels")):
                check_no_doctype(path, zf, info.filename)
    except LedgerError:
        zf.close()
        raise
    except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError, ValueError, RuntimeError, zlib.error):
        # a damaged deflate stream (zlib.error), an unknown method or version (NotImplementedError),
        # an encrypted part (RuntimeError): all a damaged file to the user
        zf.close()
        raise refuse(path, "文件已损坏或不完整，无法解压") from None
    return zf


def check_no_doctype(path: Path, zf: zipfile.ZipFile, name: str, limit: int = 64 * 1024) -> bytes:
    """Refuse DTDs: an xlsx never needs one, and entity tricks (billion laughs, external entities)
    live there. Returns the bytes read (the prolog and the start of the part)."""
    with zf.open(name) as f:
        head = f.read(limit)
    if _DOCTYPE.search(head):
        raise refuse(path, f"文件中含有不允许的 XML 声明（DOCTYPE/ENTITY，位于 {name}），可能是恶意文件，已拒绝读取")
    return head
