"""A 班主任 prints the documents of own classes only; a school-wide document is refused (the service
check that both the print command and the window's print buttons pass)."""
from __future__ import annotations

import pytest
from pypdf import PdfReader

from db.access.roles import PermissionDenied
from db.docs.kinds import Selection, kind
from db.docs.render import render_batch
from db.models.registry import Student
from db.registry.dto import StudentQuery
from tests.db.access.conftest import open_as


def _classes(sv):
    """Three students in 七年级1班 (the teacher's), three in 八年级2班; returns (own names, other ids)."""
    rows = sv.registry.page(StudentQuery(), 0, 6)
    with sv.ctx.write() as s:
        for n, r in enumerate(rows):
            st = s.get(Student, r.id)
            st.stage = "初中"
            st.grade, st.class_name = ("七年级", "1班") if n < 3 else ("八年级", "2班")
    return {r.name for r in rows[:3]}, [r.id for r in rows[3:]]


def _text(path) -> str:
    return "".join(p.extract_text() for p in PdfReader(str(path)).pages)


def test_a_class_teacher_prints_own_classes_only(admin_services, encrypted, clock, tmp_path):
    path, _ = encrypted
    own, others = _classes(admin_services)
    admin_services.access.add_user("孙班主任", "班主任", "Teacher#2020", classes="七年级1班")
    db, teacher = open_as(path, "孙班主任", "Teacher#2020", clock)
    try:
        cover = kind("cover")
        mine = teacher.registry.printable(cover, Selection(all=True))
        assert len(mine.student_ids) == 3 and not mine.all
        out = render_batch(cover.sections(teacher.ctx, mine), tmp_path / "封面.pdf")
        assert out.sections == 3
        text = _text(out.path)
        assert all(name in text for name in own)
        with pytest.raises(PermissionDenied, match="所教班级"):
            teacher.registry.printable(cover, Selection(student_ids=tuple(others)))
        with pytest.raises(PermissionDenied, match="所教班级"):
            teacher.registry.printable(cover, Selection(class_name="八年级2班"))
        with pytest.raises(PermissionDenied, match="全校"):
            teacher.registry.printable(kind("dropout-report"), Selection(all=True))
    finally:
        db.dispose()
    # everyone else prints what they ask for
    sel = Selection(class_name="八年级2班")
    assert admin_services.registry.printable(kind("cover"), sel) is sel
