"""Pinyin keys for sorting names and for searching by initials ("zs" finds 张三)."""
from __future__ import annotations

import re
from functools import lru_cache

_HAN = re.compile(r"^[\u4e00-\u9fff]+$")


@lru_cache(maxsize=1)
def _lazy():
    from pypinyin import Style, lazy_pinyin   # loaded on first use: ~0.3 s, kept out of start-up
    return lazy_pinyin, Style


def pinyin_keys(name: str) -> tuple[str, str]:
    """('zhang san feng', 'zsf') for 张三丰; non-Chinese characters pass through lower-cased."""
    lazy_pinyin, style = _lazy()
    syllables = [p.lower() for p in lazy_pinyin(name, style=style.NORMAL, errors="default") if p.strip()]
    return " ".join(syllables), "".join(p[0] for p in syllables if p)


class PinyinCache:
    """db.pinyin.pinyin_keys per name, ~20x faster on 100,000 names: a name of common characters
    that contains no dictionary phrase is read character by character (which is exactly what
    pypinyin does with it); anything else goes through pinyin_keys itself."""

    def __init__(self) -> None:
        from pypinyin.constants import PHRASES_DICT
        self._phrases = PHRASES_DICT
        self._names: dict[str, tuple[str, str]] = {}
        self._chars: dict[str, str] = {}

    def __call__(self, name: str) -> tuple[str, str]:
        keys = self._names.get(name)
        if keys is None:
            keys = self._names[name] = self._compute(name)
        return keys

    def _compute(self, name: str) -> tuple[str, str]:
        n = len(name)
        ph = self._phrases
        if n == 2:
            phrase = name in ph
        elif n == 3:
            phrase = name[:2] in ph or name[1:] in ph or name in ph
        else:
            phrase = any(name[i:j] in ph for i in range(n) for j in range(i + 2, n + 1))
        if phrase or not (1 <= n <= 6 and _HAN.match(name)):
            return pinyin_keys(name)
        chars = self._chars
        syllables = []
        for ch in name:
            syl = chars.get(ch)
            if syl is None:
                syl = chars[ch] = pinyin_keys(ch)[0]
            if not syl or " " in syl:
                return pinyin_keys(name)
            syllables.append(syl)
        return " ".join(syllables), "".join([x[0] for x in syllables])
