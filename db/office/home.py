"""The home page (工作台): what is due and late, gathered from every ledger that registers `home` in
db.ledgers (db.home), and the school's figures — students by stage and category, money by programme and
term with cash and 减免 apart (the same sums as `aid summary`).

    home.items(today) -> HomeReport        late first, then by due date
    home.figures(today, terms=4) -> Figures
"""
from __future__ import annotations

import datetime as dt
from importlib import import_module

from sqlalchemy import case, distinct, func, or_, select

from db import enums, logs
from db.aid.dto import LineStatus
from db.context import ServiceContext
from db.errors import LedgerError
from db.home import DUE, INFO, LATE, HomeItem
from db.ledgers import LEDGERS, contributions
from db.models.aid import AidBatch, Disbursement
from db.models.registry import Student, StudentCategory
from db.office.dto import Count, Figures, HomeReport, Money
from db.services import Services
from db.terms import Term

LEVEL_ORDER = {LATE: 0, DUE: 1, INFO: 2}
NEEDY = ("特别困难", "困难", "一般困难")
IN_SCHOOL = enums.Enrolment.IN_SCHOOL.value


def resolve(target: str):
    """"module:function" -> the function (imported when first asked for)."""
    module, _, name = target.partition(":")
    return getattr(import_module(module), name)


def sort_items(items: list[HomeItem]) -> list[HomeItem]:
    return sorted(items, key=lambda x: (LEVEL_ORDER.get(x.level, 9), x.due or dt.date.max, x.ledger, x.title))


class HomeService:
    def __init__(self, ctx: ServiceContext):
        self._ctx = ctx

    def items(self, today: dt.date | None = None) -> HomeReport:
        """Every ledger's items. A ledger that fails is named in `problems` (and logged); the others
        still show."""
        today = today or self._ctx.clock.today()
        sv = Services.build(self._ctx)
        titles = {ledger.name: ledger.title for ledger in LEDGERS}
        report = HomeReport(today, [])
        for name, target in contributions("home"):
            try:
                report.items.extend(resolve(target)(sv, today))
            except LedgerError as e:
                report.problems.append(f"{titles.get(name, name)}：{e}")
            except Exception as e:
                logs.unexpected(f"home items of {name}", e)
                report.problems.append(f"{titles.get(name, name)}：读取待办时出错（详见日志）")
        report.items = sort_items(report.items)
        return report

    def figures(self, today: dt.date | None = None, *, terms: int = 4) -> Figures:
        today = today or self._ctx.clock.today()
        with self._ctx.read() as s:
            in_school = Student.enrolment == IN_SCHOOL
            by_stage = dict(s.execute(select(Student.stage, func.count()).where(in_school).group_by(Student.stage)).all())
            has_cat = select(StudentCategory.student_id).where(StudentCategory.student_id == Student.id).exists()
            needy = dict(s.execute(select(Student.stage, func.count()).where(
                in_school, or_(has_cat, Student.difficulty_level.in_(NEEDY))).group_by(Student.stage)).all())
            cats = dict(s.execute(select(StudentCategory.category, func.count(distinct(StudentCategory.student_id)))
                                  .join(Student, Student.id == StudentCategory.student_id).where(in_school)
                                  .group_by(StudentCategory.category)).all())
            money = self._money(s, terms)
        stages = [st for st in enums.values(enums.Stage) if by_stage.get(st)]
        stages += sorted(k or "未填写" for k in by_stage if k not in stages)
        order = {c: i for i, c in enumerate(enums.values(enums.Category))}
        return Figures(today, sum(by_stage.values()),
                       [Count(st, by_stage.get(None if st == "未填写" else st, 0)) for st in stages],
                       [Count(st, needy.get(None if st == "未填写" else st, 0)) for st in stages],
                       [Count(c, n) for c, n in sorted(cats.items(), key=lambda kv: (order.get(kv[0], 99), kv[0]))],
                       money)

    @staticmethod
    def _money(s, terms: int) -> list[Money]:
        keys = list(s.scalars(select(AidBatch.term_key).order_by(AidBatch.term_key.desc()).limit(terms)))
        waiver = Disbursement.status == LineStatus.WAIVER
        rows = s.execute(
            select(AidBatch.term_key, Disbursement.programme,
                   func.sum(case((waiver, 0), else_=Disbursement.amount_fen)),
                   func.sum(case((waiver, Disbursement.amount_fen), else_=0)), func.count())
            .join(Disbursement, Disbursement.batch_id == AidBatch.id)
            .where(AidBatch.term_key.in_(keys), Disbursement.status != LineStatus.VOID)
            .group_by(AidBatch.term_key, Disbursement.programme)
            .order_by(AidBatch.term_key.desc(), Disbursement.programme)).all()
        return [Money(Term.from_key(k).label, k, prog, int(cash or 0), int(w or 0), int(n)) for k, prog, cash, w, n in rows]
