"""Pinyin keys for sorting names and for searching by initials ("zs" finds 张三)."""
from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=1)
def _lazy():
    from pypinyin import Style, lazy_pinyin   # loaded on first use: ~0.3 s, kept out of start-up
    return lazy_pinyin, Style


def pinyin_keys(name: str) -> tuple[str, str]:
    """('zhang san feng', 'zsf') for 张三丰; non-Chinese characters pass through lower-cased."""
    lazy_pinyin, style = _lazy()
    syllables = [p.lower() for p in lazy_pinyin(name, style=style.NORMAL, errors="default") if p.strip()]
    return " ".join(syllables), "".join(p[0] for p in syllables if p)
