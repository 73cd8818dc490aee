"""The permissions of the acting user, enforced where every write passes (db.context.ServiceContext:
`roles.check_write` before the transaction, `install` on its session for a 班主任).

- a role that may change nothing (校长/查阅) is refused at `ctx.write()` itself; only the audit entry
  of an export or a print (`ctx.write(audit_only=True)`, db.audit.log_event) passes;
- a role limited to its own classes (班主任/录入员) gets a check of every flush of its transaction:
  only students, their categories, households, visits and what a visit confirms may change, only for
  students of the user's classes, and nothing may be deleted (the rows a form replaces excepted);
  bulk writes (`immediate=True`: imports, plans) are refused;
- sensitive actions also call `roles.require` at their entry (exports with full numbers, showing a
  full number, users, settings, backups and restores), so that the message comes before any work.
The window hides what a role cannot use; these checks are what protects the data (the CLI and any
script go through the same services).
"""
from __future__ import annotations

from sqlalchemy import and_, event, or_, select
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.orm import Session

from db.access.roles import PermissionDenied, Role, in_classes
from db.models.aid import Disbursement, Visit, VisitPayment
from db.models.core import AuditLog
from db.models.registry import Household, Student, StudentCategory

_CLERK_MAY_CHANGE = (Student, StudentCategory, Household, Visit, VisitPayment, Disbursement, AuditLog)
_CLERK_MAY_DELETE = (StudentCategory, VisitPayment)          # the rows a saved form replaces
_CLERK_BULK_TABLES = {"visit_payment"}


def own_students(actor):
    """The SQL condition "a student of the actor's own classes" for the reads of a 班主任/录入员 (lists,
    searches, the family page); None when the actor is not limited to classes."""
    if not actor.classes:
        return None
    return or_(*[and_(Student.grade == g, Student.class_name == c) if c else Student.grade == g
                 for g, c in sorted(actor.classes)])


def require_own_student(actor, grade: str | None, class_name: str | None, what: str = "学生") -> None:
    """A 班主任/录入员 reading one student (or the student's family) of another class is refused."""
    if actor.classes and not in_classes(grade, class_name, actor.classes):
        raise PermissionDenied(f"当前用户“{actor.name}”只能查看本班的{what}")


def install(s: Session, actor) -> None:
    """Check every flush and bulk statement of the session `s` against `actor`'s classes."""
    event.listen(s, "before_flush", lambda session, _ctx, _inst: _check_flush(session, actor))
    event.listen(s, "do_orm_execute", lambda state: _check_statement(state, actor))


def _refuse(actor, what: str) -> None:
    raise PermissionDenied(f"当前用户“{actor.name}”（{Role.CLERK.value}）{what}")


def _check_flush(s: Session, actor) -> None:
    for obj in s.deleted:
        if not isinstance(obj, _CLERK_MAY_DELETE):
            _refuse(actor, "不能删除记录；需要删除时请找资助专干或管理员")
    for obj in list(s.new) + list(s.dirty):
        if not isinstance(obj, _CLERK_MAY_CHANGE) or (isinstance(obj, AuditLog) and obj not in s.new):
            _refuse(actor, "只能录入和修改本班学生及走访")
        _check_object(s, obj, actor)


def _check_object(s: Session, obj, actor) -> None:
    classes = actor.classes
    if isinstance(obj, Student):
        before = _old(obj, "grade"), _old(obj, "class_name")
        if not in_classes(obj.grade, obj.class_name, classes) or (
                obj not in s.new and not in_classes(*before, classes)):
            _refuse(actor, f"只能录入和修改本班的学生（{obj.name}：{obj.grade}{obj.class_name}）")
    elif isinstance(obj, Household) and obj not in s.new:
        _household_in_classes(s, obj.id, actor)
    elif isinstance(obj, Visit):
        _household_in_classes(s, obj.household_id, actor)
    elif isinstance(obj, Disbursement):
        st = s.get(Student, obj.student_id)
        if st is None or not in_classes(st.grade, st.class_name, classes):
            _refuse(actor, "只能核实本班学生的发放")


def _household_in_classes(s: Session, household_id: int | None, actor) -> None:
    if household_id is None:
        return
    with s.no_autoflush:
        grades = s.execute(select(Student.grade, Student.class_name).where(Student.household_id == household_id)).all()
    if not grades:
        return                           # a family without students yet (made from the student form)
    if not any(in_classes(g, c, actor.classes) for g, c in grades):
        _refuse(actor, "只能修改本班学生的家庭和走访")


def _old(obj, attr: str):
    hist = sa_inspect(obj).attrs[attr].history
    return hist.deleted[0] if hist.deleted else getattr(obj, attr)


def _check_statement(state, actor) -> None:
    if not (state.is_delete or state.is_update or state.is_insert):
        return
    table = getattr(getattr(state.statement, "table", None), "name", "")
    if table not in _CLERK_BULK_TABLES:
        _refuse(actor, "只能录入和修改本班学生及走访")
