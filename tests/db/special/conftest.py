"""Fixtures of the special-needs tests: a service on a real database file with a fixed clock (a day in
the autumn term of 2020), students of the demo school, and images and PDFs made at test time."""
from __future__ import annotations

import datetime as dt
import io

import pytest
from PIL import Image
from sqlalchemy import select

from db.clock import FixedClock
from db.context import Actor, ServiceContext
from db.demo import fill_demo
from db.models.registry import Student
from db.special.dto import FileForm
from db.special.service import SpecialService
from db.validators import id_check_char

TODAY = dt.date(2020, 11, 20)
HAND_ID = "34162320130507001" + id_check_char("34162320130507001")      # a boy born 2013-05-07


@pytest.fixture
def fctx(database):
    """A service context whose "today" is 2020-11-20 (a Friday of the 2020秋 term)."""
    return ServiceContext(database.session_factory, Actor("李老师"), FixedClock(dt.datetime(2020, 11, 20, 2), TODAY))


@pytest.fixture
def svc(fctx):
    fill_demo(fctx, 40)
    return SpecialService(fctx)


@pytest.fixture
def student(svc, sf):
    """A primary-school student of the demo: (id, ID number)."""
    with sf() as s:
        st = s.scalar(select(Student).where(Student.stage == "小学").order_by(Student.id).limit(1))
        return st.id, st.id_number


@pytest.fixture
def file_id(svc, student):
    """A file for that student: 智力 二级, certificate number matching."""
    sid, idn = student
    form = svc.draft_file(f"s:{sid}")
    form.category, form.grade, form.card_no = "智力", "二级", idn + "52"
    return svc.save_file(form).id


def new_child(**kw) -> FileForm:
    """A child typed by hand (not on the roll)."""
    base = dict(name="田小禾", id_number=HAND_ID, category="多重", grade="一级",
                guardian_name="田大山", guardian_relation="父亲", guardian_phone="13912345678")
    base.update(kw)
    return FileForm(**base)


def jpeg(w: int, h: int, *, exif: Image.Exif | None = None, color=(180, 90, 40)) -> bytes:
    img = Image.new("RGB", (w, h), color)
    img.paste((20, 20, 200), (0, 0, w // 4, h // 4))          # a mark in the top-left corner
    out = io.BytesIO()
    img.save(out, "JPEG", quality=90, exif=exif or Image.Exif())
    return out.getvalue()


def png(w: int, h: int, mode: str = "RGBA") -> bytes:
    img = Image.new(mode, (w, h), (0, 128, 0, 0) if mode == "RGBA" else 1)
    out = io.BytesIO()
    img.save(out, "PNG")
    return out.getvalue()


def pdf_bytes(text: str = "assessment report") -> bytes:
    from reportlab.pdfgen.canvas import Canvas
    out = io.BytesIO()
    c = Canvas(out)
    c.drawString(72, 720, text)
    c.showPage()
    c.save()
    return out.getvalue()
