"""Issue 9 in the county-list importer: 认定等级 recorded for a confirmed school year, 监测对象 is not
建档立卡, 孤残 is asked, 一档/二档/三档 is a tier, 帮扶责任人 is not the liaison officer, 户籍性质 and
中职 专业/涉农 are read."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from sqlalchemy import select

from db.aid.service import AidService
from db.exchange.school_year import school_year_in
from db.exchange.service import ExchangeService
from db.models.registry import DifficultyAssessment, Household, LiaisonOfficer, Student, StudentCategory
from tests.db.exchange.files import make_id, write_xlsx

ROOT = Path(__file__).resolve().parents[3]
HEAD = ["姓名", "身份证号", "学段", "年级", "寄宿/走读", "资助对象类别", "认定等级", "户主姓名", "帮扶责任人",
        "户籍性质", "专业", "是否涉农专业"]


def rows():
    return [HEAD,
            ["张一", make_id(seq=1), "初中", "八年级", "寄宿", "边缘易致贫户", "困难", "张大", "刘干部", "农业", "", ""],
            ["李二", make_id(seq=2), "初中", "八年级", "走读", "孤残", "特别困难", "李大", "", "农村", "", ""],
            ["王三", make_id(seq=3), "中职", "中职二年级", "走读", "", "三档", "王大", "", "城镇", "现代农艺技术", "是"],
            ["赵四", make_id(seq=4), "初中", "七年级", "走读", "脱贫户", "", "赵大", "陈干部", "农业", "", ""]]


def by_name(sf, model_col, name):
    with sf() as s:
        return s.scalar(select(model_col).join(Student, Student.id == model_col.class_.student_id)
                        .where(Student.name == name))


def test_title_names_the_school_year():
    assert school_year_in(["利辛县2020年秋季学期家庭经济困难学生名单"]) == 2020
    assert school_year_in(["2021年春季学期资助名单"]) == 2020
    assert school_year_in(["2019-2020学年资助对象"]) == 2019
    assert school_year_in(["资助名单", "填报单位：某校"]) is None


def test_levels_categories_and_fields(sctx, sf, tmp_path):
    path = write_xlsx(tmp_path / "名单.xlsx", rows(), title="利辛县2020年秋季学期家庭经济困难学生名单")
    ex = ExchangeService(sctx)
    p = ex.preview(path)
    assert p.has_levels and (p.school_year, p.school_year_from) == (2020, "表格标题")
    reasons = {(x.row, x.field): x.reason for x in p.problems}
    assert "孤儿还是残疾学生" in reasons[(4, "categories")]                   # asked, not guessed
    assert "资助档次，不是认定等级" in reasons[(5, "difficulty_level")]
    r = ex.run(p)
    assert (r.imported, r.assessments, r.school_year) == (4, 2, 2020)
    with sf() as s:
        cats = {n: c for n, c in s.execute(select(Student.name, StudentCategory.category).join(StudentCategory))}
        years = dict(s.execute(select(Student.name, DifficultyAssessment.school_year).join(DifficultyAssessment)).all())
        st = {x.name: x for x in s.scalars(select(Student))}
        hh = {x.head_name: x for x in s.scalars(select(Household))}
        assert s.scalars(select(LiaisonOfficer)).all() == []                  # 帮扶责任人 is not the liaison officer
    assert cats == {"张一": "监测对象", "赵四": "建档立卡"}                      # 边缘易致贫户: not 建档立卡
    assert hh["张大"].poverty_status is None and hh["赵大"].poverty_status == "脱贫户"
    assert (hh["张大"].helper_cadre, hh["赵大"].helper_cadre) == ("刘干部", "陈干部")
    assert years == {"张一": 2020, "李二": 2020}
    assert (st["张一"].hukou, st["李二"].hukou, st["王三"].hukou) == ("农业", "农业", "非农业")
    assert (st["王三"].major, st["王三"].agri_major, st["王三"].difficulty_level) == ("现代农艺技术", True, None)
    assert (st["张一"].difficulty_level, st["李二"].difficulty_level) == ("困难", "特别困难")   # the year's level
    # the rules see it: 监测对象 困难 is needy (boarding allowance) but not registered poor
    aid = AidService(sctx)
    got = {e.programme for e in aid.entitlements("2020秋", [st["张一"].id])}
    assert got == {"寄宿生生活补助"}
    assert "涉农专业" in next(e.reason for e in aid.entitlements("2020秋", [st["王三"].id])
                                if e.programme == "中职国家助学金")


def test_a_later_years_list_moves_the_level_and_keeps_the_history(sctx, sf, tmp_path):
    ex = ExchangeService(sctx)
    ex.run(ex.preview(write_xlsx(tmp_path / "a.xlsx", rows(), title="2020年秋季学期名单")))
    later = [r[:] for r in rows()]
    later[1][6], later[2][6] = "特别困难", "特别困难"                      # 张一 is now 特别困难
    p = ex.preview(write_xlsx(tmp_path / "b.xlsx", later, title="2021年秋季学期名单"))
    r = ex.run(p, apply_updates=True)
    assert (r.school_year, r.assessments) == (2021, 2)
    with sf() as s:
        levels = dict(s.execute(select(Student.name, Student.difficulty_level)).all())
        history = sorted(s.execute(select(Student.name, DifficultyAssessment.school_year, DifficultyAssessment.level)
                                   .join(DifficultyAssessment)).all())
    assert (levels["张一"], levels["李二"]) == ("特别困难", "特别困难")
    assert history == [("张一", 2020, "困难"), ("张一", 2021, "特别困难"),
                       ("李二", 2020, "特别困难"), ("李二", 2021, "特别困难")]


def test_cli_school_year_overrides_and_defaults_to_the_current_one(tmp_path):
    db = tmp_path / "l.sqlite3"
    path = write_xlsx(tmp_path / "名单.xlsx", rows(), title="资助对象名单")
    cmd = [sys.executable, "main.py", "import", str(path), "--school-year", "2019", "--json", "--db", str(db)]
    r = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, encoding="utf-8", timeout=120)
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["assessment"] == {"school_year": 2019, "from": "命令行", "recorded": 2}
    cmd[5] = "2019-2021"
    r = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, encoding="utf-8", timeout=120)
    assert r.returncode == 2 and "认定学年" in r.stderr
    r = subprocess.run([sys.executable, "main.py", "import", str(path), "--dry-run", "--db", str(db)], cwd=ROOT,
                       capture_output=True, text=True, encoding="utf-8", timeout=120)
    assert r.returncode == 0 and "学年的认定（当前学年）" in r.stdout
