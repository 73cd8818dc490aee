"""A student's enrolment (在校状态) changed by another ledger's action, inside that action's own write:
a dropout case opening (辍学), a return to school (在校), a case closed as 转学 (转出) … One function, one
audit entry, so that the registry's status and the reason for it are committed together."""
from __future__ import annotations

from sqlalchemy.orm import Session

from db import audit, enums
from db.context import ServiceContext
from db.errors import NotFound
from db.models.registry import Student
from db.validators import mask_id


def set_enrolment(s: Session, ctx: ServiceContext, student_id: int, enrolment: str, *, why: str,
                  study_location: str | None = None, study_school: str | None = None) -> str:
    """Set the student's enrolment (and, for 在外就读/转出, where they study) in the open write `s`;
    returns the enrolment it had. Audited as an update of the student."""
    if enrolment not in enums.values(enums.Enrolment):
        raise ValueError(f"unknown enrolment {enrolment!r}")
    st = s.get(Student, student_id)
    if st is None:
        raise NotFound(f"找不到编号为 {student_id} 的学生，可能已被删除")
    before = {"enrolment": st.enrolment, "study_location": st.study_location, "study_school": st.study_school}
    st.enrolment = enrolment
    if study_location is not None:
        st.study_location = study_location or None
    if study_school is not None:
        st.study_school = study_school
    after = {"enrolment": st.enrolment, "study_location": st.study_location, "study_school": st.study_school}
    if after != before:
        audit.record(s, ctx, "update", "student", st.id, before=before, after=after,
                     summary=f"{st.name} {mask_id(st.id_number)} 在校状态：{before['enrolment']} → {enrolment}（{why}）")
    return before["enrolment"]
