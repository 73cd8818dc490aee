"""Reconciliation of the county's pushed list with the school's roll (系统推送 + 逐人排查).

    svc = ReconcileService(sf)
    r = svc.import_pushed_list("建档立卡学龄人口.xlsx", list_date=dt.date(2020, 9, 1))
    rec = svc.compare(r.list_id)        # matched / not_at_school / not_on_list / different
    svc.set_follow_up(rec.not_at_school[0].entry_id, "在外地就读", "在江苏昆山某小学")
    svc.export_reconciliation(r.list_id, "核对结果.xlsx")

Matching is by ID number. The groups are disjoint: a child on the list who is in our school with the
same name and categories is `matched`; with a different name or a category the list gives but our
registry lacks, `different`; on the list but not in our school (or in our registry but 转出/毕业/辍学/
在外就读) `not_at_school`; a needy student in our school (any category) not on the list `not_on_list`.
"""
from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import delete, func, insert, select

from db import audit
from db.access.roles import Perm, require
from db.context import ServiceContext
from db.errors import LedgerError, NotFound, ValidationError
from db.exchange import import_values as iv
from db.exchange.dto import (
    FOLLOW_UP_DEFAULTS,
    GROUPS,
    PENDING,
    ListSummary,
    PushedImport,
    Reconciliation,
    ReconLine,
    RowProblem,
)
from db.exchange.reader import read_table
from db.exchange.roster import sort_categories
from db.models.core import Setting
from db.models.exchange import CountyList, CountyListEntry
from db.models.registry import Household, Student, StudentCategory
from db.sheets import Formats, add_dropdown, atomic_output, closing_on_error, open_workbook, write_header, write_value
from db.validators import IdNumberError, parse_id_number

DEFAULT_KIND = "建档立卡学龄人口"
AT_SCHOOL = ("在校", "休学")
STATUSES_KEY = "reconcile.follow_up_statuses"
RECON_HEADERS = ["序号", "核对结果", "身份证号", "姓名（名单）", "本校姓名", "年级", "班级", "在校状态", "乡镇", "村",
                 "户主姓名", "名单类别", "本校类别", "差异说明", "跟进状态", "跟进说明", "名单行号"]
RECON_TEXT = frozenset({2, 6})
RECON_WIDTHS = [6, 20, 21, 12, 10, 10, 8, 10, 12, 12, 10, 16, 22, 36, 18, 30, 8]
_IN = 900      # SQLite bound parameters per IN (...)


def recon_row(i: int, line: ReconLine) -> list:
    return [i, GROUPS[line.group], line.id_number, line.name, line.school_name, line.grade, line.class_name,
            line.enrolment, line.township, line.village, line.head_name, line.list_categories,
            line.school_categories, "；".join(line.differences), line.follow_up, line.follow_up_note,
            line.source_row]


class ReconcileService:
    def __init__(self, ctx: ServiceContext):
        self._ctx = ctx

    # ---- follow-up statuses (editable defaults) ------------------------------------------------
    def follow_up_statuses(self) -> list[str]:
        with self._ctx.read() as s:
            row = s.get(Setting, STATUSES_KEY)
            if row and row.value:
                return list(json.loads(row.value))
        return list(FOLLOW_UP_DEFAULTS)

    def set_follow_up_statuses(self, statuses: list[str]) -> None:
        clean = [t.strip() for t in statuses if t and t.strip()]
        if not clean or len(set(clean)) != len(clean):
            raise ValidationError({"statuses": "跟进状态不能为空，也不能重复"})
        with self._ctx.write() as s:
            s.merge(Setting(key=STATUSES_KEY, value=json.dumps(clean, ensure_ascii=False)))

    # ---- lists --------------------------------------------------------------------------------
    def lists(self) -> list[ListSummary]:
        with self._ctx.read() as s:
            n = (select(func.count(CountyListEntry.id)).where(CountyListEntry.list_id == CountyList.id)
                 .scalar_subquery())
            rows = s.execute(select(CountyList, n).order_by(CountyList.list_date.desc(), CountyList.id.desc()))
            return [_summary(cl, count) for cl, count in rows]

    def latest_list_id(self) -> int | None:
        with self._ctx.read() as s:
            return s.scalar(select(CountyList.id).order_by(CountyList.list_date.desc(), CountyList.id.desc())
                            .limit(1))

    def delete_list(self, list_id: int) -> None:
        with self._ctx.write() as s:
            cl = s.get(CountyList, list_id)
            if cl is None:
                raise NotFound(f"没有编号为 {list_id} 的名单")
            s.execute(delete(CountyListEntry).where(CountyListEntry.list_id == list_id))
            s.delete(cl)
            audit.record(s, self._ctx, "delete", "county_list", list_id,
                         summary=f"删除推送名单 {cl.kind} {cl.list_date:%Y-%m-%d}（{cl.source_file}）")

    # ---- import -------------------------------------------------------------------------------
    def import_pushed_list(self, path: Path | str, *, list_date: dt.date | str, kind: str = DEFAULT_KIND,
                           sheet: str | None = None, notes: str = "",
                           cancelled: Callable[[], bool] | None = None) -> PushedImport:
        """Keep the county's list (with its date and source) in one transaction. Rows whose ID is
        missing or wrong are reported (row, column, reason) and not imported; a child listed twice
        is imported once and reported."""
        try:
            date = iv.parse_date(list_date)
        except ValueError as e:
            raise ValidationError({"list_date": f"名单日期{e}"}) from None
        table = read_table(path, sheet=sheet, cancelled=cancelled)
        if table.column_of("id_number") is None:
            raise LedgerError(f"文件“{table.file}”的工作表“{table.sheet}”中找不到身份证号列，无法与本校名册核对")
        result = PushedImport(0, table.file, table.sheet, table.header_row, len(table.rows), 0,
                              warnings=list(table.warnings))
        entries = _pushed_entries(table, result)
        if not entries:
            first = "；".join(f"第 {p.row} 行：{p.reason}" for p in result.rejected[:3])
            raise LedgerError(f"名单“{table.file}”中没有可导入的行（{len(result.rejected)} 行被拒绝"
                              f"{'：' + first if first else ''}）；未做任何更改")
        with self._ctx.write() as s:
            cl = CountyList(kind=kind.strip() or DEFAULT_KIND, source_file=table.file[:255], list_date=date,
                            notes=notes)
            s.add(cl)
            s.flush()
            for e in entries:
                e["list_id"] = cl.id
            s.execute(insert(CountyListEntry), entries)
            audit.record(s, self._ctx, "import", "county_list", cl.id,
                         summary=f"导入推送名单 {cl.kind} {date:%Y-%m-%d}（{table.file}，工作表 {table.sheet}）："
                                   f"{len(entries)} 人，拒绝 {len(result.rejected)} 行，重复 {len(result.duplicates)} 行")
            result.list_id = cl.id
        result.imported = len(entries)
        return result

    # ---- compare ------------------------------------------------------------------------------
    def compare(self, list_id: int | None = None) -> Reconciliation:
        with self._ctx.read() as s:
            cl = _the_list(s, list_id)
            entries = list(s.execute(select(
                CountyListEntry.id, CountyListEntry.id_number, CountyListEntry.name, CountyListEntry.head_name,
                CountyListEntry.township, CountyListEntry.village, CountyListEntry.categories,
                CountyListEntry.follow_up, CountyListEntry.follow_up_note, CountyListEntry.source_row)
                .where(CountyListEntry.list_id == cl.id).order_by(CountyListEntry.source_row)))
            covers = list_covers(cl.kind, [e.categories for e in entries])
            rec = Reconciliation(_summary(cl, len(entries)), covers=covers)
            students = _students_by_id(s, [e.id_number for e in entries])
            rec.not_on_list = _not_on_list(s, {e.id_number for e in entries}, covers)
        implied = [c for c in covers if c in _KIND_CATEGORIES.get(_kind_word(cl.kind), ())]
        for e in entries:
            line = _compare_entry(e, students.get(e.id_number), implied)
            getattr(rec, line.group).append(line)
        return rec

    def set_follow_up(self, entry_id: int, status: str, note: str = "") -> None:
        status = (status or "").strip()
        allowed = self.follow_up_statuses()
        if status not in allowed:
            raise ValidationError({"follow_up": f"跟进状态应为：{'、'.join(allowed)}"})
        with self._ctx.write() as s:
            e = s.get(CountyListEntry, entry_id)
            if e is None:
                raise NotFound(f"名单中没有编号为 {entry_id} 的记录")
            e.follow_up = status
            e.follow_up_note = (note or "").strip()[:500]

    # ---- export -------------------------------------------------------------------------------
    def export_reconciliation(self, list_id: int | None, out_path: Path | str) -> Path:
        """A workbook for the county: 汇总 plus one sheet per group, full ID numbers as text."""
        require(self._ctx.actor, Perm.EXPORT_FULL)
        rec = self.compare(list_id)
        statuses = self.follow_up_statuses()
        out = Path(out_path)
        with atomic_output(out) as tmp:
            wb = open_workbook(tmp)
            with closing_on_error(wb):
                fmt = Formats(wb)
                ws = wb.add_worksheet("汇总")
                ws.set_column(0, 0, 28)
                ws.set_column(1, 1, 14)
                ws.write_string(0, 0, f"{rec.list.kind}名单核对结果", fmt.bold)
                write_value(ws, 1, 0, "名单日期", fmt)
                write_value(ws, 1, 1, rec.list.list_date, fmt)
                write_value(ws, 2, 0, "名单文件", fmt)
                write_value(ws, 2, 1, rec.list.source_file, fmt)
                write_value(ws, 3, 0, "核对日期", fmt)
                write_value(ws, 3, 1, self._ctx.clock.today(), fmt)
                for i, (_key, title, lines) in enumerate(rec.groups(), 5):
                    write_value(ws, i, 0, title, fmt)
                    write_value(ws, i, 1, len(lines), fmt)
                for _key, title, lines in rec.groups():
                    write_recon_sheet(wb.add_worksheet(title), fmt, lines, statuses)
        return out


def write_recon_sheet(ws, fmt, lines: list[ReconLine], statuses: list[str], row0: int = 0) -> int:
    """Header at `row0`, then one row per line; returns the number of rows written."""
    write_header(ws, row0, RECON_HEADERS, fmt, RECON_WIDTHS, text_columns=set(RECON_TEXT))
    for i, line in enumerate(lines, 1):
        for c, v in enumerate(recon_row(i, line)):
            write_value(ws, row0 + i, c, v, fmt, text=c in RECON_TEXT)
    if lines:
        ws.autofilter(row0, 0, row0 + len(lines), len(RECON_HEADERS) - 1)
        add_dropdown(ws, row0 + 1, row0 + len(lines), RECON_HEADERS.index("跟进状态"), statuses, "跟进状态")
    return len(lines)


# The categories a kind of pushed list is about (its name says so); otherwise those its rows name.
_KIND_CATEGORIES = {"建档立卡": ("建档立卡",), "脱贫": ("建档立卡",), "低保": ("农村低保", "城市低保"),
                    "特困": ("特困供养",), "残疾": ("残疾学生", "残疾人子女"), "孤儿": ("孤儿",),
                    "事实无人抚养": ("事实无人抚养儿童",)}


def _kind_word(kind: str) -> str:
    return next((w for w in _KIND_CATEGORIES if w in kind), "")


def list_covers(kind: str, entry_categories: list[str]) -> tuple[str, ...]:
    """The categories a pushed list covers: named by its kind (建档立卡学龄人口 → 建档立卡), else the
    categories its rows give; () when neither says (then every needy student is compared)."""
    by_kind = _KIND_CATEGORIES.get(_kind_word(kind))
    if by_kind:
        return by_kind
    seen: dict[str, None] = {}
    for text in entry_categories:
        for c in iv.parse_categories(text)[0]:
            seen.setdefault(c)
    return tuple(sort_categories("\x1f".join(seen)).split("、")) if seen else ()


def _the_list(s, list_id: int | None) -> CountyList:
    if list_id is None:
        list_id = s.scalar(select(CountyList.id).order_by(CountyList.list_date.desc(), CountyList.id.desc()).limit(1))
    cl = s.get(CountyList, list_id) if list_id is not None else None
    if cl is None:
        raise NotFound("还没有导入县里推送的名单" if list_id is None else f"没有编号为 {list_id} 的名单")
    return cl


def _students_by_id(s, ids: list[str]) -> dict[str, tuple]:
    students: dict[str, tuple] = {}
    for i in range(0, len(ids), _IN):
        for r in s.execute(_student_select().where(Student.id_number.in_(ids[i:i + _IN]))):
            students[r.id_number] = r
    return students


def _not_on_list(s, on_list: set[str], covers: tuple[str, ...]) -> list[ReconLine]:
    """Needy students at school, of the categories the list covers, whom the list does not name."""
    cat = select(StudentCategory.student_id).where(StudentCategory.student_id == Student.id)
    if covers:
        cat = cat.where(StudentCategory.category.in_(covers))
    needy = s.execute(_student_select().where(Student.enrolment.in_(AT_SCHOOL), cat.exists())
                      .order_by(Student.grade, Student.class_name, Student.name_pinyin))
    return [ReconLine("not_on_list", r.id_number or "", r.name, r.name, student_id=r.id, grade=r.grade,
                      class_name=r.class_name, enrolment=r.enrolment, township=r.township or "",
                      village=r.village or "", head_name=r.head_name or "", school_categories=sort_categories(r.cats))
            for r in needy if r.id_number not in on_list]


def _compare_entry(e, st, implied: list[str]) -> ReconLine:
    """One child of the list: not at school, matched, or different (name, categories)."""
    base = dict(id_number=e.id_number, name=e.name, entry_id=e.id, township=e.township,
                village=e.village, head_name=e.head_name, list_categories=e.categories,
                follow_up=e.follow_up, follow_up_note=e.follow_up_note, source_row=e.source_row)
    if st is None:
        return ReconLine("not_at_school", **base)
    cats = sort_categories(st.cats)
    more = dict(school_name=st.name, student_id=st.id, grade=st.grade, class_name=st.class_name,
                enrolment=st.enrolment, school_categories=cats)
    if st.enrolment not in AT_SCHOOL:
        return ReconLine("not_at_school", differences=(f"本校学籍状态：{st.enrolment}",), **base, **more)
    diffs = []
    if e.name and e.name != st.name:
        diffs.append(f"姓名不同：名单“{e.name}”，本校“{st.name}”")
    listed, _ = iv.parse_categories(e.categories)
    have = set(cats.split("、")) if cats else set()
    diffs += [f"名单为{c}，本校未登记该类别" for c in dict.fromkeys(implied + listed) if c not in have]
    group = "different" if diffs else "matched"
    return ReconLine(group, differences=tuple(diffs), **base, **more)


def _pushed_entries(table, result: PushedImport) -> list[dict]:
    """The rows of a pushed list to keep (whole: nothing is cut); the rest reported in `result`."""
    id_col = table.column_label("id_number")
    entries: list[dict] = []
    seen: dict[str, tuple[int, str]] = {}
    for src in table.rows:
        v = src.values
        try:
            info = parse_id_number(v.get("id_number"))
        except IdNumberError as e:
            result.rejected.append(RowProblem(src.row, id_col, _shown(v.get("id_number")), str(e)))
            continue
        name = iv.cell_text(v.get("name"))
        if info.number in seen:
            first, first_name = seen[info.number]
            why = (f"与第 {first} 行是同一人，只导入一次" if name == first_name else
                   f"与第 {first} 行身份证号相同但姓名不同（{first_name}／{name}），只导入第 {first} 行，请核实")
            result.duplicates.append(RowProblem(src.row, id_col, info.number, why))
            continue
        seen[info.number] = (src.row, name)
        if info.converted_from_15:
            result.warnings.append(f"第 {src.row} 行：15 位旧身份证号已转换为 18 位 {info.number}")
        cats = [iv.cell_text(v.get(f)) for f in ("categories", "poverty_status")]
        entries.append({
            "source_row": src.row, "id_number": info.number, "name": name,
            "head_name": iv.cell_text(v.get("head_name")), "township": iv.cell_text(v.get("township")),
            "village": iv.cell_text(v.get("village")), "categories": "、".join(dict.fromkeys(c for c in cats if c)),
            "raw": json.dumps(_raw(table.headers, src.cells), ensure_ascii=False),
            "follow_up": PENDING, "follow_up_note": "",
        })
    return entries


def _student_select():
    cats = (select(func.aggregate_strings(StudentCategory.category, "\x1f"))
            .where(StudentCategory.student_id == Student.id).scalar_subquery().label("cats"))
    return (select(Student.id, Student.id_number, Student.name, Student.grade, Student.class_name,
                   Student.enrolment, Household.township, Household.village, Household.head_name, cats)
            .outerjoin(Household, Student.household_id == Household.id))


def _summary(cl: CountyList, count: int) -> ListSummary:
    return ListSummary(cl.id, cl.kind, cl.source_file, cl.list_date, cl.imported_at, int(count or 0), cl.notes)


def _shown(v: object) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer() and abs(v) < 1e16:
        return str(int(v))
    return str(v)


def _raw(headers: list[str], cells: tuple) -> dict[str, str]:
    out: dict[str, str] = {}
    for i, h in enumerate(headers):
        if i < len(cells) and h and cells[i] not in (None, ""):
            out[h] = _shown(cells[i]).strip()
    return out
