"""Money is an integer number of fen, everywhere. This is the only place yuan text is parsed."""
from __future__ import annotations

import re
from decimal import Decimal

_YUAN = re.compile(r"^(\d{1,9})(?:\.(\d{1,2}))?$")


def parse_yuan(text: str) -> int:
    """'312.5' -> 31250. Refuses negatives, more than two decimals and anything not a number."""
    s = str(text).strip().replace(",", "").replace("，", "").removesuffix("元")
    if s.startswith("-"):
        raise ValueError("金额不能为负数")
    m = _YUAN.match(s)
    if not m:
        if re.match(r"^\d+\.\d{3,}$", s):
            raise ValueError("金额最多保留两位小数（精确到分）")
        raise ValueError(f"“{text}”不是有效金额")
    return int(m.group(1)) * 100 + int((m.group(2) or "").ljust(2, "0"))


def format_yuan(fen: int) -> str:
    sign = "-" if fen < 0 else ""
    fen = abs(fen)
    return f"{sign}{fen // 100:,}.{fen % 100:02d}"


def fen_to_decimal(fen: int) -> Decimal:
    """Exact yuan with two places (for a spreadsheet cell or JSON)."""
    return (Decimal(fen) / 100).quantize(Decimal("0.01"))
