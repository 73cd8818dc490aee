"""The school's own details (one row): name, county, township, the stages it runs, contacts."""
from __future__ import annotations

from sqlalchemy import func, select

from db import audit, enums
from db.context import ServiceContext
from db.errors import ValidationError
from db.models.registry import School, Student
from db.registry.dto import SchoolInfo
from db.validators import normalize_phone


class SchoolService:
    def __init__(self, ctx: ServiceContext):
        self._ctx = ctx

    def get(self) -> SchoolInfo | None:
        """The school, or None before the first-start dialog has been filled in."""
        with self._ctx.read() as s:
            sc = s.scalar(select(School).order_by(School.id).limit(1))
            if sc is None:
                return None
            return SchoolInfo(sc.name, sc.county, sc.township, [x for x in sc.stages.split(",") if x],
                              sc.code, sc.officer, sc.headmaster, sc.phone)

    def info(self) -> SchoolInfo:
        """The school, or empty details (for a document header before first start)."""
        return self.get() or SchoolInfo()

    def save(self, info: SchoolInfo) -> SchoolInfo:
        problems = {}
        if not info.name.strip():
            problems["name"] = "请填写学校名称"
        bad = [x for x in info.stages if x not in enums.values(enums.Stage)]
        if bad:
            problems["stages"] = f"未知学段：{'、'.join(bad)}"
        if not info.stages:
            problems["stages"] = "请至少选择一个学段"
        if info.phone.strip():
            try:
                normalize_phone(info.phone)
            except ValueError as e:
                problems["phone"] = str(e)
        if problems:
            raise ValidationError(problems)
        with self._ctx.write() as s:
            sc = s.scalar(select(School).limit(1)) or School()
            s.add(sc)
            sc.name, sc.county, sc.township = info.name.strip(), info.county.strip(), info.township.strip()
            sc.stages = ",".join(x for x in enums.values(enums.Stage) if x in info.stages)
            sc.code, sc.officer, sc.headmaster = info.code.strip(), info.officer.strip(), info.headmaster.strip()
            sc.phone = info.phone.strip()
            audit.record(s, self._ctx, "settings", "school", None, summary=f"学校信息：{sc.name}", after=info)
        return self.get()

    def student_count(self) -> int:
        with self._ctx.read() as s:
            return s.scalar(select(func.count(Student.id)))
