"""One source row -> a clean student record, its household keys and its problems.

Fatal problems (no name, an ID Excel has destroyed, a bad check character …) reject the row; the
rest are warnings and the doubtful value is left out (never guessed).
"""
from __future__ import annotations

import datetime as dt
import operator
from collections.abc import Sequence
from itertools import repeat

from db.exchange import import_values as iv
from db.exchange.import_fields import (
    _ABSENT,
    _CACHE_LIMIT,
    _FREE_TEXT,
    _NUMBERS,
    _REPEATING,
    FIELD_NAMES,
    HOUSEHOLD_KEYS,
    STUDENT_COLUMNS,
    Issue,
    Record,
    _blank,
    _categories,
    _key,
    _shown,
)
from db.exchange.reader import SourceRow
from db.validators import (
    NAME,
    NAME_RULE,
    OLDEST_PUPIL,
    YOUNGEST_PUPIL,
    IdNumberError,
    check_bank_card,
    normalize_phone,
    normalize_student_no,
    parse_student_id,
    pupil_age_problem,
)


class _Batch:
    """The rows of one check: the raw columns, the parsed values so far and the problems."""
    __slots__ = ("rows", "columns", "n", "issues", "st", "hh", "infos")

    def __init__(self, rows: list[int], columns: dict[str, Sequence]) -> None:
        self.rows, self.columns, self.n = rows, columns, len(rows)
        self.issues: list[list[Issue] | None] = [None] * self.n
        self.st: dict[str, list] = {}           # student field -> value per row (None: no value)
        self.hh: dict[str, list] = {}           # household field -> value per row
        self.infos: list = [None] * self.n      # IdInfo per row

    def bad(self, i: int, fld: str, reason: str, fatal: bool = False) -> None:
        col = self.columns.get(fld)
        found = self.issues[i]
        if found is None:
            found = self.issues[i] = []
        found.append(Issue(fld, _shown(col[i] if col is not None else None), reason, fatal))

    def filled(self, fld: str):
        """(row index, raw cell) of the non-blank cells of a column."""
        col = self.columns.get(fld)
        if col is None:
            return ()
        return [(i, x) for i, x in enumerate(col) if not (x is None or x == "" or (x.__class__ is str and x.isspace()))]

    def records(self, cats: Sequence, asks: Sequence) -> list[Record]:
        n, st, hh = self.n, self.st, self.hh
        data = zip(*[st.get(c) or repeat(None, n) for c in STUDENT_COLUMNS])
        if hh:
            hdata, last = [], None
            for h in zip(*[hh.get(c) or repeat(None, n) for c in HOUSEHOLD_KEYS]):
                if h != last:                   # brothers and sisters share one tuple
                    last = None if h.count(None) == len(h) else h
                hdata.append(last)
        else:
            hdata = repeat(None, n)
        return list(map(Record, self.rows, data, hdata, cats, [x or () for x in self.issues], asks))


class RowChecker:
    """Checks the rows of a list column by column. A repeating column (village, grade, household
    head …) is parsed once per distinct raw value and looked up for the rest, in list
    comprehensions; only the columns whose values are unique per child (name, ID, 学籍号, phone,
    card) are checked row by row. The problems of a row come out in a fixed order: name, ID,
    学籍号, the repeating columns as they stand in the file, then the checks across columns."""

    def __init__(self, fields=None, *, today: dt.date | None = None) -> None:
        # a blank cell is as good as an absent one
        self._caches: dict[str, dict] = {f: {"": _ABSENT, None: _ABSENT} for f in _REPEATING}
        self._caches.update(grade={}, categories={})
        self._has_categories = fields is None or "categories" in fields
        self._with_errors: set[int] = set()
        self._today = today or dt.date.today()
        self.category_values: dict = {}     # raw category cell (cache key) -> rows that have it

    def _parse(self, cache: dict, key, fn, raw) -> tuple:
        if raw.__class__ is str and raw.isspace():
            hit = _ABSENT
        else:
            try:
                hit = (fn(raw), None)
            except (ValueError, IdNumberError) as e:
                hit = (None, str(e))
            if hit[1] is None and hit[0] == "":
                hit = _ABSENT
        if len(cache) < _CACHE_LIMIT:
            cache[key] = hit
        if hit[1] is not None:
            self._with_errors.add(id(cache))    # only these caches can hand out a problem
        return hit

    def __call__(self, src: SourceRow) -> Record:
        return self.check([src.row], {f: (v,) for f, v in src.values.items()})[0]

    def check(self, rows: list[int], columns: dict[str, Sequence]) -> list[Record]:
        """rows: the sheet row numbers; columns: field -> raw cells, one per row, in file order."""
        b = _Batch(rows, columns)
        self._names(b)
        self._ids(b)
        self._student_nos(b)
        for fld, raw in columns.items():
            if fld in _REPEATING:
                self._repeating(b, fld, raw)
        self._texts(b)
        self._from_id(b)
        self._grades(b)
        self._phones(b)
        self._cards(b)
        return b.records(*self._categories(b))

    def _names(self, b: _Batch) -> None:
        """Every row needs a name; rare characters (𠮷, 䶮) and the middle dot are kept as they are."""
        names = b.st["name"] = list(map(iv.cell_text, b.columns.get("name", repeat(None, b.n))))
        for i, name in enumerate(names):
            if not name:
                b.bad(i, "name", "姓名为空", True)
            elif not NAME.match(name):
                b.bad(i, "name", NAME_RULE, True)

    def _ids(self, b: _Batch) -> None:
        ids: list = [None] * b.n
        today = self._today
        for i, x in b.filled("id_number"):
            try:
                info = b.infos[i] = parse_student_id(x, today=today)
            except IdNumberError as e:
                b.bad(i, "id_number", str(e), True)
                continue
            ids[i] = info.number
            if info.converted_from_15:
                b.bad(i, "id_number", f"15 位旧身份证号已转换为 18 位：{info.number}，请核对")
            elif info.birth_date.year < today.year - OLDEST_PUPIL or info.birth_date.year >= today.year - YOUNGEST_PUPIL:
                problem = pupil_age_problem(info.birth_date, today)
                if problem:
                    b.bad(i, "id_number", f"身份证号中的{problem}")
        b.st["id_number"] = ids

    def _student_nos(self, b: _Batch) -> None:
        """学籍号: usually G + the same ID, already checked. A row needs an ID or an L/J number."""
        nos: list = [None] * b.n
        ids, infos = b.st["id_number"], b.infos
        for i, x in b.filled("student_no"):
            info = infos[i]
            if info is not None and x.__class__ is str and x[1:] == info.number and x[:1] in "Gg":
                nos[i] = x if x[0] == "G" else "G" + info.number
                continue
            try:
                nos[i] = normalize_student_no(x, ids[i])
            except ValueError as e:
                b.bad(i, "student_no", f"{e}，学籍号未导入")
        b.st["student_no"] = nos
        raw_ids = b.columns.get("id_number")
        for i in [i for i, x in enumerate(ids) if x is None] if None in ids else ():
            if (raw_ids is None or _blank(raw_ids[i])) and not (nos[i] or "").startswith(("L", "J")):
                b.bad(i, "id_number", "身份证号为空（无身份证号的学生须有 L 或 J 字头学籍号）", True)

    def _repeating(self, b: _Batch, fld: str, raw: Sequence) -> None:
        """One parse per distinct value of a column whose values repeat."""
        fn, to_household = _REPEATING[fld]
        cache = self._caches[fld]
        hits = list(map(cache.get, raw))
        if None in hits:                    # new values, and numbers (keyed with their type)
            parse = self._parse
            for i in [i for i, h in enumerate(hits) if h is None]:
                x = raw[i]
                key = (x.__class__, x) if x.__class__ in _NUMBERS else x
                hit = cache.get(key)        # the same value may have been parsed earlier in this batch
                hits[i] = parse(cache, key, fn, x) if hit is None else hit
        (b.hh if to_household else b.st)[fld] = list(map(_first, hits))
        if id(cache) in self._with_errors and any(map(_second, hits)):
            for i, h in enumerate(hits):
                if h[1] is not None:
                    b.bad(i, fld, h[1])

    def _texts(self, b: _Batch) -> None:
        """Free text (notes, address) is kept whole with its line breaks; only a value longer than
        its column can hold is cut, and the row says so."""
        for fld, (limit, to_household) in _FREE_TEXT.items():
            if fld not in b.columns:
                continue
            values: list = [None] * b.n
            for i, x in b.filled(fld):
                text = iv.free_text(x)
                if limit and len(text) > limit:
                    b.bad(i, fld, f"{FIELD_NAMES[fld]}有 {len(text)} 个字，超过 {limit} 字，只导入了前 {limit} 个字")
                    text = text[:limit]
                values[i] = text or None
            (b.hh if to_household else b.st)[fld] = values

    def _from_id(self, b: _Batch) -> None:
        """Across columns: the ID decides birth date and gender."""
        st = b.st
        births = st.get("birth_date") or [None] * b.n
        genders = st.get("gender") or [None] * b.n
        st["birth_date"], st["gender"] = births, genders
        for i, info in enumerate(b.infos):
            if info is None:
                if births[i] is not None:
                    problem = pupil_age_problem(births[i], self._today)
                    if problem:
                        b.bad(i, "birth_date", problem)
                continue
            if births[i] is not None and births[i] != info.birth_date:
                b.bad(i, "birth_date", f"出生日期与身份证号不一致，以身份证号为准（{info.birth_date:%Y-%m-%d}）")
            if genders[i] is not None and genders[i] != info.gender.value:
                b.bad(i, "gender", f"性别与身份证号不一致，以身份证号为准（{info.gender.value}）")
            births[i], genders[i] = info.birth_date, info.gender.value

    def _grades(self, b: _Batch) -> None:
        if "grade" not in b.columns:
            return
        stages = b.st.get("stage") or [None] * b.n
        grades = [None] * b.n
        cache = self._caches["grade"]
        for i, x in b.filled("grade"):
            stage = stages[i] or ""
            key = (stage, _key(x))
            hit = cache.get(key) or self._parse(cache, key, lambda raw, stage=stage: iv.parse_grade(raw, stage), x)
            if hit[1] is None:
                grades[i] = hit[0][0]
                if stages[i] is None:
                    stages[i] = hit[0][1]
            else:
                b.bad(i, "grade", hit[1])
        b.st["grade"], b.st["stage"] = grades, stages

    def _phones(self, b: _Batch) -> None:
        if "phone" not in b.columns:
            return
        phones = b.st["phone"] = [None] * b.n
        for i, x in b.filled("phone"):
            try:
                phones[i] = normalize_phone(iv.cell_text(x))
            except ValueError as e:
                b.bad(i, "phone", f"{e}，未导入电话")

    def _cards(self, b: _Batch) -> None:
        if "bank_card_no" not in b.columns:
            return
        cards = b.st["bank_card_no"] = [None] * b.n
        for i, x in b.filled("bank_card_no"):
            try:
                card = check_bank_card(x)
            except ValueError as e:
                b.bad(i, "bank_card_no", f"{e}，未导入卡号")
                continue
            cards[i] = card.number
            if not card.luhn_passed:
                b.bad(i, "bank_card_no", "银行卡号未通过校验（可能录错一位），已导入，请核对")

    def _categories(self, b: _Batch) -> tuple[Sequence, Sequence]:
        """Categories per row (None for every row: the file has no category column) and the words
        the officer is asked about; a word such as 脱贫户 also tells the household's poverty status.
        Each distinct value is counted (the preview shows what each was taken to mean)."""
        if not self._has_categories:
            return repeat(None, b.n), repeat((), b.n)
        cats: list = [[]] * b.n             # shared empty lists are never changed
        asks: list = [()] * b.n
        cache, counts = self._caches["categories"], self.category_values
        poverty = b.hh.get("poverty_status")
        for i, x in b.filled("categories"):
            key = _key(x)
            hit = cache.get(key) or self._parse(cache, key, _categories, x)
            counts[key] = counts.get(key, 0) + 1
            cats[i], unknown, from_category, asks[i] = hit[0]
            if unknown:
                b.bad(i, "categories", f"未识别的资助对象类别：{'、'.join(unknown)}，未导入这些类别")
            if from_category:
                if poverty is None:
                    poverty = b.hh["poverty_status"] = [None] * b.n
                if poverty[i] is None:
                    poverty[i] = from_category
        return cats, asks


_first, _second = operator.itemgetter(0), operator.itemgetter(1)


def validate(src: SourceRow) -> Record:
    """One row on its own (RowChecker does the same for many rows, faster)."""
    return RowChecker()(src)
