"""Pinyin keys for sorting names and for searching by initials ("zs" finds 张三)."""
from __future__ import annotations

import re
from functools import lru_cache

_HAN = re.compile(r"^[\u4e00-\u9fff]+$")

# A name is read with its surname's reading, not the character's everyday one ("qm" finds 覃明, not
# "tm"). Compound surnames first; then single characters whose surname reading differs.
COMPOUND_SURNAMES: dict[str, tuple[str, ...]] = {
    "尉迟": ("yu", "chi"), "万俟": ("mo", "qi"), "单于": ("chan", "yu"), "长孙": ("zhang", "sun"),
    "澹台": ("tan", "tai"), "令狐": ("ling", "hu"), "皇甫": ("huang", "fu"), "诸葛": ("zhu", "ge"),
    "宇文": ("yu", "wen"), "上官": ("shang", "guan"), "欧阳": ("ou", "yang"), "司马": ("si", "ma"),
    "东方": ("dong", "fang"), "公孙": ("gong", "sun"), "慕容": ("mu", "rong"), "司徒": ("si", "tu"),
    "夏侯": ("xia", "hou"), "轩辕": ("xuan", "yuan"), "呼延": ("hu", "yan"), "端木": ("duan", "mu"),
}
SURNAMES: dict[str, str] = {
    "覃": "qin", "曾": "zeng", "单": "shan", "解": "xie", "仇": "qiu", "区": "ou", "朴": "piao", "查": "zha",
    "盖": "ge", "缪": "miao", "翟": "zhai", "乐": "yue", "员": "yun", "召": "shao", "种": "chong", "秘": "bi",
    "繁": "po", "尉": "wei", "燕": "yan", "黑": "he", "柏": "bai", "隗": "wei", "句": "gou", "折": "she",
    "能": "nai", "任": "ren", "华": "hua", "纪": "ji", "冼": "xian", "阚": "kan", "褚": "chu", "曲": "qu",
    "沈": "shen", "费": "fei", "莘": "shen", "卜": "bu",
}


def with_surname(name: str, syllables: list[str]) -> list[str]:
    """The syllables of a name with its surname read as a surname."""
    if len(syllables) < len(name):            # not one syllable per character: leave it alone
        return syllables
    compound = COMPOUND_SURNAMES.get(name[:2])
    if compound and len(name) > 2:
        return [*compound, *syllables[2:]]
    reading = SURNAMES.get(name[:1])
    if reading and len(name) > 1 and syllables[0] != reading:
        return [reading, *syllables[1:]]
    return syllables


@lru_cache(maxsize=1)
def _lazy():
    from pypinyin import Style, lazy_pinyin  # loaded on first use: ~0.3 s, kept out of start-up  # noqa: PLC0415 - start-up: loaded only when used
    return lazy_pinyin, Style


def pinyin_keys(name: str) -> tuple[str, str]:
    """('zhang san feng', 'zsf') for 张三丰; non-Chinese characters pass through lower-cased."""
    lazy_pinyin, style = _lazy()
    syllables = [p.lower() for p in lazy_pinyin(name, style=style.NORMAL, errors="default") if p.strip()]
    syllables = with_surname(name, syllables)
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
        if phrase or not (1 <= n <= 6 and _HAN.match(name)) or name[:2] in COMPOUND_SURNAMES:
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
        if n > 1 and name[0] in SURNAMES:
            syllables = with_surname(name, syllables)
            return " ".join(syllables), "".join(p[0] for p in syllables)
        return " ".join(syllables), "".join(map(self._initials.get, name))
