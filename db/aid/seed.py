"""Anhui's aid standards as editable defaults (DOMAIN.md "Aid", issue 9). Seeded into `aid_standard`
on first use; the county can edit every figure, scope and period. Amounts are yearly fen; a yearly
amount is paid half in each term unless `spring_share` says otherwise. `scope` says who qualifies
(db.aid.rules.SCOPES); `categories` are the groups of scope "groups".

Periods: 寄宿生生活补助 小学 1000 / 初中 1250 since 2011秋; 非寄宿生生活补助 (half of it) from 2019秋;
both raised by 皖财教〔2024〕438号 from 2024春. 营养改善计划 4 元/天, 5 元 from 2021秋 (pilot schools only).
"""
from __future__ import annotations

from db.aid.dto import StandardRow

# 非寄宿生生活补助 and 普通高中免学杂费: 建档立卡, and (not registered) needy disabled, 农村低保, 农村特困供养
GROUPS = "残疾学生,农村低保,特困供养"


def _s(programme, stage, from_term, to_term, *, yearly=0, scope="needy", categories="", residence="",
       grades="", tiers=(), per_day=0, days=0, cash=True, waiver=False, notes="") -> StandardRow:
    return StandardRow(None, programme, stage, from_term, to_term, categories, residence, grades,
                       yearly * 100, per_day * 100, days, [t * 100 for t in tiers], 50, cash, True, True, 1,
                       notes, waiver, scope)


def _waiver(programme, stage, scope, categories="", notes="") -> StandardRow:
    return _s(programme, stage, "", "", scope=scope, categories=categories, cash=False, waiver=True, notes=notes)


SEED: list[StandardRow] = [
    _s("家庭经济困难幼儿资助", "学前", "", "", yearly=800, notes="不低于 800 元/年，部分县 1000 元"),
    _s("寄宿生生活补助", "小学", "2011秋", "2023秋", yearly=1000, residence="寄宿",
       notes="每一名认定为家庭经济困难的寄宿生"),
    _s("寄宿生生活补助", "初中", "2011秋", "2023秋", yearly=1250, residence="寄宿",
       notes="每一名认定为家庭经济困难的寄宿生"),
    _s("非寄宿生生活补助", "小学", "2019秋", "2023秋", yearly=500, scope="registered,groups", categories=GROUPS,
       residence="走读", notes="寄宿生标准的 50%；建档立卡，及非建档立卡的困难残疾学生、农村低保、农村特困供养"),
    _s("非寄宿生生活补助", "初中", "2019秋", "2023秋", yearly=625, scope="registered,groups", categories=GROUPS,
       residence="走读", notes="寄宿生标准的 50%；建档立卡，及非建档立卡的困难残疾学生、农村低保、农村特困供养"),
    _s("寄宿生生活补助", "小学", "2024春", "", yearly=1250, residence="寄宿", notes="皖财教〔2024〕438号"),
    _s("寄宿生生活补助", "初中", "2024春", "", yearly=1500, residence="寄宿", notes="皖财教〔2024〕438号"),
    _s("非寄宿生生活补助", "小学", "2024春", "", yearly=625, scope="registered,groups", categories=GROUPS,
       residence="走读", notes="皖财教〔2024〕438号"),
    _s("非寄宿生生活补助", "初中", "2024春", "", yearly=750, scope="registered,groups", categories=GROUPS,
       residence="走读", notes="皖财教〔2024〕438号"),
    *[_s("营养改善计划", stage, "", "2021春", per_day=4, days=100, scope="all", cash=False,
         notes="膳食补助，不发放现金；仅试点学校（在“资助标准…”中设置）") for stage in ("小学", "初中")],
    *[_s("营养改善计划", stage, "2021秋", "", per_day=5, days=100, scope="all", cash=False,
         notes="膳食补助，不发放现金；仅试点学校（在“资助标准…”中设置）") for stage in ("小学", "初中")],
    _s("普通高中国家助学金", "普通高中", "", "2024秋", tiers=(1000, 2000, 3000),
       notes="平均 2000 元/年，学校分 2–3 档；特别困难（含建档立卡）按最高档"),
    _s("普通高中国家助学金", "普通高中", "2025春", "", tiers=(1300, 2300, 3300),
       notes="平均 2300 元/年（2025 年起）；分档为默认值，请按本县文件修改"),
    _waiver("普通高中免学杂费", "普通高中", "registered,groups", GROUPS,
            "建档立卡，及非建档立卡的困难残疾学生、农村低保、农村特困供养；按核定的公办学校学杂费标准，请填写金额"),
    _s("中职国家助学金", "中职", "", "", yearly=2000, scope="needy,agri", grades="中职一年级,中职二年级",
       notes="一、二年级的家庭经济困难学生和涉农专业学生"),
    _waiver("中职免学费", "中职", "needy,agri,rural",
            notes="农村（含县镇）户籍、涉农专业和家庭经济困难学生；按核定学费标准，请填写金额"),
]
