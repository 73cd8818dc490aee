"""Reading the operation log (操作日志) — read-only: filter by date, student, action and user, and
export what the filter finds for an inspector with every number masked. The log is written by
db.audit only (hash-chained); this module reads it, reuses db.audit's chain check and event record and
db.audit_export's names of actions (the whole log's export is db.audit_export's).

    oplog.count(LogQuery) / oplog.entries(LogQuery, offset, limit) -> [LogRow]   newest first
    oplog.actions() / oplog.actors() -> the values to filter by
    oplog.chain() -> db.audit.ChainReport                 whether the log was edited, deleted or reordered
    oplog.export(LogQuery, path) -> (path, rows)          itself recorded in the log
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlalchemy import and_, func, or_, select

from db import audit, clock, logs
from db.audit_export import ACTIONS as EXPORT_ACTIONS
from db.context import Cancel, Progress, ServiceContext
from db.models.core import AuditLog
from db.models.registry import Student
from db.office.dto import LogQuery, LogRow
from db.sheets import Cancelled, write_rows_xlsx

ACTIONS = {**EXPORT_ACTIONS, "adjust": "调整金额", "rollover": "学年结转", "move": "变更状态", "transition": "变更状态",
           "send": "发出", "reply": "登记回复"}
ENTITIES = {"student": "学生", "household": "家庭", "disbursement": "发放记录", "aid_batch": "发放批次",
            "aid_standard": "资助标准", "visit": "走访", "liaison_officer": "联络员", "difficulty_assessment": "困难认定",
            "county_list": "推送名单", "dropout_case": "控辍保学个案", "dropout_attempt": "劝返记录", "letter": "函件",
            "letter_call": "电话跟进", "school": "学校", "setting": "设置", "school_year": "学年",
            "student_exit": "离校登记"}
HEADERS = ["时间", "操作人", "操作", "对象", "编号", "摘要", "修改前", "修改后", "结果"]
EXPORT_PAGE = 2000


def action_label(action: str) -> str:
    return ACTIONS.get(action, action)


def entity_label(entity: str) -> str:
    return ENTITIES.get(entity, entity)


def describe(q: LogQuery) -> str:
    parts = [f"{q.start or '…'} 至 {q.end or '…'}" if q.start or q.end else "",
             f"学生编号 {q.student_id}" if q.student_id is not None else "", f"包含“{q.text}”" if q.text else "",
             action_label(q.action) if q.action else "", f"操作人 {q.actor}" if q.actor else ""]
    return "，".join(p for p in parts if p) or "全部记录"


def utc_bounds(day: dt.date) -> dt.datetime:
    """Local midnight starting `day`, as the naive UTC the log stores."""
    local_midnight = dt.datetime.combine(day, dt.time()).astimezone()
    return local_midnight.astimezone(dt.UTC).replace(tzinfo=None)


def _row(a: AuditLog) -> LogRow:
    m = logs.mask_text
    return LogRow(a.id, clock.local_text(a.at, "%Y-%m-%d %H:%M:%S"), a.actor, a.action, action_label(a.action),
                  a.entity, a.entity_id, m(a.summary or ""), m(a.before or ""), m(a.after or ""), bool(a.ok))


class OpLogService:
    def __init__(self, ctx: ServiceContext):
        self._ctx = ctx

    def _conditions(self, s, q: LogQuery) -> list:
        conds = []
        if q.start:
            conds.append(AuditLog.at >= utc_bounds(q.start))
        if q.end:
            conds.append(AuditLog.at < utc_bounds(q.end + dt.timedelta(days=1)))
        if q.action:
            conds.append(AuditLog.action == q.action)
        if q.actor:
            conds.append(AuditLog.actor == q.actor)
        if q.text.strip():
            conds.append(AuditLog.summary.contains(q.text.strip(), autoescape=True))
        if q.student_id is not None:
            name = s.scalar(select(Student.name).where(Student.id == q.student_id))
            mine = and_(AuditLog.entity == "student", AuditLog.entity_id == q.student_id)
            conds.append(or_(mine, AuditLog.summary.contains(name, autoescape=True)) if name else mine)
        return conds

    def count(self, q: LogQuery | None = None) -> int:
        with self._ctx.read() as s:
            return s.scalar(select(func.count(AuditLog.id)).where(*self._conditions(s, q or LogQuery()))) or 0

    def entries(self, q: LogQuery | None = None, offset: int = 0, limit: int = 200) -> list[LogRow]:
        with self._ctx.read() as s:
            stmt = (select(AuditLog).where(*self._conditions(s, q or LogQuery()))
                    .order_by(AuditLog.id.desc()).offset(offset).limit(limit))
            return [_row(a) for a in s.scalars(stmt)]

    def chain(self) -> audit.ChainReport:
        with self._ctx.read() as s:
            return audit.verify_chain(s)

    def actions(self) -> list[str]:
        with self._ctx.read() as s:
            return sorted(s.scalars(select(AuditLog.action).distinct()), key=lambda a: (a not in ACTIONS, a))

    def actors(self) -> list[str]:
        with self._ctx.read() as s:
            return sorted(x for x in s.scalars(select(AuditLog.actor).distinct()) if x)

    def export(self, q: LogQuery | None, out: Path | str, *, progress: Progress = None,
               cancelled: Cancel = None) -> tuple[Path, int]:
        """Every entry the query finds, oldest last as on screen, numbers masked (an inspector's copy);
        written to a temporary file and renamed."""
        q = q or LogQuery()
        audit.can_record(self._ctx)             # no file leaves the app unrecorded
        total = self.count(q)

        def rows():
            done, before = 0, None
            while True:
                with self._ctx.read() as s:
                    conds = self._conditions(s, q) + ([AuditLog.id < before] if before is not None else [])
                    page = [_row(a) for a in s.scalars(select(AuditLog).where(*conds).order_by(AuditLog.id.desc())
                                                       .limit(EXPORT_PAGE))]
                for r in page:
                    yield [r.at, r.actor, r.action_label, entity_label(r.entity),
                           "" if r.entity_id is None else str(r.entity_id), r.summary, r.before, r.after,
                           "成功" if r.ok else "失败"]
                done += len(page)
                if progress:
                    progress(done, total)
                if cancelled and cancelled():
                    raise Cancelled("已取消导出，未写入文件")
                if len(page) < EXPORT_PAGE:
                    return
                before = page[-1].id
        path = Path(out)
        n = write_rows_xlsx(path, "操作日志", HEADERS, rows())
        audit.log_event(self._ctx, "export", "audit_log", summary=f"导出操作日志 {n} 条到 {path.name}（{describe(q)}）")
        return path, n
