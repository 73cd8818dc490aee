"""Fonts for printed documents: TrueType CJK fonts found on the system, embedded as subsets.

Three faces, as Chinese official documents use them: a 黑体-like face for titles, a 宋体-like face for
the body and a 仿宋-like face where a form wants it, plus fallback fonts for rare characters in names
(CJK Extension B and later: 𠮷 𪚥 …). Only TrueType (glyf) fonts are used: reportlab refuses OTF/CFF
(Noto CJK) and an unembedded CID font shows as boxes on a PC without it. Microsoft's fonts are used
where Windows has them, never shipped.

    Windows  simhei.ttf (黑体), simsun.ttc (宋体), simfang.ttf (仿宋), simsunb.ttf (SimSun-ExtB)
    Linux    fonts-wqy-zenhei (黑体-like), fonts-arphic-uming (宋体-like), fonts-hanazono (Ext A–F)

`ZHUXUE_FONT_DIRS` (os.pathsep-separated folders) is searched first, for the same file names.

Coverage: every text goes through `FontSet.runs(text, face)`, which cuts it into runs per font. A
character that no font has is drawn as 〔U+XXXXX〕 and recorded in `FontSet.missing` so that the caller
can say which character cannot be printed — never a blank box in silence.
"""
from __future__ import annotations

import os
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path

from reportlab.pdfbase import ttfonts as _ttfonts

from db.errors import LedgerError

TITLE, BODY, FANG = "title", "body", "fang"

# (file name, index in a .ttc) per face, best first
CANDIDATES: dict[str, list[tuple[str, int]]] = {
    TITLE: [("simhei.ttf", 0), ("wqy-zenhei.ttc", 0), ("wqy-microhei.ttc", 0), ("uming.ttc", 0)],
    BODY: [("simsun.ttc", 0), ("uming.ttc", 0), ("wqy-zenhei.ttc", 0), ("wqy-microhei.ttc", 0)],
    FANG: [("simfang.ttf", 0), ("simsun.ttc", 0), ("uming.ttc", 0), ("wqy-zenhei.ttc", 0)],
}
FALLBACKS: list[tuple[str, int]] = [("simsunb.ttf", 0), ("HanaMinA.ttf", 0), ("HanaMinB.ttf", 0)]
FONT_PACKAGES = "fonts-wqy-zenhei fonts-arphic-uming fonts-hanazono"


def font_dirs() -> list[Path]:
    dirs = [Path(p) for p in os.environ.get("ZHUXUE_FONT_DIRS", "").split(os.pathsep) if p]
    if sys.platform == "win32":  # pragma: no cover - Windows only
        windir = os.environ.get("WINDIR", r"C:\Windows")
        dirs += [Path(windir) / "Fonts",
                 Path(os.environ.get("LOCALAPPDATA", "")) / "Microsoft" / "Windows" / "Fonts"]
    else:
        dirs += [Path("/usr/share/fonts/truetype"), Path("/usr/local/share/fonts"),
                 Path.home() / ".local/share/fonts", Path.home() / ".fonts"]
    return [d for d in dirs if d.is_dir()]


def _index(dirs: list[Path]) -> dict[str, Path]:
    """Lower-case file name -> path of the first font file with that name (folders in order)."""
    wanted = {n.lower() for c in CANDIDATES.values() for n, _ in c} | {n.lower() for n, _ in FALLBACKS}
    found: dict[str, Path] = {}
    for d in dirs:
        for root, _dirs, files in os.walk(d):
            for f in files:
                low = f.lower()
                if low in wanted and low not in found:
                    found[low] = Path(root) / f
    return found


@dataclass
class Face:
    name: str                 # the reportlab font name
    path: Path
    index: int
    chars: frozenset[int] | dict   # code points the font has a glyph for


@dataclass
class FontSet:
    """The registered faces. `missing` collects characters no font could draw (char -> texts)."""
    faces: dict[str, Face]
    fallbacks: list[Face]
    missing: dict[str, set[str]] = field(default_factory=dict)

    def font(self, face: str) -> str:
        return self.faces[face].name

    def covers(self, ch: str, face: str = BODY) -> bool:
        return ord(ch) in self.faces[face].chars or any(ord(ch) in f.chars for f in self.fallbacks)

    def runs(self, text: str, face: str = BODY) -> list[tuple[str, str]]:
        """[(font name, text)]: the face's font where it has the glyph, else the first fallback that
        has it, else a visible 〔U+XXXX〕 marker in the face's font (and the character is recorded)."""
        main = self.faces[face]
        chars = main.chars
        if all(ord(c) in chars or c in "\n\t" for c in text):      # the common case: one run
            return [(main.name, text)]
        out: list[tuple[str, str]] = []
        for c in text:
            font, piece = main.name, c
            if ord(c) not in chars and c not in "\n\t":
                fb = next((f for f in self.fallbacks if ord(c) in f.chars), None)
                if fb is not None:
                    font = fb.name
                else:
                    piece = f"〔U+{ord(c):04X}〕"
                    self.missing.setdefault(c, set()).add(text[:40])
            if out and out[-1][0] == font:
                out[-1] = (font, out[-1][1] + piece)
            else:
                out.append((font, piece))
        return out

    def take_missing(self) -> dict[str, set[str]]:
        got, self.missing = self.missing, {}
        return got


def _utf16_hex(code: int) -> str:
    return code.to_bytes(4, "big").hex().upper()[4:] if code <= 0xFFFF else \
        chr(code).encode("utf-16-be").hex().upper()


def _to_unicode_cmap(fontname, subset):
    """reportlab's ToUnicode CMap writes a code point above U+FFFF as 5 hex digits, which readers take
    as U+20BB and garbage: 𠮷 in a name would extract (and copy, and search) wrongly. Same CMap, with
    UTF-16 surrogate pairs for those characters."""
    text = _original_cmap(fontname, subset)
    if all(v <= 0xFFFF for v in subset):
        return text
    head, _sep, rest = text.partition("beginbfchar\n")
    _body, _sep2, tail = rest.partition("\nendbfchar")
    body = "\n".join(f"<{i:02X}> <{_utf16_hex(v)}>" for i, v in enumerate(subset))
    return f"{head}beginbfchar\n{body}\nendbfchar{tail}"


_original_cmap = getattr(_ttfonts.makeToUnicodeCMap, "__wrapped__", _ttfonts.makeToUnicodeCMap)
_to_unicode_cmap.__wrapped__ = _original_cmap
_ttfonts.makeToUnicodeCMap = _to_unicode_cmap

_lock = threading.Lock()
_cache: dict[tuple, tuple[dict[str, Face], list[Face]]] = {}


def _register(name: str, path: Path, index: int) -> Face:
    from reportlab.pdfbase import pdfmetrics  # noqa: PLC0415 - start-up: loaded only when used
    from reportlab.pdfbase.ttfonts import TTFError, TTFont  # noqa: PLC0415 - start-up: loaded only when used
    try:
        font = TTFont(name, str(path), subfontIndex=index)
    except (TTFError, OSError) as e:
        raise LedgerError(f"字体文件 {path} 无法使用（{e}）") from None
    pdfmetrics.registerFont(font)
    return Face(name, path, index, font.face.charToGlyph)


def load_fonts() -> FontSet:
    """A FontSet for one render (its own `missing`); the fonts are found and registered once per
    process (and per ZHUXUE_FONT_DIRS). LedgerError in Chinese when no TrueType CJK font is found."""
    dirs = font_dirs()
    key = tuple(str(d) for d in dirs)
    with _lock:
        if key not in _cache:
            _cache[key] = _find(dirs)
        faces, fallbacks = _cache[key]
    return FontSet(faces, fallbacks)


def _find(dirs: list[Path]) -> tuple[dict[str, Face], list[Face]]:
    tag = f"ZX{len(_cache)}"
    found = _index(dirs)
    faces: dict[str, Face] = {}
    by_file: dict[tuple[str, int], Face] = {}
    for face, cands in CANDIDATES.items():
        pick = next(((n, i) for n, i in cands if n.lower() in found), None)
        if pick is None:
            raise LedgerError("找不到可嵌入的中文字体，无法生成 PDF。Windows 请确认系统字体中有宋体和黑体；"
                              f"Linux 请安装 {FONT_PACKAGES}")
        if pick not in by_file:
            by_file[pick] = _register(f"{tag}-{face}", found[pick[0].lower()], pick[1])
        faces[face] = by_file[pick]
    fallbacks = []
    for n, i in FALLBACKS:
        if n.lower() in found:
            fallbacks.append(by_file.get((n, i)) or _register(f"{tag}-fb{len(fallbacks)}",
                                                             found[n.lower()], i))
    return faces, fallbacks
