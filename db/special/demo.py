"""Demonstration files of the special-needs ledger: disabled students of the demo school (and two
school-age children who are not at school), with categories and grades, certificate numbers, the
county committee's assessments, placements with some history, plans, a term of weekly 送教上门
visits (a few missed), a 免于学习 entry and a few attachments drawn as images.

Called by db.demo.fill_demo (its `ledgers=True`) after the students exist.
"""
from __future__ import annotations

import datetime as dt
import io
import random

from PIL import Image, ImageDraw
from sqlalchemy import func, select

from db import audit, demo
from db.context import ServiceContext
from db.models.registry import Household, Student, StudentCategory
from db.models.special import (
    SpecialAssessment,
    SpecialAttachment,
    SpecialAttachmentData,
    SpecialExemption,
    SpecialFile,
    SpecialHomeVisit,
    SpecialPlacement,
    SpecialPlan,
    SpecialPlanGoal,
)
from db.special import media, rules
from db.terms import Term, term_of

CATEGORY_WEIGHTS = (("智力", 30), ("肢体", 20), ("多重", 14), ("听力", 10), ("言语", 8), ("视力", 8), ("精神", 10))
# every placement a county meets, in the order the demo's files get them (then at random)
PLACEMENT_CYCLE = (rules.HOME, rules.REGULAR, rules.HOME, rules.SPECIAL_SCHOOL, rules.REGULAR, "资源教室",
                   rules.PENDING, rules.HOME, rules.REGULAR, "普校特教班/卫星班")
COMMITTEE = "王建国（县特教中心）、刘芳（县医院康复科）、陈明（县教研室）、赵丽（县残联）"
TEACHERS = ("张红梅", "李建华", "王晓燕", "刘春生", "陈静", "杨帆")
CONTENTS = ("生活自理训练：洗手、用勺", "认知：数字与颜色卡片", "语言：图片沟通练习", "运动康复：扶走与上下台阶",
            "亲子游戏与情绪安抚")
GOALS = {
    "生活自理": ("能独立用勺子吃饭", "每次送教练习 10 分钟，家长每日跟练"),
    "认知": ("能认识 10 以内的数字", "数字卡片、实物点数游戏"),
    "语言沟通": ("能用短句表达需要（喝水、上厕所）", "图片交换沟通，示范—模仿"),
    "运动": ("能扶栏杆上下楼梯 5 级", "康复训练，家长协助每日练习"),
    "社会适应": ("能与家人打招呼、说再见", "情境演练，表扬强化"),
}


def fill_special(ctx: ServiceContext, *, seed: int = 2020, year: int = 2020) -> int:
    """Add the demonstration files; returns how many. Does nothing when files already exist."""
    rng = random.Random(seed * 13 + 1)
    term = Term(year, "秋")
    until = min(rules.term_span(term)[1], ctx.clock.today())
    with ctx.write() as s:
        if s.scalar(select(func.count(SpecialFile.id))):
            return 0
        picked = _students(s, rng)
        files = [_file_for(s, rng, st, i) for i, st in enumerate(picked)] + [_not_at_school(s, rng, year, p)
                                                                             for p in (rules.HOME, rules.EXEMPT)]
        for f in files:
            s.add(f)
        s.flush()
        for i, f in enumerate(files):
            _history(s, rng, f, year, i)
            if f.placement == rules.HOME:
                _visits(s, rng, f, term, until)
            if f.placement in (rules.HOME, rules.REGULAR, "资源教室"):
                _plan(s, rng, f, term)
            if i < 4:
                _attachments(s, rng, f, ctx)
        audit.record(s, ctx, "demo", "special_file", None, summary=f"生成演示残疾儿童档案 {len(files)} 份")
    return len(files)


def _students(s, rng: random.Random) -> list[Student]:
    """Students of the 残疾学生 category in primary or junior school, topped up to a few."""
    school = ("小学", "初中")
    found = list(s.scalars(select(Student).join(StudentCategory).where(
        StudentCategory.category == "残疾学生", Student.stage.in_(school)).order_by(Student.id)))
    total = s.scalar(select(func.count(Student.id))) or 0
    want = min(22, max(5, total // 60))
    if len(found) < want:
        more = list(s.scalars(select(Student).where(Student.stage.in_(school), Student.id.not_in([x.id for x in found]))
                              .order_by(Student.id)))
        found += rng.sample(more, min(len(more), want - len(found)))
    return found[:want]


def _card(rng: random.Random, id_number: str | None, category: str, grade: str) -> str | None:
    if not id_number or rng.random() < 0.12:          # not every child has a certificate yet
        return None
    return f"{id_number}{rules.CATEGORIES.index(category) + 1}{rules.GRADES.index(grade) + 1}"


def _pick(rng: random.Random, weights) -> str:
    return rng.choices([k for k, _ in weights], [w for _, w in weights])[0]


def _file_for(s, rng: random.Random, st: Student, i: int) -> SpecialFile:
    hh = s.get(Household, st.household_id) if st.household_id else None
    cats = set(s.scalars(select(StudentCategory.category).where(StudentCategory.student_id == st.id)))
    category = _pick(rng, CATEGORY_WEIGHTS)
    grade = rng.choice(rules.GRADES)
    return SpecialFile(student_id=st.id, name=st.name, id_number=st.id_number, gender=st.gender,
                       birth_date=st.birth_date, address=" ".join(x for x in (hh.township, hh.village) if x) if hh else "",
                       category=category, grade=grade, card_no=_card(rng, st.id_number, category, grade),
                       card_issued_on=dt.date(2019, rng.randrange(1, 13), rng.randrange(1, 28)),
                       guardian_name=hh.head_name if hh else "", guardian_relation=rng.choice(("父亲", "母亲", "祖父")),
                       guardian_phone=hh.phone if hh else "", registered_poor="建档立卡" in cats,
                       placement=PLACEMENT_CYCLE[i] if i < len(PLACEMENT_CYCLE) else rng.choice(PLACEMENT_CYCLE))


def _not_at_school(s, rng: random.Random, year: int, placement: str) -> SpecialFile:
    """A school-age child of the area who is not on the roll (severely disabled, at home)."""
    used = set(s.scalars(select(SpecialFile.id_number).where(SpecialFile.id_number.is_not(None))))
    used |= set(s.scalars(select(Student.id_number).where(Student.id_number.is_not(None))))
    male = rng.random() < 0.5
    birth = dt.date(year - rng.randrange(7, 14), rng.randrange(1, 13), rng.randrange(1, 28))
    number = demo.make_id(rng, "341623", birth, male, used)
    category, grade = rng.choice(("多重", "智力", "精神")), rng.choice(("一级", "二级"))
    name = rng.choice(demo.SURNAMES) + rng.choice(demo.GIVEN) + rng.choice(demo.GIVEN)
    return SpecialFile(name=name, id_number=number, gender="男" if male else "女", birth_date=birth,
                       address=f"阚疃镇 {rng.choice(demo.VILLAGE_WORDS)}村", category=category, grade=grade,
                       card_no=_card(rng, number, category, grade), card_issued_on=dt.date(2018, 6, 12),
                       guardian_name=name[0] + rng.choice(demo.GIVEN) + rng.choice(demo.GIVEN), guardian_relation="父亲",
                       guardian_phone=f"13{rng.randrange(5, 10)}{rng.randrange(10**8):08d}", registered_poor=True,
                       placement=placement)


def _history(s, rng: random.Random, f: SpecialFile, year: int, i: int) -> None:
    """An assessment (and, for some, an earlier one and an earlier placement), the placement now."""
    if i % 4 == 0:
        s.add(SpecialAssessment(file_id=f.id, assessed_on=dt.date(year - 1, 8, 20), members=COMMITTEE,
                                physical="身体状况较弱，需康复训练", learning="学习能力有限", adaptability="适应能力较差",
                                conclusion="暂缓入学，一年后复评", recommended="延缓入学", guardian_opinion="同意",
                                guardian_signed_on=dt.date(year - 1, 8, 25), next_review=dt.date(year, 8, 20)))
        s.add(SpecialPlacement(file_id=f.id, placement="延缓入学", since=dt.date(year - 1, 9, 1),
                               decided_by="县残疾人教育专家委员会", reason="经评估暂缓入学"))
    if f.placement == rules.PENDING:
        return
    review = dt.date(year, 10, 30) if i == 1 else dt.date(year + 1, 8, 31)      # one review overdue
    a = SpecialAssessment(file_id=f.id, assessed_on=dt.date(year, 8, 25), members=COMMITTEE,
                          physical=f"{rules.CATEGORY_LABELS[f.category]}{f.grade}，身体状况稳定",
                          learning="能完成简单学习任务" if f.grade in ("三级", "四级") else "需要个别辅导",
                          adaptability="能适应集体生活" if f.placement == rules.REGULAR else "集体生活适应困难",
                          conclusion=f"建议{f.placement}", recommended=f.placement, guardian_opinion="同意评估意见",
                          guardian_signed_on=dt.date(year, 8, 28), next_review=review)
    s.add(a)
    s.flush()
    s.add(SpecialPlacement(file_id=f.id, placement=f.placement, since=dt.date(year, 9, 1),
                           decided_by="县残疾人教育专家委员会", place="阚疃镇中心学校", assessment_id=a.id,
                           reason="依据评估结论"))
    f.placement_since = dt.date(year, 9, 1)
    if f.placement == rules.EXEMPT:
        s.add(SpecialExemption(file_id=f.id, school_year=f"{year}-{year + 1}", hospital="利辛县人民医院",
                               diagnosis="重度智力障碍伴癫痫，不能接受教育", diagnosed_on=dt.date(year, 6, 18),
                               assessed_on=a.assessed_on, assessment_conclusion="建议免于学习，定期复核",
                               applied_on=dt.date(year, 8, 26), approved_by="利辛县教育局",
                               approved_on=dt.date(year, 8, 30), review_due=dt.date(year + 1, 8, 31)))


def _visits(s, rng: random.Random, f: SpecialFile, term: Term, until: dt.date) -> None:
    """Weekly visits from the first week of the term, National Day week and a few others missed."""
    day = rules.term_span(term)[0] + dt.timedelta(days=7 + rng.randrange(0, 3))
    pair = rng.sample(TEACHERS, 2)
    n = 0
    while day <= until:
        if not (dt.date(term.year, 10, 1) <= day <= dt.date(term.year, 10, 7)) and rng.random() > 0.12:
            n += 1
            s.add(SpecialHomeVisit(file_id=f.id, visit_date=day, term_key=term_of(day).key, teacher1=pair[0],
                                   teacher2=pair[1], minutes=rng.choice((50, 60, 60, 70)),
                                   content=rng.choice(CONTENTS),
                                   progress="较上次有进步" if n % 3 else "巩固上次内容",
                                   parent_remarks=rng.choice(("孩子很喜欢老师来", "谢谢老师", "希望多教说话", "")),
                                   parent_signed=True))
        day += dt.timedelta(days=7)


def _plan(s, rng: random.Random, f: SpecialFile, term: Term) -> None:
    x = SpecialPlan(file_id=f.id, term_key=term.key, made_on=dt.date(term.year, 9, 15),
                    baseline=f"{rules.CATEGORY_LABELS[f.category]}{f.grade}；生活部分自理，能理解简单指令",
                    teachers="、".join(rng.sample(TEACHERS, 2)), review_on=dt.date(term.year + 1, 1, 10))
    s.add(x)
    s.flush()
    for i, area in enumerate(rng.sample(list(GOALS), 3)):
        goal, measures = GOALS[area]
        s.add(SpecialPlanGoal(plan_id=x.id, position=i, area=area, goal=goal, measures=measures,
                              teacher=rng.choice(TEACHERS), result=""))


def _attachments(s, rng: random.Random, f: SpecialFile, ctx: ServiceContext) -> None:
    items = [("残疾人证", f"残疾人证-{f.name}.jpg", _card_image(f)), ("照片", f"家访-{f.name}.jpg", _photo(rng))]
    visit = s.scalar(select(SpecialHomeVisit.id).where(SpecialHomeVisit.file_id == f.id).limit(1))
    for kind, name, raw in items:
        ready = media.prepare(name, raw)
        a = SpecialAttachment(file_id=f.id, visit_id=visit if kind == "照片" else None,
                              kind="送教照片" if visit and kind == "照片" else kind, doc_date=f.card_issued_on,
                              note="演示图片", filename=name, mime=ready.mime, size=len(ready.data),
                              sha256=media.sha256(ready.data), width=ready.width, height=ready.height,
                              original_size=ready.original_size, reduced=ready.reduced,
                              added_at=ctx.clock.now(), added_by=ctx.actor.name)
        s.add(a)
        s.flush()
        s.add(SpecialAttachmentData(attachment_id=a.id, data=ready.data, thumb=ready.thumb,
                                    thumb_sha256=media.sha256(ready.thumb) if ready.thumb else ""))


def _jpeg(img: Image.Image) -> bytes:
    out = io.BytesIO()
    img.save(out, "JPEG", quality=90)
    return out.getvalue()


def _card_image(f: SpecialFile) -> bytes:
    """A certificate-like card (red cover, a photo box, the number in ASCII), as a phone would take it."""
    img = Image.new("RGB", (2600, 1800), (236, 232, 222))
    d = ImageDraw.Draw(img)
    d.rounded_rectangle((200, 150, 2400, 1650), 60, fill=(170, 30, 35))
    d.rectangle((380, 420, 900, 1100), fill=(245, 245, 240))
    d.ellipse((520, 500, 760, 760), fill=(200, 180, 160))
    for i, y in enumerate(range(480, 1300, 160)):
        d.rectangle((1050, y, 2200 - i * 90, y + 50), fill=(250, 220, 120))
    d.text((1050, 1400), f.card_no or "NO CARD", fill=(255, 255, 255))
    return _jpeg(img)


def _photo(rng: random.Random) -> bytes:
    """A 12-megapixel 'photo' of a room: wall, floor, a table, two figures."""
    img = Image.new("RGB", (4000, 3000), (210, 200, 180))
    d = ImageDraw.Draw(img)
    d.rectangle((0, 1900, 4000, 3000), fill=(150, 120, 90))
    d.rectangle((1200, 1500, 2800, 1650), fill=(120, 80, 40))
    for x, color in ((1500, (60, 90, 160)), (2400, (170, 70, 70))):
        d.ellipse((x - 150, 900, x + 150, 1200), fill=(230, 200, 170))
        d.rectangle((x - 220, 1200, x + 220, 1900), fill=color)
    d.rectangle((3000, 300, 3700, 900), fill=(rng.randrange(150, 255), 220, 240))
    return _jpeg(img)
