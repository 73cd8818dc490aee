"""Settings (one validated, audited save that the ledgers read back), the operation log (read-only,
filtered, exported with numbers masked) and the printed self-inspection report."""
from __future__ import annotations

import dataclasses
import datetime as dt
import json

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import select

from db import cli
from db.docs.kinds import Selection, kind
from db.docs.render import render_batch
from db.errors import ValidationError
from db.models.core import AuditLog
from db.office.dto import LogQuery


# ---- settings ---------------------------------------------------------------------------------------
def test_settings_read_what_the_ledgers_keep(sv):
    cfg = sv.config.get()
    assert (cfg.name, cfg.stages, cfg.phone) == ("阚疃镇中心学校", ["学前", "小学", "初中"], "0558-8123456")
    assert (cfg.notice_days, cfg.reply_days, cfg.nutrition_pilot, cfg.visit_every_days) == (5, 30, False, 7)


def test_saving_settings_reaches_every_ledger_and_is_audited(sv, sf):
    cfg = sv.config.get()
    new = dataclasses.replace(cfg, name="阚疃镇第二中心学校", stages=["小学", "初中"], headmaster="赵校长",
                              county_hotline="0558-8800000", nutrition_pilot=True, nutrition_county="利辛县",
                              nutrition_daily_fen="5.00", notice_days=7, reply_days=20, visit_every_days=14)
    saved = sv.config.save(new)
    assert saved.nutrition_daily_fen == 500 and saved.notice_days == 7
    assert sv.school.get().name == "阚疃镇第二中心学校" and sv.school.get().stages == ["小学", "初中"]
    assert sv.letters.reply_days() == 20 and sv.special.visit_settings().every_days == 14
    aid = sv.aid.aid_settings()
    assert (aid.nutrition_pilot, aid.nutrition_county, aid.nutrition_daily_fen) == (True, "利辛县", 500)
    with sf() as s:
        entry = s.scalars(select(AuditLog).where(AuditLog.action == "settings").order_by(AuditLog.id.desc())).first()
    assert "学校名称 阚疃镇中心学校 → 阚疃镇第二中心学校" in entry.summary and "公示天数 5 → 7" in entry.summary
    assert json.loads(entry.before)["reply_days"] == 30 and "phone" not in json.loads(entry.after)
    assert sv.config.save(saved) == saved                      # nothing changed: nothing written
    with sf() as s:
        assert s.scalars(select(AuditLog).order_by(AuditLog.id.desc())).first().id == entry.id


def test_the_notice_period_follows_the_setting(sv, add):
    add("甲")
    sv.aid.plan("2020秋")
    sv.config.save(dataclasses.replace(sv.config.get(), notice_days=7))
    with pytest.raises(ValidationError, match="不少于 7 个工作日"):
        sv.aid.export_notice("/tmp/never.xlsx", start=dt.date(2020, 9, 7), end=dt.date(2020, 9, 11), term="2020秋")


def test_bad_settings_are_all_named_and_nothing_is_saved(sv):
    bad = dataclasses.replace(sv.config.get(), name=" ", stages=[], phone="12", nutrition_pilot=True,
                              nutrition_daily_fen="5.123", notice_days=3, reply_days=0, visit_every_days=0)
    with pytest.raises(ValidationError) as e:
        sv.config.save(bad)
    assert set(e.value.problems) == {"name", "stages", "phone", "nutrition_county", "nutrition_daily_fen",
                                     "notice_days", "reply_days", "visit_every_days"}
    assert "不少于 5 个工作日" in e.value.problems["notice_days"]
    assert sv.school.get().name == "阚疃镇中心学校"


# ---- operation log ---------------------------------------------------------------------------------
@pytest.fixture
def logged(sv, add):
    kid = add("张小明")
    sv.registry.save_student(dataclasses.replace(sv.registry.get_student(kid), phone="13912345678"))
    sv.config.save(dataclasses.replace(sv.config.get(), headmaster="赵校长"))
    return kid


def test_the_log_filters_by_student_action_user_and_date(sv, logged):
    everything = sv.oplog.entries()
    assert everything[0].id > everything[-1].id                      # newest first
    mine = sv.oplog.entries(LogQuery(student_id=logged))
    assert mine and all(r.entity == "student" or "张小明" in r.summary for r in mine)
    assert {r.action for r in sv.oplog.entries(LogQuery(action="settings"))} == {"settings"}
    assert sv.oplog.count(LogQuery(actor="李老师")) == sv.oplog.count() - sv.oplog.count(LogQuery(actor="系统"))
    assert sv.oplog.count(LogQuery(start=dt.date(2000, 1, 1), end=dt.date(2000, 1, 2))) == 0
    day = dt.date(2020, 11, 20)        # the context's clock: 2020-11-20 02:00 UTC, shown (and filtered) in local time
    assert sv.oplog.count(LogQuery(start=day - dt.timedelta(days=1), end=day + dt.timedelta(days=1))) == sv.oplog.count()
    assert "settings" in sv.oplog.actions() and "李老师" in sv.oplog.actors()


def test_the_log_export_masks_every_number(sv, logged, tmp_path):
    before = sv.oplog.count()
    path, n = sv.oplog.export(LogQuery(), tmp_path / "日志.xlsx")
    assert n == before
    last = sv.oplog.entries()[0]                                     # the export is itself recorded
    assert (last.action, last.entity) == ("export", "audit_log") and f"{n} 条" in last.summary
    assert sv.oplog.chain().ok
    text = "".join(str(c.value or "") for row in load_workbook(path).active.iter_rows() for c in row)
    assert "13912345678" not in text and "139****5678" in text
    assert "赵校长" in text


def test_main_log(database, logged, capsys, tmp_path):
    assert cli.run(["log", "--action", "settings", "--json", "--db", str(database.path)]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["total"] >= 1 and all(e["action"] == "settings" for e in out["entries"])
    who = out["entries"][0]["actor"]
    assert cli.run(["log", "--by", who, "--json", "--db", str(database.path)]) == 0   # --user is the login
    assert {e["actor"] for e in json.loads(capsys.readouterr().out)["entries"]} == {who}
    assert cli.run(["log", "--by", "没有此人", "--json", "--db", str(database.path)]) == 0
    assert json.loads(capsys.readouterr().out)["total"] == 0
    assert cli.run(["log", "--export", str(tmp_path / "x.xlsx"), "--db", str(database.path)]) == 0
    assert (tmp_path / "x.xlsx").exists()
    assert cli.run(["log", "--from", "2020-13-01", "--db", str(database.path)]) == 2


# ---- the report ------------------------------------------------------------------------------------
def test_the_printed_report_has_the_date_counts_and_gaps(octx, sv, add, tmp_path):
    add("甲有资助")
    add("乙低保", cats=("农村低保",))
    sv.aid.plan("2020秋")
    out = render_batch(kind("check").sections(octx, Selection(all=True)), tmp_path / "自查.pdf")
    text = "".join(p.extract_text() for p in PdfReader(out.path).pages)
    for words in ("学生资助工作自查报告", "2020年11月20日", "合计核对 2 人", "本学期有资助", "乙低保", "认定信息不全",
                  "未落实"):
        assert words in text.replace("\n", ""), words
    assert "341623" not in text.replace("341623****", "")           # ID numbers only masked
