"""Enumerations of the domain. Each value is the official Chinese term, stored as it is."""
from __future__ import annotations

from enum import StrEnum


class Gender(StrEnum):
    MALE = "男"
    FEMALE = "女"


class Stage(StrEnum):
    PRESCHOOL = "学前"
    PRIMARY = "小学"
    JUNIOR = "初中"
    SENIOR = "普通高中"
    VOCATIONAL = "中职"


GRADES: dict[Stage, tuple[str, ...]] = {
    Stage.PRESCHOOL: ("小班", "中班", "大班"),
    Stage.PRIMARY: ("一年级", "二年级", "三年级", "四年级", "五年级", "六年级"),
    Stage.JUNIOR: ("七年级", "八年级", "九年级"),
    Stage.SENIOR: ("高一", "高二", "高三"),
    Stage.VOCATIONAL: ("中职一年级", "中职二年级", "中职三年级"),
}


class Residence(StrEnum):
    BOARDING = "寄宿"
    DAY = "走读"


class Enrolment(StrEnum):
    IN_SCHOOL = "在校"
    SUSPENDED = "休学"
    TRANSFERRED = "转出"
    DROPPED_OUT = "辍学"
    GRADUATED = "毕业"
    ELSEWHERE = "在外就读"


class StudyLocation(StrEnum):
    """就读地: where the child actually studies. 市内 students get their aid through the city's own
    system, 省外 ones through a letter; a student studying elsewhere is not paid here."""
    OWN_SCHOOL = "本校"
    COUNTY = "本县外校"
    CITY = "市内县外"
    PROVINCE = "省内市外"
    OUT_OF_PROVINCE = "省外"


class Hukou(StrEnum):
    """户籍性质 (中职免学费 goes to rural students: 农业户籍, incl. 县镇)."""
    RURAL = "农业"
    URBAN = "非农业"


class Category(StrEnum):
    REGISTERED_POOR = "建档立卡"
    RURAL_DIBAO = "农村低保"
    URBAN_DIBAO = "城市低保"
    EXTREME_POOR = "特困供养"
    ORPHAN = "孤儿"
    UNSUPPORTED = "事实无人抚养儿童"
    DISABLED_STUDENT = "残疾学生"
    DISABLED_PARENT = "残疾人子女"
    MARTYR = "烈士子女"
    ENTITLED_GROUP = "优抚对象子女"
    MONITORED = "监测对象"          # 脱贫不稳定户, 边缘易致贫户, 突发严重困难户: not 建档立卡
    OTHER = "其他困难"


class PovertyStatus(StrEnum):
    """Sub-type of a registered-poor (建档立卡) household."""
    OUT = "脱贫户"
    NOT_OUT = "未脱贫户"
    MONITORED = "监测户"


class DifficultyLevel(StrEnum):
    SPECIAL = "特别困难"
    HARD = "困难"
    GENERAL = "一般困难"
    NONE = "不困难"


class MonitoredType(StrEnum):
    """防返贫监测对象的类型 (the category 监测对象)."""
    UNSTABLE = "脱贫不稳定户"
    EDGE = "边缘易致贫户"
    SUDDEN = "突发严重困难户"


class AssessmentSource(StrEnum):
    """Where a 认定 record came from."""
    MANUAL = "手工录入"
    IMPORTED = "名单导入"
    MIGRATED = "升级迁移"


# Disability (GB/T 26341-2010): the category and grade, in the order of their code digits on a
# 残疾人证 (the 19th digit: 1 视力 … 7 多重; the 20th: 1 一级 (most severe) … 4 四级).
DISABILITY_CATEGORIES = ("视力", "听力", "言语", "肢体", "智力", "精神", "多重")
DISABILITY_GRADES = ("一级", "二级", "三级", "四级")


RELATIONS_TO_HEAD = ("之子", "之女", "之孙子", "之孙女", "之外孙子", "之外孙女", "之侄子", "之侄女",
                     "之兄弟", "之姐妹", "本人", "其他")
CARD_HOLDER_RELATIONS = ("本人", "父亲", "母亲", "祖父", "祖母", "外祖父", "外祖母", "其他监护人")
BANKS = ("中国农业银行", "中国邮政储蓄银行", "农村商业银行", "农村信用合作社", "中国建设银行",
         "中国工商银行", "中国银行", "徽商银行")

ETHNICITIES = (
    "汉族", "蒙古族", "回族", "藏族", "维吾尔族", "苗族", "彝族", "壮族", "布依族", "朝鲜族", "满族", "侗族",
    "瑶族", "白族", "土家族", "哈尼族", "哈萨克族", "傣族", "黎族", "傈僳族", "佤族", "畲族", "高山族",
    "拉祜族", "水族", "东乡族", "纳西族", "景颇族", "柯尔克孜族", "土族", "达斡尔族", "仫佬族", "羌族",
    "布朗族", "撒拉族", "毛南族", "仡佬族", "锡伯族", "阿昌族", "普米族", "塔吉克族", "怒族", "乌孜别克族",
    "俄罗斯族", "鄂温克族", "德昂族", "保安族", "裕固族", "京族", "塔塔尔族", "独龙族", "鄂伦春族",
    "赫哲族", "门巴族", "珞巴族", "基诺族", "其他",
)


def values(enum_cls) -> list[str]:
    return [m.value for m in enum_cls]
