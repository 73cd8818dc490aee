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
from db.errors import LedgerError
from db.exchange.dto import Duplicate, FieldChange, ImportPreview, ImportResult, Problem, StudentUpdate
from db.exchange.import_rows import HOUSEHOLD_KEYS, I_ID, I_NO, STUDENT_COLUMNS, Record, RowChecker
from db.exchange.mapping import FIELD_LABELS, mapping_setting, recall_mapping
from db.exchange.reader import Cancelled, column_letter, open_table
from db.models.registry import Household, LiaisonOfficer, Student, StudentCategory
from db.pinyin import PinyinCache, pinyin_keys
from db.sqlite import gc_paused

CHUNK = 5000
IMPORT_CACHE_KB = 65536
_STUDENT_DEFAULTS = {c: None for c in STUDENT_COLUMNS}
_STUDENT_DEFAULTS.update({c: "" for c in ("grade", "class_name", "study_school", "relation_to_head", "phone",
                                          "bank_name", "card_holder", "card_holder_relation", "notes")})
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
    mapping_arg = mapping if mapping is not None else (lambda headers: recall_mapping(ctx, headers))
    table, rows = open_table(path, sheet=sheet, mapping=mapping_arg, cancelled=cancelled)
    p = ImportPreview(path=path, file=table.file, sheet=table.sheet, header_row=table.header_row,
                      headers=table.headers, mapping=table.mapping, mapping_from_user=mapping is not None,
                      notes=list(table.warnings), file_stamp=_stamp(path))
    if "name" not in table.mapping.values():
        raise LedgerError(f"文件“{table.file}”中找不到“姓名”列，无法导入学生（可在导入向导中指定列）")
    if not {"id_number", "student_no"} & set(table.mapping.values()):
        raise LedgerError(f"文件“{table.file}”中找不到“身份证号”或“学籍号”列，无法识别学生")
    col_of = {f: c for c, f in table.mapping.items()}
    with ctx.read() as s:
        known_ids = dict(s.execute(select(Student.id_number, Student.id).where(Student.id_number.is_not(None))).all())
        known_nos = dict(s.execute(select(Student.student_no, Student.id).where(Student.student_no.is_not(None))).all())
    seen: dict[str, Record] = {}
    seen_nos: dict[str, int] = {}
    dups: dict[str, Duplicate] = {}
    existing: list[tuple[int, Record]] = []
    rejected: set[int] = set()

    def problem(row: int, fld: str, value, reason: str, kind: str) -> None:
        c = col_of.get(fld)
        p.problems.append(Problem(table.sheet, row, table.headers[c] if c is not None else "",
                                  column_letter(c) if c is not None else "", value, reason, kind, fld))

    checker = RowChecker(set(table.mapping.values()))
    hint = table.rows_hint
    records = (rec for numbers, columns in rows.batches() for rec in checker.check(numbers, columns))
    for rec in records:
        p.rows_read += 1
        if progress and p.rows_read % 2000 == 0:
            progress(p.rows_read, max(hint, p.rows_read))
        if rec.issues:
            for i in rec.issues:
                problem(rec.row, i.field, i.value, i.reason, "rejected" if i.fatal else "warning")
            if not rec.ok:
                rejected.add(rec.row)
                continue
        data = rec.data
        idn, no = data[I_ID], data[I_NO]
        key = idn or no or ""                   # Record.key
        first = seen.get(key)
        if first is not None:
            d = dups.get(key)
            if d is None:
                d = dups[key] = Duplicate([first.row], key, "same_person", [first.name])
            d.rows.append(rec.row)
            d.names.append(rec.name)
            if rec.name != first.name:
                d.kind = "conflict"
            continue
        seen[key] = rec
        if no:
            owner = known_nos.get(no)
            if (owner is not None and owner != known_ids.get(idn)) or no in seen_nos:
                where = f"第 {seen_nos[no]} 行" if no in seen_nos else "数据库中另一名学生"
                problem(rec.row, "student_no", no, f"学籍号与{where}重复，本行未导入", "rejected")
                rejected.add(rec.row)
                del seen[key]
                continue
            if no[0] != "G":    # a G number is G + this row's own ID number, already unique in `seen`
                seen_nos[no] = rec.row
        sid = known_ids.get(idn) if idn else known_nos.get(no)
        if sid is not None:
            existing.append((sid, rec))
    for key, d in dups.items():
        label = "conflict" if d.kind == "conflict" else "same_person"
        for row in d.rows[1:] if label == "same_person" else d.rows:
            reason = (f"与第 {d.rows[0]} 行是同一人，只导入一次" if label == "same_person" else
                      f"身份证号相同但姓名不同（{'、'.join(dict.fromkeys(d.names))}，第 {'、'.join(map(str, d.rows))} 行），"
                      "请核对后改正再导入")
            problem(row, "id_number", key, reason, label)
        if label == "conflict":
            rejected.update(d.rows)
            seen.pop(key, None)
    for row, why in table.skipped:
        p.problems.append(Problem(table.sheet, row, "", "", "", f"已跳过：{why}", "warning"))
    p.problems.sort(key=lambda x: x.row)
    p.duplicates = sorted(dups.values(), key=lambda x: x.rows[0])
    p.rejected_rows = sorted(rejected)
    existing_ids = {sid for sid, rec in existing if rec.key in seen}
    p.new = [r for r in seen.values() if not _is_existing(r, known_ids, known_nos)] if existing else list(seen.values())
    p.updates, p.unchanged = _diff(ctx, [(sid, r) for sid, r in existing if sid in existing_ids], col_of)
    if progress:
        progress(p.rows_read, p.rows_read)
    return p


def _is_existing(rec: Record, known_ids: dict, known_nos: dict) -> bool:
    i = rec.id_number
    return (i in known_ids) if i else (rec.student_no in known_nos)


def _diff(ctx, pairs: list[tuple[int, Record]], col_of: dict[str, int]) -> tuple[list[StudentUpdate], int]:
    """Field-level changes the file would make to students already in the database."""
    updates, unchanged = [], 0
    cols = [getattr(Student, c) for c in STUDENT_COLUMNS]
    with ctx.read() as s:
        for i in range(0, len(pairs), 500):
            part = dict(pairs[i:i + 500])
            olds = {r.id: r for r in s.execute(select(Student.id, *cols).where(Student.id.in_(part)))}
            cats: dict[int, list[str]] = {}
            for sid, cat in s.execute(select(StudentCategory.student_id, StudentCategory.category)
                                      .where(StudentCategory.student_id.in_(part))
                                      .order_by(StudentCategory.category)):
                cats.setdefault(sid, []).append(cat)
            for sid, rec in part.items():
                old = olds[sid]
                changes = [FieldChange(f, FIELD_LABELS.get(f, f), getattr(old, f), v)
                           for f, v in rec.student.items() if v not in (None, "") and getattr(old, f) != v]
                new_cats = None
                if rec.categories is not None and rec.categories and set(rec.categories) != set(cats.get(sid, [])):
                    new_cats = sorted(set(rec.categories) | set(cats.get(sid, [])))
                    if set(new_cats) != set(cats.get(sid, [])):
                        changes.append(FieldChange("categories", FIELD_LABELS["categories"],
                                                   "、".join(cats.get(sid, [])), "、".join(new_cats)))
                    else:
                        new_cats = None
                if changes:
                    updates.append(StudentUpdate(sid, rec.row, rec.name, rec.key, changes, new_cats))
                else:
                    unchanged += 1
    return updates, unchanged


@gc_paused()
def run_import(ctx: ServiceContext, preview: ImportPreview, *,
               apply_updates: bool | Iterable[str] = False, cancelled: Cancel = None,
               progress: Progress = None) -> ImportResult:
    """Write the preview's new students (and the agreed updates: True, or a set of ID numbers) in ONE
    transaction. A failure or cancel at any point leaves the database as it was."""
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
    with ctx.write(immediate=True) as s, sqlite.larger_cache(s, IMPORT_CACHE_KB):
        created = _write(s, ctx, preview, agreed, tick, changed)
    return ImportResult(preview.file, len(preview.new), len(agreed), created, preview.rejected, changed)


def _write(s: Session, ctx: ServiceContext, preview: ImportPreview, agreed: list, tick, changed: list[int]) -> int:
    """Everything run_import writes; returns how many households were created."""
    conn = s.connection()
    new_keys = {r.data[I_ID] for r in preview.new} - {None}
    clash = [k for k, in conn.execute(select(Student.id_number).where(Student.id_number.is_not(None)))
             if k in new_keys]
    if clash:
        raise LedgerError(f"预览之后数据库已有变化（{len(clash)} 名学生已存在），请重新预览后再导入；未做任何更改")
    officers, new_officers = _resolve_officers(conn, preview.new)
    hh_ids, new_households = _resolve_households(conn, preview.new, officers)
    created_households = len(new_households)
    rebuild = _drop_indexes_for_bulk(s, len(preview.new))
    next_id = sqlite.next_id(s, Student.id)
    cols = ("id", "household_id", "name_pinyin", "name_initials", *STUDENT_COLUMNS)
    defaults = [_STUDENT_DEFAULTS[c] for c in STUDENT_COLUMNS]
    pinyin = PinyinCache()
    cur = sqlite.driver_cursor(s)
    sqlite.bulk_insert(cur, "liaison_officer", ("id", "name", "phone", "unit"),
                       [(i, name, "", "") for i, name in new_officers])
    sqlite.bulk_insert(cur, "household", _HH_COLS, new_households)
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
        _apply_update(conn, upd)
        changed.append(upd.student_id)
        tick(1)
    summary = (f"导入 {preview.file}（工作表 {preview.sheet}）：新增 {len(preview.new)} 人，"
               f"更新 {len(agreed)} 人，新建家庭 {created_households} 户，拒绝 {preview.rejected} 行，"
               f"共读取 {preview.rows_read} 行")
    audit.record(s, ctx, "import", "student", None, summary=summary,
                 after={"file": preview.file, "sheet": preview.sheet, "new": len(preview.new),
                        "updated": [u.student_id for u in agreed]})
    if preview.mapping_from_user:
        s.merge(mapping_setting(preview.headers, preview.mapping))
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


def _apply_update(conn, upd: StudentUpdate) -> None:
    values = {c.field: c.new for c in upd.changes if c.field != "categories"}
    if "name" in values:
        values["name_pinyin"], values["name_initials"] = pinyin_keys(values["name"])
    if values:
        conn.execute(update(Student).where(Student.id == upd.student_id).values(**values))
    if upd.new_categories is not None:
        have = set(conn.execute(select(StudentCategory.category)
                                .where(StudentCategory.student_id == upd.student_id)).scalars())
        add = [{"student_id": upd.student_id, "category": c} for c in upd.new_categories if c not in have]
        if add:
            conn.execute(insert(StudentCategory), add)


_HH_COLS = ("id", "household_no", "head_name", "head_id_number", "township", "village", "group_name",
            "address", "poverty_status", "poverty_exit_year", "phone", "notes", "liaison_officer_id")
_I_OFFICER = HOUSEHOLD_KEYS.index("liaison_officer")


def _resolve_officers(conn, records: list[Record]) -> tuple[dict[str, int], list[tuple[int, str]]]:
    """Liaison officers named in the list (帮扶联系人): an officer of the same name, else a new one
    (name only; phone and unit are filled in on the visits page). Two officers of one name: the
    first entered is taken."""
    names = {h[_I_OFFICER] for r in records if (h := r.hdata) is not None and h[_I_OFFICER]}
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


def _resolve_households(conn, records: list[Record], officers: dict[str, int]) -> tuple[list[int | None], list[tuple]]:
    """Household of each new student (a list in the order of records): by 户编号, else 户主身份证号,
    else the same head + place (in the database or earlier in this file), else a new household
    (rows in _HH_COLS order). Brothers and sisters on consecutive rows repeat the same values."""
    by_no, by_head, by_place = {}, {}, {}
    for hid, no, head_id, head, town, village, group in conn.execute(select(
            Household.id, Household.household_no, Household.head_id_number, Household.head_name,
            Household.township, Household.village, Household.group_name)):
        if no:
            by_no[no] = hid
        if head_id:
            by_head[head_id] = hid
        by_place.setdefault((head, town, village, group), hid)
    next_id = (conn.execute(select(func.max(Household.id))).scalar() or 0) + 1
    out: list[int | None] = []
    new: list[tuple] = []
    last: tuple | None = None
    hid = None
    for rec in records:
        h = rec.hdata                   # HOUSEHOLD_KEYS order: no, head, head_id, town, village, group, …
        if h == last:
            out.append(hid)             # the row above's household
            continue
        last = h
        if h is None or not (h[0] or h[1] or h[2]):
            hid = None
            out.append(None)
            continue
        no, head, head_id = h[0], h[1] or "", h[2]
        place = (head, h[3] or "", h[4] or "", h[5] or "")
        hid = (no and by_no.get(no)) or (head_id and by_head.get(head_id)) or (head and by_place.get(place))
        if not hid:
            hid = next_id
            next_id += 1
            new.append((hid, no or None, head, head_id, *place[1:], h[6] or "", h[7], h[8], h[9] or "", h[10] or "",
                        officers.get(h[11])))
            if no:
                by_no[no] = hid
            if head_id:
                by_head[head_id] = hid
            if head:
                by_place.setdefault(place, hid)
        out.append(hid)
    return out, new


def check_unchanged(preview: ImportPreview) -> None:
    if preview.path.exists() and _stamp(preview.path) != preview.file_stamp:
        raise LedgerError(f"文件“{preview.file}”在预览之后被修改过，请重新预览")

