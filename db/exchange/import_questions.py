"""The questions an import preview asks instead of guessing, and what their answers change.

Kept apart from the importer so that value vocabularies can grow without touching its fast path:
- a household known only by head name + place that matches another (import_households.PlaceMatch);
- a category word that does not say which category it is (低保 without 城/乡: import_values).
The officer answers in the wizard (Question.answer); the CLI takes the defaults and lists them.
"""
from __future__ import annotations

from db.exchange import import_values as iv
from db.exchange.dto import ImportPreview, Question, ValueMeaning
from db.exchange.import_fields import Record, category_meaning
from db.exchange.import_households import SAME, SEPARATE, PlaceMatch

NOT_IMPORTED = ""


def _rows_text(rows: list[int], limit: int = 8) -> str:
    shown = "、".join(map(str, rows[:limit]))
    return f"第 {shown}{' 等' if len(rows) > limit else ''} 行"


def household_questions(matches: dict[str, PlaceMatch]) -> list[Question]:
    out = []
    for m in matches.values():
        other = f"第 {m.first_row} 行的家庭" if m.first_row else "数据库中已有的家庭"
        text = (f"{_rows_text(m.rows)}：户主“{m.head}”（{m.place or '未填地址'}）没有户编号和户主身份证号，"
                f"与{other}户主同名、同村组。是同一户吗？")
        out.append(Question(m.key, "household", text, list(m.rows),
                            [(SAME, "是同一户"), (SEPARATE, "不是，另建一户")], SAME))
    return out


def category_questions(records: list[Record]) -> list[Question]:
    rows: dict[str, list[int]] = {}
    for r in records:
        for word in r.asks:
            rows.setdefault(word, []).append(r.row)
    out = []
    for word, where in rows.items():
        choices = [(c, f"记为{c}") for c in iv.AMBIGUOUS_CATEGORIES[word]] + [(NOT_IMPORTED, "不导入该类别")]
        text = f"{_rows_text(where)}的资助对象类别写作“{word}”，没有注明城市或农村：应记为哪一类？"
        out.append(Question("category:" + word, "category", text, where, choices, NOT_IMPORTED))
    return out


def answers(preview: ImportPreview) -> dict[str, str]:
    return {q.key: q.answer for q in preview.questions}


def same_family(preview: ImportPreview):
    given = answers(preview)
    return lambda key: given.get(key, SAME) != SEPARATE


def answered_categories(asks: tuple[str, ...], given: dict[str, str]) -> list[str]:
    """The categories the officer chose for a row's ambiguous words."""
    return [c for w in asks if (c := given.get("category:" + w, NOT_IMPORTED))]


def with_answers(records: list[Record], given: dict[str, str]) -> None:
    """Add the chosen categories to the records that asked (before they are written)."""
    for r in records:
        if r.asks:
            extra = [c for c in answered_categories(r.asks, given) if c not in (r.categories or [])]
            if extra:
                r.categories = [*(r.categories or []), *extra]


def value_meanings(column: str, counts: dict) -> list[ValueMeaning]:
    """Each distinct category cell and what it was taken to mean, most frequent first."""
    out = []
    for key, n in sorted(counts.items(), key=lambda kv: -kv[1]):
        raw = key[1] if isinstance(key, tuple) else key
        out.append(ValueMeaning(column, str(raw), category_meaning(raw), n))
    return out
