"""Pinyin keys for sorting names and for searching by initials ("zs" finds 张三)."""
from __future__ import annotations

import re
from functools import lru_cache

_HAN = re.compile(r"^[\u4e00-\u9fff]+$")


@lru_cache(maxsize=1)
def _lazy():
    from pypinyin import Style, lazy_pinyin  # loaded on first use: ~0.3 s, kept out of start-up  # noqa: PLC0415 - start-up: loaded only when used
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
        from pypinyin.constants import PHRASES_DICT  # noqa: PLC0415 - start-up: loaded only when used
        self._phrases = PHRASES_DICT
        self._names: dict[str, tuple[str, str]] = {}
        self._chars: dict[str, str] = {}        # character -> its syllable, "" if it has none usable
        self._initials: dict[str, str] = {}

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
        syllables = list(map(self._chars.get, name))
        if None in syllables:
            for ch in name:
                if ch not in self._chars:
                    syl = pinyin_keys(ch)[0]
                    self._chars[ch] = syl = "" if " " in syl else syl
                    self._initials[ch] = syl[:1]
            syllables = list(map(self._chars.get, name))
        if "" in syllables:
            return pinyin_keys(name)
        return " ".join(syllables), "".join(map(self._initials.get, name))
