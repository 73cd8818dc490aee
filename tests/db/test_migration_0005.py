"""Migration 0005 (issue 9) on a database of the 0004 schema with data in it: nothing is lost, the
current difficulty level becomes this school year's 认定 (marked 升级迁移), batches are not rewritten
(a pending fee waiver is labelled 减免, nothing else changes), and a refresh shows what would change
without touching a paid line."""
from __future__ import annotations

import datetime as dt
import sqlite3

from alembic import command

from db.aid.service import AidService
from db.context import Actor, ServiceContext
from db.engine import alembic_config, make_engine, open_database
from db.terms import school_year_of

ID1, ID2, ID3 = "341623201005030012", "341623201106040023", "34162320070101003X"


def old_database(path):
    engine = make_engine(path)
    command.upgrade(alembic_config(engine), "0004")
    engine.dispose()
    con = sqlite3.connect(path)
    x = con.execute
    x("INSERT INTO school (id, name, county, township, stages, code, officer, headmaster, phone) "
      "VALUES (1, '阚疃镇中心学校', '利辛县', '', '小学,初中', '', '', '', '')")
    for sid, name, idn, stage, grade, res, level, loc in (
            (1, "张小明", ID1, "初中", "八年级", "寄宿", "特别困难", None),
            (2, "李小红", ID2, "初中", "八年级", "走读", "不困难", "省内县外"),
            (3, "王小刚", ID3, "中职", "中职二年级", "走读", "困难", None)):
        x("INSERT INTO student (id, name, name_pinyin, name_initials, ethnicity, id_number, stage, grade, class_name, "
          "residence, enrolment, study_location, study_school, relation_to_head, difficulty_level, phone, bank_card_no, "
          "bank_name, card_holder, card_holder_relation, notes) VALUES (?, ?, '', '', '汉族', ?, ?, ?, '1班', ?, "
          "'在校', ?, '', '', ?, '', '6228480000000000001', '中国农业银行', '家长', '', '')",
          (sid, name, idn, stage, grade, res, loc, level))
    x("INSERT INTO student_category VALUES (1, '其他困难'), (2, '孤儿'), (3, '建档立卡')")
    std = ("INSERT INTO aid_standard (id, programme, stage, from_term, to_term, categories, residence, grades, "
           "yearly_fen, per_day_fen, school_days, tiers, spring_share, cash, is_default, active, version, sort_order, "
           "notes) VALUES (?, ?, ?, ?, ?, ?, ?, '', ?, 0, 0, '', 50, 1, ?, 1, 1, 0, '')")
    x(std, (1, "寄宿生生活补助", "初中", 4038, 4047, "建档立卡,孤儿", "寄宿", 125000, 1))
    x(std, (2, "非寄宿生生活补助", "初中", 4039, 4047, "建档立卡,孤儿", "走读", 62500, 1))
    x(std, (3, "中职免学费", "中职", None, None, "*", "", 0, 1))
    x(std, (4, "家庭经济困难幼儿资助", "学前", None, None, "其他困难", "", 100000, 0))
    x("INSERT INTO setting VALUES ('aid.standards_seeded', '1')")
    x("INSERT INTO aid_batch (id, term_key, total_fen, notes) VALUES (1, 4041, 93750, '')")
    line = ("INSERT INTO disbursement (id, batch_id, student_id, standard_id, standard_version, programme, stage, "
            "computed_fen, amount_fen, adjusted, reason, status, paid_on, card_no, bank_name, card_holder, void_reason, "
            "voided_by) VALUES (?, 1, ?, ?, 1, ?, ?, ?, ?, 0, '旧依据', ?, ?, ?, '', '', '', '')")
    x(line, (1, 1, 1, "寄宿生生活补助", "初中", 62500, 62500, "已发放", "2020-09-20", "6228480000000000001"))
    x(line, (2, 2, 2, "非寄宿生生活补助", "初中", 31250, 31250, "待发放", None, None))     # 孤儿: no longer
    x(line, (3, 3, 3, "中职免学费", "中职", 0, 0, "待发放", None, None))                    # a waiver
    con.commit()
    con.close()


def rows(path, sql):
    con = sqlite3.connect(path)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def test_upgrade_keeps_everything_and_refresh_shows_the_changes(tmp_path):
    path = tmp_path / "old.sqlite3"
    old_database(path)
    before_lines = rows(path, "SELECT id, student_id, amount_fen, paid_on, card_no FROM disbursement ORDER BY id")
    db = open_database(path)
    assert db.backup_path is not None and db.backup_path.exists()
    year = school_year_of(dt.date.today())
    assert rows(path, "SELECT student_id, school_year, level, source FROM difficulty_assessment ORDER BY 1") == [
        (1, year, "特别困难", "升级迁移"), (2, year, "不困难", "升级迁移"), (3, year, "困难", "升级迁移")]
    assert rows(path, "SELECT study_location, notes FROM student WHERE id = 2") == \
        [("省内市外", "（原就读地：省内县外，请核对）")]
    stds = {r[0]: r[1:] for r in rows(path, "SELECT id, scope, categories, from_term, cash, waiver, version "
                                            "FROM aid_standard")}
    assert stds[1] == ("needy", "", 2011 * 2 + 1, 1, 0, 2)                     # every needy boarder, since 2011秋
    assert stds[2] == ("registered,groups", "残疾学生,农村低保,特困供养", 4039, 1, 0, 2)
    assert stds[3] == ("needy,agri,rural", "", None, 0, 1, 2)                   # a waiver, not cash
    assert stds[4] == ("groups", "其他困难", None, 1, 0, 2)                      # edited: its list kept
    assert rows(path, "SELECT id, student_id, amount_fen, paid_on, card_no FROM disbursement ORDER BY id") == before_lines
    assert rows(path, "SELECT id, status FROM disbursement ORDER BY id") == [(1, "已发放"), (2, "待发放"), (3, "减免")]
    assert rows(path, "PRAGMA foreign_key_check") == [] and rows(path, "PRAGMA integrity_check") == [("ok",)]

    aid = AidService(ServiceContext(db.session_factory, Actor("李老师")))
    preview = aid.plan("2020秋", dry_run=True)       # 2020秋 has no assessment (migrated to the current year)
    assert preview.dry_run and rows(path, "SELECT count(*) FROM disbursement") == [(3,)]
    changes = {(c.student_id, c.programme): c for c in preview.changes}
    assert changes[(2, "非寄宿生生活补助")].action == "移除"
    assert (1, "寄宿生生活补助") not in changes                                   # paid: never changes
    aid.plan("2020秋")
    assert rows(path, "SELECT amount_fen, status, paid_on FROM disbursement WHERE id = 1") == \
        [(62500, "已发放", "2020-09-20")]
    db.dispose()
