"""Pinyin initials read a name's surname as a surname (issue 10, item 20): "qm" finds 覃明."""
from __future__ import annotations

import pytest
from alembic import command
from sqlalchemy import select, text

from db.engine import alembic_config, open_database
from db.models.registry import Student
from db.pinyin import PinyinCache, pinyin_keys
from db.registry.dto import StudentForm, StudentQuery

CASES = {"覃明": "qm", "曾小": "zx", "单田芳": "stf", "解放": "xf", "仇红": "qh", "区明": "om", "朴树": "ps",
         "查理": "zl", "尉迟敬德": "ycjd", "张三": "zs"}


@pytest.mark.parametrize("name,initials", CASES.items())
def test_initials_use_the_surname_reading(name, initials):
    assert pinyin_keys(name)[1] == initials
    assert PinyinCache()(name) == pinyin_keys(name)        # the importer's fast path agrees


def test_search_by_initials_finds_qin_ming(services):
    from tests.db.exchange.files import make_id
    services.registry.save_student(StudentForm(name="覃明", id_number=make_id(seq=1)))
    assert [r.name for r in services.registry.page(StudentQuery(text="qm"), 0, 10)] == ["覃明"]
    assert services.registry.page(StudentQuery(text="tm"), 0, 10) == []


def test_the_migration_corrects_names_stored_with_the_old_reading(tmp_path):
    db = open_database(tmp_path / "m.sqlite3")
    command.downgrade(alembic_config(db.engine), "0004")
    with db.engine.begin() as c:
        c.execute(text("INSERT INTO student (name, name_pinyin, name_initials, ethnicity, grade, class_name, "
                       "enrolment, study_school, relation_to_head, phone, bank_name, card_holder, "
                       "card_holder_relation, notes) VALUES "
                       "('覃明', 'tan ming', 'tm', '汉族', '', '', '在校', '', '', '', '', '', '', ''), "
                       "('张三', 'zhang san', 'zs', '汉族', '', '', '在校', '', '', '', '', '', '', '')"))
    command.upgrade(alembic_config(db.engine), "head")
    with db.session_factory() as s:
        assert s.execute(select(Student.name, Student.name_pinyin, Student.name_initials).order_by(Student.id)).all() \
            == [("覃明", "qin ming", "qm"), ("张三", "zhang san", "zs")]
    db.engine.dispose()
