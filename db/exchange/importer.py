"""Import a county list into the registry: preview (nothing written), then one all-or-nothing run.

    p = preview_import(ctx, "名单.xlsx")          # counts, problems, duplicates, updates
    r = run_import(ctx, p, apply_updates=False)   # new students (+ agreed updates) in one transaction

Speed (bench/exchange_import.py): rows are checked in batches, column by column (import_rows);
existing IDs and household keys are loaded once into dicts; rows go in with the driver's executemany
(no ORM objects, no per-row queries), column by column as well; an import that at least doubles the
student table rebuilds its secondary indexes after the inserts, inside the same transaction; the
cyclic garbage collector is paused while the records are made.
"""
from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from sqlalchemy import func, insert, select, update
from sqlalchemy.orm import Session

from db import audit, sqlite
from db.context import Cancel, Progress, ServiceContext
from db.crash import crash_point
from db.enums import AssessmentSource
from db.errors import LedgerError
from db.exchange import import_questions as iq
from db.exchange.dto import Duplicate, FieldChange, ImportPreview, ImportResult, Problem, StudentUpdate
from db.exchange.import_households import HH_COLS, I_OFFICER, HouseholdMatcher
from db.exchange.import_rows import I_ID, I_LEVEL, I_NO, STUDENT_COLUMNS, Record, RowChecker
from db.exchange.mapping import FIELD_LABELS, mapping_setting, recall_mapping
from db.exchange.reader import Cancelled, column_letter, open_table
from db.exchange.school_year import default_school_year
from db.models.registry import Household, LiaisonOfficer, Student, StudentCategory
from db.pinyin import PinyinCache, pinyin_keys
from db.registry.assessments import record_levels
from db.sqlite import gc_paused
from db.terms import school_year_of

CHUNK = 5000
IMPORT_CACHE_KB = 65536
_STUDENT_DEFAULTS = {c: None for c in STUDENT_COLUMNS}
_STUDENT_DEFAULTS.update({c: "" for c in ("grade", "class_name", "study_school", "relation_to_head", "phone",
                                          "bank_name", "card_holder", "card_holder_relation", "notes", "major")})
_STUDENT_DEFAULTS.update(ethnicity="汉族", enrolment="在校")


def _stamp(path: Path) -> tuple[int, int]:
    st = path.stat()
    return st.st_size, st.st_mtime_ns


@gc_paused()
def preview_import(ctx: ServiceContext, path, *, sheet: str | None = None,
                   mapping: dict[int, str] | None = None, cancelled: Cancel = None,
                   progress: Progress = None) -> ImportPreview:
    """Read and check the whole file; write nothing. progress(rows_read, about how many rows)."""
    path = Path(path)
    mapping_arg = mapping if mapping is not None else (lambda layout, width: recall_mapping(ctx, layout, width))
    table, rows = open_table(path, sheet=sheet, mapping=mapping_arg, cancelled=cancelled)
    p = ImportPreview(path=path, file=table.file, sheet=table.sheet, header_row=table.header_row,
                      headers=table.headers, mapping=table.mapping, mapping_from_user=mapping is not None,
                      notes=list(table.warnings), file_stamp=_stamp(path), layout=table.signature,
                      unused_columns=table.unused_columns)
    _require_columns(table)
    check = _Collector(ctx, table, p)
    checker = RowChecker(set(table.mapping.values()), today=ctx.clock.today())
    hint = table.rows_hint
    for numbers, columns in rows.batches():
        for rec in checker.check(numbers, columns):
            check.add(rec)
        if progress:
            progress(p.rows_read, max(hint, p.rows_read))
    check.finish()
    for row, why in table.skipped:
        p.problems.append(Problem(table.sheet, row, "", "", "", f"已跳过：{why}", "warning"))
    p.problems.sort(key=lambda x: x.row)
    p.updates, p.unchanged = _diff(ctx, check.existing_pairs(), check.col_of)
    _school_year_hint(ctx, p, table, check.existing_pairs())
    _ask(ctx, p, table, checker)
    if progress:
        progress(p.rows_read, p.rows_read)
    return p


def _require_columns(table) -> None:
    if "name" not in table.mapping.values():
        raise LedgerError(f"文件“{table.file}”中找不到“姓名”列，无法导入学生（可在导入向导中指定列）")
    if not {"id_number", "student_no"} & set(table.mapping.values()):
        raise LedgerError(f"文件“{table.file}”中找不到“身份证号”或“学籍号”列，无法识别学生")


def _ask(ctx: ServiceContext, p: ImportPreview, table, checker: RowChecker) -> None:
    """The questions (households known by name + place only, 低保 without 城/乡) and the meaning of
    each category value."""
    c = table.column_of("categories")
    if c is not None:
        p.value_meanings = iq.value_meanings(f"{table.headers[c]}（{column_letter(c)}列）", checker.category_values)
    p.questions = iq.category_questions(p.new)
    if any(r.hdata is not None and not (r.hdata[0] or r.hdata[2]) and r.hdata[1] for r in p.new):
        with ctx.read() as s:
            matcher = HouseholdMatcher(s.connection())
            matcher.resolve(p.new, {})
        p.questions = iq.household_questions(matcher.asked) + p.questions


class _Collector:
    """The checked rows of one preview: duplicates within the file, clashes of 学籍号, students
    already in the database; the rest are new."""

    def __init__(self, ctx: ServiceContext, table, p: ImportPreview) -> None:
        self.table, self.p = table, p
        self.col_of = {f: c for c, f in table.mapping.items()}
        with ctx.read() as s:
            self.known_ids = dict(s.execute(select(Student.id_number, Student.id)
                                            .where(Student.id_number.is_not(None))).all())
            self.known_nos = dict(s.execute(select(Student.student_no, Student.id)
                                            .where(Student.student_no.is_not(None))).all())
        self.seen: dict[str, Record] = {}
        self.seen_nos: dict[str, int] = {}
        self.dups: dict[str, Duplicate] = {}
        self.existing: list[tuple[int, Record]] = []
        self.rejected: set[int] = set()

    def problem(self, row: int, fld: str, value, reason: str, kind: str) -> None:
        c, t = self.col_of.get(fld), self.table
        self.p.problems.append(Problem(t.sheet, row, t.headers[c] if c is not None else "",
                                       column_letter(c) if c is not None else "", value, reason, kind, fld))

    def add(self, rec: Record) -> None:
        self.p.rows_read += 1
        if rec.issues:
            for i in rec.issues:
                self.problem(rec.row, i.field, i.value, i.reason, "rejected" if i.fatal else "warning")
            if not rec.ok:
                self.rejected.add(rec.row)
                return
        data = rec.data
        idn, no = data[I_ID], data[I_NO]
        key = idn or no or ""                   # Record.key
        first = self.seen.get(key)
        if first is not None:
            self._duplicate(key, first, rec)
            return
        if no and self._student_no_taken(rec, idn, no):
            return
        self.seen[key] = rec
        sid = self.known_ids.get(idn) if idn else self.known_nos.get(no)
        if sid is not None:
            self.existing.append((sid, rec))

    def _duplicate(self, key: str, first: Record, rec: Record) -> None:
        d = self.dups.get(key)
        if d is None:
            d = self.dups[key] = Duplicate([first.row], key, "same_person", [first.name])
        d.rows.append(rec.row)
        d.names.append(rec.name)
        if rec.name != first.name:
            d.kind = "conflict"

    def _student_no_taken(self, rec: Record, idn: str | None, no: str) -> bool:
        owner = self.known_nos.get(no)
        if (owner is not None and owner != self.known_ids.get(idn)) or no in self.seen_nos:
            where = f"第 {self.seen_nos[no]} 行" if no in self.seen_nos else "数据库中另一名学生"
            self.problem(rec.row, "student_no", no, f"学籍号与{where}重复，本行未导入", "rejected")
            self.rejected.add(rec.row)
            return True
        if no[0] != "G":    # a G number is G + this row's own ID number, already unique in `seen`
            self.seen_nos[no] = rec.row
        return False

    def finish(self) -> None:
        p = self.p
        for key, d in self.dups.items():
            conflict = d.kind == "conflict"
            for row in d.rows if conflict else d.rows[1:]:
                names, rows = "、".join(dict.fromkeys(d.names)), "、".join(map(str, d.rows))
                reason = (f"身份证号相同但姓名不同（{names}，第 {rows} 行），请核对后改正再导入" if conflict
                          else f"与第 {d.rows[0]} 行是同一人，只导入一次")
                self.problem(row, "id_number", key, reason, d.kind)
            if conflict:
                self.rejected.update(d.rows)
                self.seen.pop(key, None)
        p.duplicates = sorted(self.dups.values(), key=lambda x: x.rows[0])
        p.rejected_rows = sorted(self.rejected)
        if self.existing:
            p.new = [r for r in self.seen.values() if not _is_existing(r, self.known_ids, self.known_nos)]
        else:
            p.new = list(self.seen.values())

    def existing_pairs(self) -> list[tuple[int, Record]]:
        return [(sid, r) for sid, r in self.existing if self.seen.get(r.key) is r]


def _is_existing(rec: Record, known_ids: dict, known_nos: dict) -> bool:
    i = rec.id_number
    return (i in known_ids) if i else (rec.student_no in known_nos)


_HOUSEHOLD_DIFF = {"head_name": "户主姓名", "head_id_number": "户主身份证号",
                   "township": "乡镇", "village": "村", "group_name": "组", "address": "家庭住址",
                   "poverty_status": "脱贫属性", "poverty_exit_year": "脱贫年度", "household_phone": "家庭联系电话"}
_HH_COLUMN = {"household_phone": "phone"}           # import field -> household column, where they differ


def _diff(ctx, pairs: list[tuple[int, Record]], col_of: dict[str, int]) -> tuple[list[StudentUpdate], int]:
    """Field-level changes the file would make to students already in the database, and to
    their households."""
    updates, unchanged = [], 0
    cols = [getattr(Student, c) for c in STUDENT_COLUMNS]
    hcols = [getattr(Household, _HH_COLUMN.get(f, f)) for f in _HOUSEHOLD_DIFF]
    with ctx.read() as s:
        for i in range(0, len(pairs), 500):
            part = dict(pairs[i:i + 500])
            olds = {r.id: r for r in s.execute(select(Student.id, Student.household_id, *cols)
                                               .where(Student.id.in_(part)))}
            homes = {r[0]: r[1:] for r in s.execute(select(Household.id, *hcols).where(
                Household.id.in_({o.household_id for o in olds.values() if o.household_id})))}
            cats = _categories_of(s, part)
            for sid, rec in part.items():
                upd = _student_update(sid, rec, olds[sid], homes.get(olds[sid].household_id), cats.get(sid, []))
                if upd is None:
                    unchanged += 1
                else:
                    updates.append(upd)
    return updates, unchanged


def _school_year_hint(ctx: ServiceContext, p: ImportPreview, table, existing: list[tuple[int, Record]]) -> None:
    """Issue 9: the school year the list's 认定等级 belong to (the officer confirms it), and the level
    the file gives each student already in the database."""
    if not p.has_levels:
        return
    p.school_year, p.school_year_from = default_school_year(p.path, table.sheet, table.header_row, ctx.clock.today())
    p.existing_levels = {sid: r.data[I_LEVEL] for sid, r in existing if r.data[I_LEVEL]}


def _year_levels(preview: ImportPreview, agreed: list[StudentUpdate], changed: list[int]) -> dict[int, str]:
    """Student id -> the 认定等级 to record: new students, agreed updates and unchanged students
    (an update of the level the officer did not agree to is left out)."""
    out = {sid: r.data[I_LEVEL] for sid, r in zip(changed, preview.new) if r.data[I_LEVEL]}
    refused = {u.student_id for u in preview.updates if any(c.field == "difficulty_level" for c in u.changes)}
    refused -= {u.student_id for u in agreed}
    out.update({sid: lv for sid, lv in preview.existing_levels.items() if sid not in refused})
    return out


def _categories_of(s, ids) -> dict[int, list[str]]:
    cats: dict[int, list[str]] = {}
    for sid, cat in s.execute(select(StudentCategory.student_id, StudentCategory.category)
                              .where(StudentCategory.student_id.in_(ids)).order_by(StudentCategory.category)):
        cats.setdefault(sid, []).append(cat)
    return cats


def _student_update(sid: int, rec: Record, old, home, have: list[str]) -> StudentUpdate | None:
    changes = [FieldChange(f, FIELD_LABELS.get(f, f), getattr(old, f), v)
               for f, v in rec.student.items() if v not in (None, "") and getattr(old, f) != v]
    new_cats = None
    if rec.categories and not set(rec.categories) <= set(have):
        new_cats = sorted(set(rec.categories) | set(have))
        changes.append(FieldChange("categories", FIELD_LABELS["categories"], "、".join(have), "、".join(new_cats)))
    if rec.asks:
        changes.append(FieldChange("categories_asked", "资助对象类别（待您确定）", "", "、".join(rec.asks)))
    hchanges = _household_changes(rec, home)
    if not changes and not hchanges:
        return None
    return StudentUpdate(sid, rec.row, rec.name, rec.key, changes, new_cats, old.household_id, hchanges, rec.asks)


def _household_changes(rec: Record, home) -> list[FieldChange]:
    """What the row says of the family that differs from the student's household in the database
    (nothing when the student has no household yet: the update does not create one)."""
    if home is None or rec.hdata is None:
        return []
    h = rec.household
    return [FieldChange(f, label, old, h[f]) for (f, label), old in zip(_HOUSEHOLD_DIFF.items(), home)
            if h.get(f) not in (None, "") and old != h[f]]


@gc_paused()
def run_import(ctx: ServiceContext, preview: ImportPreview, *,
               apply_updates: bool | Iterable[str] = False, cancelled: Cancel = None,
               progress: Progress = None, school_year: int | None = None) -> ImportResult:
    """Write the preview's new students (and the agreed updates: True, or a set of ID numbers) in ONE
    transaction. A failure or cancel at any point leaves the database as it was. The list's 认定等级
    are recorded as assessments of `school_year` (default: preview.school_year)."""
    agreed = _agreed(preview, apply_updates)
    total = len(preview.new) + len(agreed)
    done = 0
    changed: list[int] = []

    def tick(n: int) -> None:
        nonlocal done
        done += n
        if cancelled and cancelled():
            raise Cancelled()
        if progress:
            progress(done, total)

    # one transaction that holds SQLite's write lock from the start: the clash check, the inserts and
    # any index DDL; a bigger page cache for it (six indexes on student take random inserts)
    year = school_year or preview.school_year or school_year_of(ctx.clock.today())
    with ctx.write(immediate=True) as s, sqlite.larger_cache(s, IMPORT_CACHE_KB):
        created = _write(s, ctx, preview, agreed, tick, changed)
        levels = _year_levels(preview, agreed, changed) if preview.has_levels else {}
        assessed = record_levels(s, levels, year, AssessmentSource.IMPORTED, ctx.actor.name) if levels else 0
    return ImportResult(preview.file, len(preview.new), len(agreed), created, preview.rejected, changed,
                        assessed, year if levels else 0)


def _write(s: Session, ctx: ServiceContext, preview: ImportPreview, agreed: list, tick, changed: list[int]) -> int:
    """Everything run_import writes; returns how many households were created."""
    conn = s.connection()
    new_keys = {r.data[I_ID] for r in preview.new} - {None}
    clash = [k for k, in conn.execute(select(Student.id_number).where(Student.id_number.is_not(None)))
             if k in new_keys]
    if clash:
        raise LedgerError(f"预览之后数据库已有变化（{len(clash)} 名学生已存在），请重新预览后再导入；未做任何更改")
    given = iq.answers(preview)
    iq.with_answers(preview.new, given)
    officers, new_officers = _resolve_officers(conn, preview.new)
    matcher = HouseholdMatcher(conn)
    hh_ids = matcher.resolve(preview.new, officers, iq.same_family(preview))
    new_households = matcher.new
    created_households = len(new_households)
    rebuild = _drop_indexes_for_bulk(s, len(preview.new))
    next_id = sqlite.next_id(s, Student.id)
    cols = ("id", "household_id", "name_pinyin", "name_initials", *STUDENT_COLUMNS)
    defaults = [_STUDENT_DEFAULTS[c] for c in STUDENT_COLUMNS]
    pinyin = PinyinCache()
    cur = sqlite.driver_cursor(s)
    sqlite.bulk_insert(cur, "liaison_officer", ("id", "name", "phone", "unit"),
                       [(i, name, "", "") for i, name in new_officers])
    sqlite.bulk_insert(cur, "household", HH_COLS, new_households)
    tick(0)
    for i in range(0, len(preview.new), CHUNK):
        chunk = preview.new[i:i + CHUNK]
        sids = range(next_id + i, next_id + i + len(chunk))
        keys = list(map(pinyin, [r.name for r in chunk]))
        columns = [sids, hh_ids[i:i + CHUNK], [k[0] for k in keys], [k[1] for k in keys]]
        for col, default in zip(zip(*[r.data for r in chunk]), defaults):    # column by column
            columns.append(col if default is None or None not in col else
                           [default if v is None else v for v in col])
        sqlite.bulk_insert(cur, "student", cols, zip(*columns))
        cats = [(sid, c) for sid, r in zip(sids, chunk) if r.categories for c in r.categories]
        if cats:
            sqlite.bulk_insert(cur, "student_category", ("student_id", "category"), cats)
        changed.extend(sids)
        tick(len(chunk))
    sqlite.rebuild_indexes(cur, rebuild)
    cur.close()
    for upd in agreed:
        _apply_update(conn, upd, iq.answered_categories(upd.asks, given))
        changed.append(upd.student_id)
        tick(1)
    summary = (f"导入 {preview.file}（工作表 {preview.sheet}）：新增 {len(preview.new)} 人，"
               f"更新 {len(agreed)} 人，新建家庭 {created_households} 户，拒绝 {preview.rejected} 行，"
               f"共读取 {preview.rows_read} 行")
    audit.record(s, ctx, "import", "student", None, summary=summary,
                 after={"file": preview.file, "sheet": preview.sheet, "new": len(preview.new),
                        "updated": [u.student_id for u in agreed]})
    if preview.mapping_from_user:
        s.merge(mapping_setting(preview.layout, preview.mapping))
    crash_point("import.rows_written")
    return created_households


BULK_MIN_ROWS = 10_000
_BULK_TABLES = ("household", "student", "student_category")


def _drop_indexes_for_bulk(s: Session, new_rows: int) -> list[str]:
    """When an import at least doubles the student table, its secondary indexes (and those of
    household and student_category) are dropped and built again after the inserts: one sort
    instead of 100,000 random inserts per index, ~0.6 s per 100,000 rows. The DDL belongs to the
    import's transaction, so a failure or cancel brings the indexes back with everything else.
    Returns the CREATE INDEX statements to run after the inserts."""
    if new_rows < BULK_MIN_ROWS or new_rows < s.scalar(select(func.count()).select_from(Student)):
        return []
    return sqlite.drop_indexes(s, _BULK_TABLES)


def _agreed(preview: ImportPreview, apply_updates) -> list[StudentUpdate]:
    if apply_updates is True:
        return list(preview.updates)
    if not apply_updates:
        return []
    wanted = set(apply_updates)
    return [u for u in preview.updates if u.id_number in wanted or u.student_id in wanted]


def _apply_update(conn, upd: StudentUpdate, answered: list[str]) -> None:
    values = {c.field: c.new for c in upd.changes if c.field not in ("categories", "categories_asked")}
    if "name" in values:
        values["name_pinyin"], values["name_initials"] = pinyin_keys(values["name"])
    if values:
        conn.execute(update(Student).where(Student.id == upd.student_id).values(**values))
    if upd.household_changes and upd.household_id is not None:
        conn.execute(update(Household).where(Household.id == upd.household_id).values(
            **{_HH_COLUMN.get(c.field, c.field): c.new for c in upd.household_changes}))
    wanted = set(upd.new_categories or ()) | set(answered)
    if wanted:
        have = set(conn.execute(select(StudentCategory.category)
                                .where(StudentCategory.student_id == upd.student_id)).scalars())
        add = [{"student_id": upd.student_id, "category": c} for c in sorted(wanted - have)]
        if add:
            conn.execute(insert(StudentCategory), add)


def _resolve_officers(conn, records: list[Record]) -> tuple[dict[str, int], list[tuple[int, str]]]:
    """Liaison officers named in the list (帮扶联系人): an officer of the same name, else a new one
    (name only; phone and unit are filled in on the visits page). Two officers of one name: the
    first entered is taken."""
    names = {h[I_OFFICER] for r in records if (h := r.hdata) is not None and h[I_OFFICER]}
    if not names:
        return {}, []
    known: dict[str, int] = {}
    for oid, name in conn.execute(select(LiaisonOfficer.id, LiaisonOfficer.name).order_by(LiaisonOfficer.id)):
        known.setdefault(name, oid)
    next_id = (conn.execute(select(func.max(LiaisonOfficer.id))).scalar() or 0) + 1   # inside the write lock
    new = []
    for name in sorted(names - known.keys()):
        known[name] = next_id
        new.append((next_id, name))
        next_id += 1
    return known, new


def check_unchanged(preview: ImportPreview) -> None:
    if preview.path.exists() and _stamp(preview.path) != preview.file_stamp:
        raise LedgerError(f"文件“{preview.file}”在预览之后被修改过，请重新预览")

