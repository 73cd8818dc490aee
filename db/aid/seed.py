"""Anhui's aid standards as editable defaults (DOMAIN.md "Aid"). Seeded into `aid_standard` on first
use; the county can edit every figure. Amounts are yearly fen; a yearly amount is paid half in each
term unless `spring_share` says otherwise.
"""
from __future__ import annotations

from db.aid.dto import StandardRow

# Who gets 义务教育生活补助 (editable): the usual family-difficulty categories.
COMPULSORY_CATEGORIES = "建档立卡,农村低保,城市低保,特困供养,孤儿,事实无人抚养儿童,残疾学生,残疾人子女"
SENIOR_FREE_CATEGORIES = "建档立卡,农村低保,城市低保,特困供养,残疾学生"


def _s(programme, stage, from_term, to_term, *, yearly=0, categories="", residence="", grades="",
       tiers=(), per_day=0, days=0, cash=True, notes="") -> StandardRow:
    return StandardRow(None, programme, stage, from_term, to_term, categories, residence, grades,
                       yearly * 100, per_day * 100, days, [t * 100 for t in tiers], 50, cash, True, True, 1,
                       notes)


SEED: list[StandardRow] = [
    _s("家庭经济困难幼儿资助", "学前", "", "", yearly=800, notes="不低于 800 元/年，部分县 1000 元"),
    _s("寄宿生生活补助", "小学", "2019春", "2023秋", yearly=1000, categories=COMPULSORY_CATEGORIES,
       residence="寄宿"),
    _s("寄宿生生活补助", "初中", "2019春", "2023秋", yearly=1250, categories=COMPULSORY_CATEGORIES,
       residence="寄宿"),
    _s("非寄宿生生活补助", "小学", "2019秋", "2023秋", yearly=500, categories=COMPULSORY_CATEGORIES,
       residence="走读", notes="寄宿生标准的 50%"),
    _s("非寄宿生生活补助", "初中", "2019秋", "2023秋", yearly=625, categories=COMPULSORY_CATEGORIES,
       residence="走读", notes="寄宿生标准的 50%"),
    _s("寄宿生生活补助", "小学", "2024春", "", yearly=1250, categories=COMPULSORY_CATEGORIES,
       residence="寄宿", notes="皖财教〔2024〕438号"),
    _s("寄宿生生活补助", "初中", "2024春", "", yearly=1500, categories=COMPULSORY_CATEGORIES,
       residence="寄宿", notes="皖财教〔2024〕438号"),
    _s("非寄宿生生活补助", "小学", "2024春", "", yearly=625, categories=COMPULSORY_CATEGORIES,
       residence="走读", notes="皖财教〔2024〕438号"),
    _s("非寄宿生生活补助", "初中", "2024春", "", yearly=750, categories=COMPULSORY_CATEGORIES,
       residence="走读", notes="皖财教〔2024〕438号"),
    *[_s("营养改善计划", stage, "", "2021春", per_day=4, days=100, categories="*", cash=False,
         notes="膳食补助，不发放现金；仅试点县") for stage in ("小学", "初中")],
    *[_s("营养改善计划", stage, "2021秋", "", per_day=5, days=100, categories="*", cash=False,
         notes="膳食补助，不发放现金；仅试点县") for stage in ("小学", "初中")],
    _s("普通高中国家助学金", "普通高中", "", "2024秋", tiers=(1000, 2000, 3000),
       notes="平均 2000 元/年，学校分 2–3 档；建档立卡学生按最高档"),
    _s("普通高中国家助学金", "普通高中", "2025春", "", tiers=(1300, 2300, 3300),
       notes="平均 2300 元/年（2025 年起）；分档为默认值，请按本县文件修改"),
    _s("普通高中免学杂费", "普通高中", "", "", categories=SENIOR_FREE_CATEGORIES,
       notes="按核定的公办学校学杂费标准，请填写金额"),
    _s("中职国家助学金", "中职", "", "", yearly=2000, grades="中职一年级,中职二年级", notes="一、二年级"),
    _s("中职免学费", "中职", "", "", categories="*", notes="全日制在校生，按核定学费标准，请填写金额"),
]
