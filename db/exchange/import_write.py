"""Importing a checked county list (db.exchange.importer.preview_import) in ONE transaction: the new
students, their households and liaison officers, the agreed updates and the 认定 of the list's school
year. SQLite's bulk paths (driver executemany, index rebuild) come from db.sqlite."""
from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import func, insert, select, update
from sqlalchemy.orm import Session

from db import audit, sqlite
from db.context import Cancel, Progress, ServiceContext
from db.crash import crash_point
from db.enums import AssessmentSource
from db.errors import LedgerError
from db.exchange import import_questions as iq
from db.exchange.dto import ImportPreview, ImportResult, StudentUpdate
from db.exchange.import_fields import I_ID, I_LEVEL, STUDENT_COLUMNS, Record
from db.exchange.import_households import HH_COLS, I_OFFICER, HouseholdMatcher
from db.exchange.importer import HH_COLUMN
from db.exchange.mapping import mapping_setting
from db.exchange.reader import Cancelled
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
        assessed = record_levels(s, levels, year, AssessmentSource.IMPORTED, ctx.actor.name,
                                 inserted=changed[:len(preview.new)]) if levels else 0
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
            **{HH_COLUMN.get(c.field, c.field): c.new for c in upd.household_changes}))
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


def _year_levels(preview: ImportPreview, agreed: list[StudentUpdate], changed: list[int]) -> dict[int, str]:
    """Student id -> the 认定等级 to record: new students, agreed updates and unchanged students
    (an update of the level the officer did not agree to is left out)."""
    out = {sid: r.data[I_LEVEL] for sid, r in zip(changed, preview.new) if r.data[I_LEVEL]}
    refused = {u.student_id for u in preview.updates if any(c.field == "difficulty_level" for c in u.changes)}
    refused -= {u.student_id for u in agreed}
    out.update({sid: lv for sid, lv in preview.existing_levels.items() if sid not in refused})
    return out
