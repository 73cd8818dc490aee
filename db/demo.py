"""Realistic demonstration data: households in real Anhui counties, valid ID numbers, every stage.

Fast enough for benchmarks: rows go in with Core executemany, 100,000 students in seconds.
"""
from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from importlib import import_module

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from db import audit, enums, sqlite
from db.context import ServiceContext
from db.models.core import Setting
from db.models.registry import DifficultyAssessment, Household, LiaisonOfficer, School, Student, StudentCategory
from db.pinyin import pinyin_keys
from db.validators import id_check_char, luhn_ok

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "子梓浩宇轩涵欣怡雨晨思佳俊杰博文明辉嘉一诗雅静婷娜伟强磊洋勇军杰涛超鹏华飞鑫晓丽敏燕玲芳红霞梅琳雪慧颖瑶萱彤瑞泽睿皓然昊天宁安心乐语星月阳光春秋冬东南北海山林森"
COUNTIES = {  # region code -> (county, townships)
    "341623": ("利辛县", ("城关镇", "阚疃镇", "张村镇", "江集镇", "孙庙乡", "马店孜镇")),
    "341621": ("涡阳县", ("城关街道", "高公镇", "花沟镇", "曹市镇", "义门镇")),
    "341622": ("蒙城县", ("城关街道", "双涧镇", "小辛集乡", "岳坊镇", "立仓镇")),
}
VILLAGE_WORDS = ["前进", "胜利", "光明", "新华", "红星", "团结", "和平", "幸福", "东风", "建设", "王庄", "李楼", "张集", "刘寨", "陈湖", "杨圩", "赵桥", "孙岗", "周营", "吴庙"]
RELATIONS = {"男": ("之子", "之孙子", "之外孙子"), "女": ("之女", "之孙女", "之外孙女")}
CATEGORY_WEIGHTS = [("建档立卡", 50), ("农村低保", 20), ("特困供养", 4), ("孤儿", 2), ("事实无人抚养儿童", 2),
                    ("残疾学生", 3), ("残疾人子女", 6), ("其他困难", 8), ("城市低保", 5)]
MAJORS = [("现代农艺技术", True), ("畜禽生产技术", True), ("计算机应用", False), ("汽车运用与维修", False),
          ("电子商务", False)]
# Other ledgers' demonstration data, made after the students ("module:function(ctx, seed=, year=)"),
# named as strings so that this module imports no ledger (each ledger's demo may use its helpers).
DEMO_HOOKS = ("db.letters.demo:fill_hook", "db.dropout.demo:fill_hook", "db.survey.demo:fill_survey",
              "db.nutrition.demo:fill_nutrition", "db.employment.demo:fill_employment",
              "db.assistance.demo:fill_assistance", "db.special.demo:fill_special")
ROLL_YEAR_KEY = "school.roll_year"      # the school year the roll's grades are for (db.office.rollover)
STAGE_AGE = [(enums.Stage.PRESCHOOL, 3), (enums.Stage.PRIMARY, 6), (enums.Stage.JUNIOR, 12),
             (enums.Stage.SENIOR, 15), (enums.Stage.VOCATIONAL, 15)]


def make_id(rng: random.Random, region: str, birth: dt.date, male: bool, used: set[str]) -> str:
    while True:
        seq = rng.randrange(0, 100)
        sex = rng.randrange(0, 10, 1)
        if (sex % 2 == 1) != male:
            sex = (sex + 1) % 10
        body = f"{region}{birth:%Y%m%d}{seq:02d}{sex}"
        number = body + id_check_char(body)
        if number not in used:
            used.add(number)
            return number


def make_card(rng: random.Random) -> str:
    body = "622848" + "".join(str(rng.randrange(10)) for _ in range(12))
    for check in "0123456789":
        if luhn_ok(body + check):
            return body + check
    raise AssertionError


def fill_demo(ctx: ServiceContext, students: int, *, seed: int = 2020, year: int = 2020,
              progress: Callable[[int, int], None] | None = None, ledgers: bool = False) -> int:
    """Add `students` demonstration students (and their households). Returns how many were added.
    `ledgers`: then fill the other ledgers' demonstration data too (DEMO_HOOKS)."""
    rng = random.Random(seed)
    with ctx.write() as s:
        used = set(s.scalars(select(Student.id_number).where(Student.id_number.is_not(None))))
        used |= set(s.scalars(select(Household.head_id_number).where(Household.head_id_number.is_not(None))))
        stage_ages = _school_stages(s, year)
        officers = list(s.scalars(select(LiaisonOfficer.id)))
        if not officers:
            s.execute(insert(LiaisonOfficer), [
                {"name": rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN),
                 "phone": f"13{rng.randrange(5, 10)}{rng.randrange(10**8):08d}", "unit": "本校"}
                for _ in range(20)])
            officers = list(s.scalars(select(LiaisonOfficer.id)))
        hh_start = (s.scalar(select(func.max(Household.id))) or 0) + 1
        st_start = (s.scalar(select(func.max(Student.id))) or 0) + 1
        households, rows, cats, levels = [], [], [], []
        pinyin_cache: dict[str, tuple[str, str]] = {}
        hid = hh_start
        made = 0
        while made < students:
            region = rng.choice(list(COUNTIES))
            county, towns = COUNTIES[region]
            surname = rng.choice(SURNAMES)
            head_male = rng.random() < 0.8
            head_birth = dt.date(rng.randrange(1960, 1992), rng.randrange(1, 13), rng.randrange(1, 29))
            hh_cats = [c for c, w in CATEGORY_WEIGHTS if rng.randrange(100) < w] or ["其他困难"]
            poor = "建档立卡" in hh_cats
            status = rng.choice(("脱贫户", "脱贫户", "脱贫户", "未脱贫户", "监测户")) if poor else None
            households.append({
                "id": hid, "household_no": f"{region}{hid:010d}",
                "head_name": surname + rng.choice(GIVEN) + rng.choice(GIVEN),
                "head_id_number": make_id(rng, region, head_birth, head_male, used),
                "township": rng.choice(towns), "village": rng.choice(VILLAGE_WORDS) + "村",
                "group_name": f"{rng.randrange(1, 12)}组", "address": "", "notes": "",
                "phone": f"1{rng.choice('35789')}{rng.randrange(10**9):09d}",
                "poverty_status": status,
                "poverty_exit_year": rng.randrange(2014, year + 1) if status in ("脱贫户", "监测户") else None,
                "liaison_officer_id": rng.choice(officers), "monitored_type": None,
                "helper_cadre": rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN) if poor else "",
            })
            for _ in range(min(rng.choice((1, 1, 2, 2, 3)), students - made)):
                stage, start_age = rng.choice(stage_ages)
                grades = enums.GRADES[stage]
                gi = rng.randrange(len(grades))
                male = rng.random() < 0.52
                birth = dt.date(year - start_age - gi - (1 if rng.random() < 0.3 else 0),
                                rng.randrange(1, 13), rng.randrange(1, 29))
                name = surname + rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.8 else "")
                if name not in pinyin_cache:
                    pinyin_cache[name] = pinyin_keys(name)
                number = make_id(rng, region, birth, male, used)
                sid = st_start + made
                holder_rel = rng.choice(("父亲", "母亲", "祖父", "本人"))
                rows.append({
                    "id": sid, "household_id": hid, "name": name,
                    "name_pinyin": pinyin_cache[name][0], "name_initials": pinyin_cache[name][1],
                    "gender": "男" if male else "女", "ethnicity": "汉族" if rng.random() < 0.97 else "回族",
                    "id_number": number, "student_no": "G" + number, "birth_date": birth,
                    "stage": stage.value, "grade": grades[gi], "class_name": f"{rng.randrange(1, 7)}班",
                    "residence": ("寄宿" if rng.random() < 0.4 else "走读")
                    if stage in (enums.Stage.PRIMARY, enums.Stage.JUNIOR, enums.Stage.SENIOR) else "走读",
                    "enrolment": rng.choices(("在校", "在外就读", "休学", "辍学"), (95, 3, 1, 1))[0],
                    "study_location": None, "study_school": "", "relation_to_head": rng.choice(RELATIONS["男" if male else "女"]),
                    "difficulty_level": "特别困难" if poor else rng.choice(("困难", "一般困难")),
                    "phone": "", "bank_card_no": make_card(rng), "bank_name": "中国农业银行",
                    "hukou": "农业" if rng.random() < 0.9 else "非农业", "major": "", "agri_major": None,
                    "card_holder": name if holder_rel == "本人" else households[-1]["head_name"],
                    "card_holder_relation": holder_rel, "notes": "",
                })
                if rows[-1]["enrolment"] == "在外就读":
                    rows[-1]["study_location"] = rng.choice(("本县外校", "市内县外", "省内市外", "省外"))
                if stage == enums.Stage.VOCATIONAL:
                    rows[-1]["major"], rows[-1]["agri_major"] = rng.choice(MAJORS)
                levels.append({"student_id": sid, "school_year": year, "level": rows[-1]["difficulty_level"],
                               "assessed_on": dt.date(year, 9, 10), "reason": "家庭经济困难（演示数据）",
                               "assessed_by": "李老师", "source": "手工录入"})
                cats.extend({"student_id": sid, "category": c} for c in hh_cats)
                made += 1
            hid += 1
            if len(rows) >= 20000:
                _flush(s, households, rows, cats, levels)
                if progress:
                    progress(made, students)
        _flush(s, households, rows, cats, levels)
        audit.record(s, ctx, "demo", "student", None, summary=f"生成演示数据 {students} 名学生")
        sqlite.analyze(s)           # fresh statistics so the planner picks the right indexes
    for hook in DEMO_HOOKS if ledgers else ():
        module, _, fn = hook.partition(":")
        getattr(import_module(module), fn)(ctx, seed=seed, year=year)
    if progress:
        progress(students, students)
    return students


def _school_stages(s: Session, year: int) -> list[tuple[enums.Stage, int]]:
    """The stages (and their starting ages) of the school: the demo fills only the stages it runs. With no
    school yet (the command line, benchmarks) it makes one that runs every stage. The roll's grades are
    `year`'s (the rollover and the self-inspection read it)."""
    if s.scalar(select(func.count(School.id))) == 0:
        s.add(School(name="阚疃镇中心学校", county="利辛县", township="阚疃镇",
                     stages=",".join(st.value for st, _age in STAGE_AGE), officer="李老师", headmaster="王校长"))
    if s.get(Setting, ROLL_YEAR_KEY) is None:
        s.add(Setting(key=ROLL_YEAR_KEY, value=str(year)))
    s.flush()
    run = (s.scalar(select(School.stages).order_by(School.id).limit(1)) or "").split(",")
    return [(st, age) for st, age in STAGE_AGE if st.value in run] or STAGE_AGE


def _flush(s: Session, households: list, rows: list, cats: list, levels: list) -> None:
    if households:
        s.execute(insert(Household), households)
    if rows:
        s.execute(insert(Student), rows)
    if cats:
        s.execute(insert(StudentCategory), cats)
    if levels:
        s.execute(insert(DifficultyAssessment), levels)
    households.clear(), rows.clear(), cats.clear(), levels.clear()
