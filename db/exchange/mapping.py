"""Column headers of county lists: which header text means which registry field.

`FIELD_LABELS` is the one source of the canonical Chinese header of each field: the workbook export
writes these, and the importer recognises them (they are the first synonym of each field), so an
exported workbook imports back unchanged.
"""
from __future__ import annotations

import hashlib
import json
import re

from db.context import ServiceContext
from db.models.core import Setting

# field -> synonyms; the first entry is the canonical header (FIELD_LABELS).
SYNONYMS: dict[str, tuple[str, ...]] = {
    "name": ("姓名", "学生姓名", "幼儿姓名", "儿童姓名", "学生名字"),
    "gender": ("性别", "学生性别"),
    "ethnicity": ("民族",),
    "id_number": ("身份证号", "身份证号码", "证件号码", "证件号", "学生身份证号", "学生身份证号码",
                  "公民身份号码", "学生证件号码", "身份证件号码", "学生身份证件号码"),
    "student_no": ("学籍号", "全国学籍号", "学籍号码", "全国学籍号码", "学籍辅号"),
    "birth_date": ("出生日期", "出生年月", "出生年月日", "生日"),
    "stage": ("学段", "就读学段", "教育阶段"),
    "grade": ("年级", "就读年级"),
    "class_name": ("班级", "班别", "就读班级"),
    "residence": ("寄宿/走读", "寄宿", "走读", "是否寄宿", "寄宿生", "住宿情况", "是否住校"),
    "enrolment": ("在校状态", "学籍状态", "就读状态", "在读状态"),
    "study_location": ("就读地", "就读地点", "就读区域"),
    "study_school": ("就读学校", "现就读学校", "在读学校"),
    "categories": ("资助对象类别", "困难类型", "类别", "困难类别", "资助类别", "学生类别", "对象类别",
                   "家庭经济困难类型", "贫困类型", "贫困属性", "贫困类别", "资助对象类型", "困难学生类型"),
    "difficulty_level": ("认定等级", "困难等级", "困难程度", "认定档次", "家庭经济困难等级"),
    "phone": ("联系电话", "电话", "手机号", "手机号码", "联系方式", "家长电话", "监护人电话"),
    "bank_card_no": ("银行卡号", "卡号", "账号", "银行账号", "存折号", "一卡通账号", "社保卡号",
                     "银行卡(折)号"),
    "bank_name": ("开户银行", "开户行", "银行名称", "发卡银行"),
    "card_holder": ("持卡人", "持卡人姓名", "户名", "账户名"),
    "card_holder_relation": ("持卡人与学生关系", "持卡人关系", "持卡人与学生的关系"),
    "relation_to_head": ("与户主关系", "与户主的关系"),
    "head_name": ("户主姓名", "户主", "家长姓名", "监护人姓名", "监护人"),
    "head_id_number": ("户主身份证号", "户主身份证号码", "户主证件号码", "家长身份证号", "监护人身份证号"),
    "household_no": ("户编号", "户码", "户号", "家庭编号", "户主编号"),
    "township": ("乡镇", "乡(镇)", "乡镇(街道)", "所在乡镇", "乡镇名称", "镇"),
    "village": ("村", "村(社区)", "行政村", "村名", "所在村", "村居", "社区", "村组(社区)", "村(居)", "所在村组",
                "村组", "所在村(社区)", "村(社区)名称", "行政村(社区)"),
    "group_name": ("组", "村民组", "村民小组", "组别", "自然村(组)"),
    "address": ("家庭住址", "住址", "详细地址", "家庭地址"),
    "poverty_status": ("脱贫属性", "户类型", "贫困户属性", "户属性", "建档立卡类型"),
    "poverty_exit_year": ("脱贫年度", "脱贫年份", "脱贫时间"),
    "household_phone": ("家庭联系电话", "家庭电话", "户主电话", "户主联系电话", "户联系电话"),
    "liaison_officer": ("帮扶联系人", "教育扶贫联络员", "联络员", "联系干部"),
    # issue 9: the government cadre paired with the household, not the school's liaison officer
    "helper_cadre": ("帮扶责任人", "结对帮扶人", "帮扶干部", "帮扶人", "帮扶责任人姓名"),
    "hukou": ("户籍性质", "户口性质", "户籍类型", "户口类型"),
    "major": ("专业", "所学专业", "专业名称", "就读专业"),
    "agri_major": ("是否涉农专业", "涉农专业", "是否涉农"),
    "household_notes": ("家庭备注", "户备注"),
    "notes": ("备注",),
}
FIELD_LABELS: dict[str, str] = {f: names[0] for f, names in SYNONYMS.items()}
STUDENT_FIELDS: tuple[str, ...] = tuple(SYNONYMS)

_BRACKETS = str.maketrans({"（": "(", "）": ")", "【": "(", "】": ")", "［": "(", "］": ")", "／": "/",
                           "：": "", ":": "", "　": ""})
_SPACE = re.compile(r"\s+")
_MARKS = re.compile(r"^[*＊※★]+|[*＊※★]+$")
_NOTE = re.compile(r"\((必填|选填|可选|必选|文本|文本格式|18位|单选|多选|[^()]*请[^()]*)\)$")
_GROUP_SUFFIX = re.compile(r"(信息|情况|基本信息|基本情况)$")


def normalize_header(raw: object) -> str:
    """'学生\\n身份证号码 *' -> '学生身份证号码'; full-width brackets to ASCII; notes like (必填) dropped."""
    s = "" if raw is None else str(raw)
    s = _SPACE.sub("", s.translate(_BRACKETS))
    s = _MARKS.sub("", s)
    s = _NOTE.sub("", s)
    return _MARKS.sub("", s)


_LOOKUP: dict[str, str] = {}
for _field, _names in SYNONYMS.items():
    for _name in _names:
        _LOOKUP.setdefault(normalize_header(_name), _field)


# Known patterns, tried (in this order) on a normalised header that is no synonym: a county's own
# wording ("学生身份证号码(必填)", "户主公民身份号码", "所在村组(社区)") still finds its field.
_PATTERNS: tuple[tuple[str, re.Pattern], ...] = tuple((f, re.compile(p)) for f, p in (
    ("head_id_number", r"(户主|家长|监护人).*(身份证|证件号|身份号码)"),
    ("card_holder_relation", r"持卡人.*关系"),
    ("student_no", r"学籍号|学籍编号"),
    ("id_number", r"身份证|证件号|身份号码"),
    ("household_phone", r"(户主|家庭).*(电话|手机)"),
    ("phone", r"电话|手机|联系方式"),
    ("card_holder", r"持卡人|户名|账户名"),
    ("bank_card_no", r"卡号|账号|存折|折号"),
    ("bank_name", r"开户|银行名称|发卡"),
    ("relation_to_head", r"与户主.*关系"),
    ("head_name", r"(户主|家长|监护人).*(姓名|名字)|^(户主|家长|监护人)$"),
    ("household_no", r"户(编号|编码|码|号)$"),
    ("poverty_exit_year", r"脱贫(年度|年份|时间)"),
    ("poverty_status", r"(脱贫|建档立卡).*(属性|类型|状态)"),
    ("difficulty_level", r"(认定|困难).*(等级|档次|程度)"),
    ("categories", r"(贫困|困难|资助|对象|学生).*(类型|类别|属性)$"),
    ("group_name", r"(村民)?小?组(别|名称)?$"),
    ("village", r"村|社区|居委"),
    ("township", r"乡|镇|街道"),
    ("address", r"住址|地址"),
    ("birth_date", r"出生"),
    ("gender", r"性别"),
    ("ethnicity", r"民族"),
    ("stage", r"学段|教育阶段"),
    ("grade", r"年级"),
    ("class_name", r"班级|班别"),
    ("residence", r"寄宿|住宿|住校|走读"),
    ("enrolment", r"(在校|学籍|就读|在读)状态"),
    ("liaison_officer", r"帮扶.*(人|干部)"),
    ("notes", r"备注"),
    ("name", r"姓名$"),
))


def field_for(header: object, fields=STUDENT_FIELDS) -> str | None:
    """The field a (normalised or raw) header names, or None: a synonym, else a known pattern."""
    h = normalize_header(header)
    f = _LOOKUP.get(h)
    if f is None and h:
        f = next((fld for fld, pat in _PATTERNS if pat.search(h)), None)
    return f if f in fields else None


def field_for_pair(upper: str, lower: str, fields=STUDENT_FIELDS) -> str | None:
    """A column under a two-row header: '户主信息' over '姓名' is head_name, '学生信息' over '姓名'
    is name; a lower text alone decides when the pair means nothing."""
    u, low = normalize_header(upper), normalize_header(lower)
    if u and low:
        group = _GROUP_SUFFIX.sub("", u)
        for cand in (group + low, u + low):
            f = _LOOKUP.get(cand)
            if f in fields:
                return f
        if group in ("户主", "家长", "监护人") and low in ("姓名", "身份证号", "身份证号码", "证件号码", "电话", "联系电话"):
            return field_for(group + low, fields)
    return field_for(low or u, fields)


def auto_mapping(headers: list[str], fields=STUDENT_FIELDS, uppers: list[str] | None = None) -> dict[int, str]:
    """Column index -> field for each header that names one; the first column wins a field."""
    out: dict[int, str] = {}
    taken: set[str] = set()
    for i, h in enumerate(headers):
        f = field_for_pair(uppers[i], h, fields) if uppers else field_for(h, fields)
        if f and f not in taken:
            out[i] = f
            taken.add(f)
    return out


def signature(headers: list[str], uppers: list[str] | None = None) -> str:
    """A sheet layout: the sha1 of each column's position with its (upper, lower) header pair, so
    that two '姓名' columns under 户主信息 and 学生信息 are told apart."""
    ups = uppers or [""] * len(headers)
    parts = [f"{i}:{normalize_header(u)}/{normalize_header(h)}" for i, (u, h) in enumerate(zip(ups, headers))
             if normalize_header(h) or normalize_header(u)]
    return hashlib.sha1("\x1f".join(parts).encode("utf-8"), usedforsecurity=False).hexdigest()   # a name, not a secret


def _key(sig: str) -> str:
    return f"import_mapping:v2:{sig}"


def mapping_setting(layout: str, mapping: dict[int, str]) -> Setting:
    """The user's mapping for this sheet layout, to remember (by column position)."""
    data = {str(i): f for i, f in sorted(mapping.items())}
    return Setting(key=_key(layout), value=json.dumps(data, ensure_ascii=False))


def recall_mapping(ctx: ServiceContext, layout: str, width: int) -> dict[int, str] | None:
    """The mapping remembered for this sheet layout, as column index -> field, or None."""
    with ctx.read() as s:
        row = s.get(Setting, _key(layout))
        if row is None:
            return None
        data = json.loads(row.value or "{}")
    out = {int(i): f for i, f in data.items() if str(i).isdigit() and int(i) < width and f in SYNONYMS}
    return out if len(set(out.values())) == len(out) else None
