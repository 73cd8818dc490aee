"""Turning raw cells of a county list into registry values. Each parser raises ValueError with a
Chinese reason, or returns the clean value. Pure functions; the importer decides what is fatal."""
from __future__ import annotations

import datetime as dt
import re

from db import enums
from db.validators import NEEDS_CLEANING, clean_text

_EXCEL_EPOCH = dt.date(1899, 12, 30)
_DIRTY = NEEDS_CLEANING
_STAGES = frozenset(enums.values(enums.Stage))
_ENROLMENTS = frozenset(enums.values(enums.Enrolment))
_CATEGORIES = frozenset(enums.values(enums.Category))
_LEVELS = frozenset(enums.values(enums.DifficultyLevel))
_LOCATIONS = frozenset(enums.values(enums.StudyLocation))
_ETHNICITIES = frozenset(enums.ETHNICITIES)


def clean(s: str) -> str:
    """db.validators.clean_text for a str, skipping the work when there is nothing to clean."""
    return clean_text(s) if _DIRTY.search(s) else s
_DATE = re.compile(r"^(\d{4})[-./年](\d{1,2})[-./月](\d{1,2})日?$")
_DATE8 = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_MONTH = re.compile(r"^(\d{4})[-./年](\d{1,2})月?$")


def cell_text(raw: object) -> str:
    """A cell as text without the whitespace, apostrophe and full-width noise; whole floats lose '.0'."""
    if raw is None or raw == "":
        return ""
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    elif isinstance(raw, dt.datetime):
        raw = raw.date()
    return clean(raw) if raw.__class__ is str else clean_text(raw)


def free_text(raw: object) -> str:
    """Free text (notes, addresses) kept as written: only the white space around it is trimmed;
    line breaks (as \\n), quotes and inner spaces stay."""
    if raw is None:
        return ""
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    elif isinstance(raw, dt.datetime):
        raw = raw.date()
    return str(raw).replace("\r\n", "\n").replace("\r", "\n").strip()


def parse_date(raw: object) -> dt.date:
    """2010-05-03, 2010.05.03, 2010/5/3, 20100503, 2010年5月3日, an Excel date or serial number."""
    if isinstance(raw, dt.datetime):
        return raw.date()
    if isinstance(raw, dt.date):
        return raw
    if isinstance(raw, bool):
        raise ValueError("日期不能是是/否值")
    if isinstance(raw, (int, float)):
        n = float(raw)
        if 10000000 <= n <= 99991231 and n.is_integer():
            return parse_date(str(int(n)))
        if 1 <= n < 2958466:
            return _EXCEL_EPOCH + dt.timedelta(days=int(n))
        raise ValueError(f"“{raw}”不是日期")
    s = clean_text(raw)
    s = s.split("T")[0]
    if len(s) > 10 and s[10:].lstrip().startswith(("0:00", "00:00")):
        s = s[:10]
    m = _DATE.match(s) or _DATE8.match(s)
    try:
        if m:
            return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        m = _MONTH.match(s)
        if m:
            return dt.date(int(m.group(1)), int(m.group(2)), 1)
    except ValueError:
        raise ValueError(f"“{s}”不是有效日期") from None
    raise ValueError(f"“{s}”不是可识别的日期（可写作 2010-05-03、2010.5.3、20100503 或 2010年5月3日）")


def parse_gender(raw: object) -> str:
    s = cell_text(raw)
    if s in ("男", "1", "男性", "M", "m"):
        return "男"
    if s in ("女", "2", "女性", "F", "f"):
        return "女"
    raise ValueError(f"性别“{s}”无法识别（应为 男/女 或 1/2）")


_CN_NUM = "一二三四五六七八九"
_GRADE_ALIAS = {"初一": "七年级", "初二": "八年级", "初三": "九年级", "高一年级": "高一", "高二年级": "高二",
                "高三年级": "高三", "小小班": "小班", "学前班": "大班", "七年级": "七年级"}
_GRADE_STAGE = {g: s.value for s, gs in enums.GRADES.items() for g in gs}
_STAGE_ALIAS = {"幼儿园": "学前", "学前教育": "学前", "小学阶段": "小学", "初级中学": "初中", "高中": "普通高中",
                "普高": "普通高中", "中等职业教育": "中职", "职高": "中职", "中专": "中职", "义务教育小学": "小学",
                "义务教育初中": "初中"}


def parse_stage(raw: object) -> str:
    s = cell_text(raw)
    s = _STAGE_ALIAS.get(s, s)
    if s in _STAGES:
        return s
    raise ValueError(f"学段“{s}”无法识别（应为 {'/'.join(enums.values(enums.Stage))}）")


def parse_grade(raw: object, stage: str = "") -> tuple[str, str]:
    """('四年级', '小学'): the grade and the stage it belongs to."""
    s = cell_text(raw)
    for prefix in ("小学", "初中", "普通高中", "高中", "学前", "幼儿园"):
        if s.startswith(prefix) and len(s) > len(prefix):
            s = s[len(prefix):]
            break
    s = _GRADE_ALIAS.get(s, s)
    if s.isdigit() and 1 <= int(s) <= 9:
        s = _CN_NUM[int(s) - 1] + "年级"
    elif len(s) == 3 and s[0].isdigit() and s.endswith("年级") and s[0] != "0":
        s = _CN_NUM[int(s[0]) - 1] + "年级"
    if stage and stage == enums.Stage.VOCATIONAL and not s.startswith("中职") and s[:1] in "一二三":
        s = "中职" + s
    if s in _GRADE_STAGE:
        own = _GRADE_STAGE[s]
        if stage and stage != own:
            raise ValueError(f"{stage}没有“{s}”")
        return s, own
    raise ValueError(f"年级“{s}”无法识别")


def parse_residence(raw: object) -> str:
    s = cell_text(raw)
    if s in ("寄宿", "寄宿生", "是", "住校", "Y", "y", "1", "√"):
        return "寄宿"
    if s in ("走读", "走读生", "否", "非寄宿", "非寄宿生", "N", "n", "0", "不住校"):
        return "走读"
    raise ValueError(f"寄宿情况“{s}”无法识别（应为 寄宿/走读）")


_ENROL_ALIAS = {"在读": "在校", "正常": "在校", "在籍": "在校", "转学": "转出", "已毕业": "毕业",
                "外地就读": "在外就读", "异地就读": "在外就读"}


def parse_enrolment(raw: object) -> str:
    s = cell_text(raw)
    s = _ENROL_ALIAS.get(s, s)
    if s in _ENROLMENTS:
        return s
    raise ValueError(f"在校状态“{s}”无法识别（应为 {'/'.join(enums.values(enums.Enrolment))}）")


_CAT_ALIAS = {
    "建档立卡户": "建档立卡", "建档立卡贫困户": "建档立卡", "建档立卡学生": "建档立卡", "贫困户": "建档立卡",
    "脱贫户": "建档立卡", "脱贫家庭": "建档立卡", "脱贫家庭学生": "建档立卡", "未脱贫户": "建档立卡",
    # 监测对象 (issue 9) is its own category, not 建档立卡; 低保 without 城/乡 is asked (issue 10)
    "监测户": "监测对象", "防返贫监测户": "监测对象", "防返贫监测对象": "监测对象", "脱贫不稳定户": "监测对象",
    "边缘易致贫户": "监测对象", "突发严重困难户": "监测对象", "建档立卡脱贫户": "建档立卡", "建档立卡未脱贫户": "建档立卡",
    "农村低保户": "农村低保", "特困供养户": "特困供养", "城市低保户": "城市低保", "城镇低保": "城市低保", "特困": "特困供养",
    "特困供养人员": "特困供养", "五保": "特困供养", "五保户": "特困供养", "残疾": "残疾学生",
    "残疾儿童": "残疾学生", "残疾人家庭子女": "残疾人子女", "残疾家庭子女": "残疾人子女",
    "事实无人抚养": "事实无人抚养儿童", "其他": "其他困难", "其它": "其他困难", "其它困难": "其他困难",
    "优抚对象": "优抚对象子女", "烈士": "烈士子女",
}
# words that mean more than one category: asked, never guessed (the unknown list carries the question)
_ASK = {"孤残": "孤残（孤儿还是残疾学生？请逐人核对后在学生信息中选择）"}
_SPLIT = re.compile(r"[、,，/;；\s+|]+")
_POVERTY = {"脱贫户": "脱贫户", "已脱贫": "脱贫户", "脱贫": "脱贫户", "已脱贫户": "脱贫户", "未脱贫户": "未脱贫户",
            "未脱贫": "未脱贫户", "贫困户": "未脱贫户", "监测户": "监测户", "防返贫监测户": "监测户",
            "脱贫不稳定户": "监测户", "边缘易致贫户": "监测户", "突发严重困难户": "监测户",
            "监测对象": "监测户", "建档立卡脱贫户": "脱贫户", "建档立卡未脱贫户": "未脱贫户"}
_REGISTERED_STATUS = frozenset({"脱贫户", "未脱贫户"})      # what a category cell tells about a 建档立卡 household


def parse_categories(raw: object) -> tuple[list[str], list[str]]:
    """(known categories, unknown words)."""
    text = "" if raw is None else str(raw).translate(str.maketrans("（）", "()"))
    known, unknown = [], []
    for word in _SPLIT.split(text):
        word = clean_text(word)
        if not word:
            continue
        cat = _CAT_ALIAS.get(word, word)
        if cat in _CATEGORIES:
            if cat not in known:
                known.append(cat)
        else:
            unknown.append(_ASK.get(word, word))
    return known, unknown


def poverty_from_category(raw: object) -> str:
    """'脱贫户' written in a category cell also tells the household's poverty status (a 监测对象 word
    does not: the household is not registered poor)."""
    for word in _SPLIT.split("" if raw is None else str(raw)):
        status = _POVERTY.get(clean_text(word), "")
        if status in _REGISTERED_STATUS:
            return status
    return ""


def parse_poverty_status(raw: object) -> str:
    s = cell_text(raw)
    if s in _POVERTY:
        return _POVERTY[s]
    raise ValueError(f"脱贫属性“{s}”无法识别（应为 {'/'.join(enums.values(enums.PovertyStatus))}）")


def parse_year(raw: object) -> int:
    s = cell_text(raw).removesuffix("年")
    if isinstance(raw, dt.date):
        return raw.year
    if s.isdigit() and 2014 <= int(s) <= min(2020, dt.date.today().year):
        return int(s)
    raise ValueError(f"脱贫年度“{s}”无效（建档立卡脱贫年度为 2014–2020 年）")


def parse_level(raw: object) -> str:
    s = cell_text(raw)
    alias = {"特困": "特别困难", "特别困难学生": "特别困难", "一般": "一般困难", "比较困难": "困难",
             "困难学生": "困难"}
    s = alias.get(s, s)
    if s in _LEVELS:
        return s
    if s in _TIERS:                                 # issue 9: a tier of aid, not a level of difficulty
        raise ValueError(f"“{s}”是资助档次，不是认定等级（应为 {'/'.join(enums.values(enums.DifficultyLevel))}）")
    raise ValueError(f"认定等级“{s}”无法识别（应为 {'/'.join(enums.values(enums.DifficultyLevel))}）")


# an aid tier (普通高中国家助学金's 档次), never a level of difficulty: refused in a 认定等级 column
_TIERS = frozenset({"一档", "二档", "三档", "第一档", "第二档", "第三档", "1档", "2档", "3档"})


def parse_hukou(raw: object) -> str:
    """户籍性质: 农业 (农村, incl. 县镇 for 中职免学费) / 非农业; 居民户口 is asked, never guessed."""
    s = cell_text(raw).removesuffix("户口").removesuffix("户籍")
    alias = {"农业": "农业", "农村": "农业", "农": "农业", "非农业": "非农业", "非农": "非农业", "城镇": "非农业"}
    if s in alias:
        return alias[s]
    raise ValueError(f"户籍性质“{s}”无法判断是农业还是非农业，请核对")


def parse_yes_no(raw: object) -> bool:
    s = cell_text(raw)
    if s in ("是", "Y", "y", "1", "√", "涉农"):
        return True
    if s in ("否", "N", "n", "0", "×", "非涉农"):
        return False
    raise ValueError(f"“{s}”应为 是/否")


def parse_study_location(raw: object) -> str:
    s = cell_text(raw)
    alias = {"本县": "本县外校", "县内": "本县外校", "县内外校": "本县外校", "市内": "市内县外", "省内": "省内市外",
             "外省": "省外", "省外就读": "省外"}
    s = alias.get(s, s)
    if s in _LOCATIONS:
        return s
    raise ValueError(f"就读地“{s}”无法识别（应为 {'/'.join(enums.values(enums.StudyLocation))}）")


def parse_ethnicity(raw: object) -> str:
    s = cell_text(raw)
    if s in _ETHNICITIES:
        return s
    if s + "族" in _ETHNICITIES:
        return s + "族"
    raise ValueError(f"民族“{s}”无法识别")


# ---- values whose meaning the officer decides: questions in the import preview ---------------------
# A word that names a category without saying which one (低保 without 城/乡) is never guessed.
AMBIGUOUS_CATEGORIES: dict[str, tuple[str, ...]] = {
    w: ("农村低保", "城市低保") for w in ("低保", "低保户", "低保对象", "低保家庭", "低保家庭学生", "最低生活保障")}


def split_questions(unknown: list[str]) -> tuple[list[str], tuple[str, ...]]:
    """(words still unknown, words that are questions for the officer) of parse_categories' unknown."""
    asks = tuple(w for w in unknown if w in AMBIGUOUS_CATEGORIES)
    return ([w for w in unknown if w not in AMBIGUOUS_CATEGORIES] if asks else unknown), asks
