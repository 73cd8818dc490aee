"""The demonstration data respects the stages the school runs, and says which school year its grades
are for (the rollover and the self-inspection's ages rely on it)."""
from __future__ import annotations

from sqlalchemy import func, select

from db.demo import fill_demo
from db.models.registry import Student
from db.registry.dto import SchoolInfo


def test_the_demo_fills_only_the_stages_the_school_runs(services, sf):
    services.school.save(SchoolInfo(name="某村小学", stages=["小学"]))
    fill_demo(services.ctx, 120)
    with sf() as s:
        stages = dict(s.execute(select(Student.stage, func.count()).group_by(Student.stage)).all())
    assert stages == {"小学": 120}
    assert services.rollover.roll_year() == 2020


def test_without_a_school_the_demo_makes_one_that_runs_every_stage(services, sf):
    fill_demo(services.ctx, 200, year=2021)
    assert services.school.get().stages == ["学前", "小学", "初中", "普通高中", "中职"]
    with sf() as s:
        assert set(s.scalars(select(Student.stage).distinct())) == {"学前", "小学", "初中", "普通高中", "中职"}
    assert services.rollover.roll_year() == 2021
