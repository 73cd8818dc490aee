"""Property: under any mix of adjustments, payments, voids, re-issues and refreshes, totals reconcile
to the fen: sum of cash lines == batch total == exported bank-list total == submission-sheet total,
and the 减免 lines (never paid) add up apart in the summary and the sheet."""
import datetime as dt
from decimal import Decimal

import openpyxl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, func, select

from db.aid.service import aid_sheet_writer
from db.demo import fill_demo
from db.errors import LedgerError
from db.models.aid import Disbursement, DisbursementAdjustment

CASH = ("待发放", "已发放", "已核实")
WAIVERS = ("普通高中免学杂费", "中职免学费")
ops = st.lists(st.one_of(
    st.tuples(st.just("adjust"), st.integers(0, 10_000), st.integers(0, 500_000)),
    st.tuples(st.just("adjust_text"), st.integers(0, 10_000),
              st.decimals(0, 9999, places=2, allow_nan=False, allow_infinity=False)),
    st.tuples(st.just("void"), st.integers(0, 10_000)),
    st.tuples(st.just("reissue"), st.integers(0, 10_000), st.one_of(st.none(), st.integers(1, 300_000))),
    st.tuples(st.just("pay"), st.integers(0, 10_000)),
    st.tuples(st.just("pay_all"),),
    st.tuples(st.just("refresh"),),
), max_size=25)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=ops)
def test_totals_reconcile_to_the_fen(sctx, steps, svc, sf, tmp_path):
    with sf.begin() as s:        # each example starts from a fresh batch on the same 60 students
        s.execute(delete(DisbursementAdjustment))
        s.execute(delete(Disbursement).where(Disbursement.reissue_of_id.is_not(None)))
        s.execute(delete(Disbursement))
    if svc.count_lines("2020秋") == 0 and not _has_students(sf):
        fill_demo(sctx, 60, seed=4)
    svc.plan("2020秋")
    for step in steps:
        lines = svc.lines("2020秋", limit=10_000)
        pick = lines[step[1] % len(lines)] if len(step) > 1 and lines else None
        try:
            if step[0] == "adjust":
                svc.adjust(pick.id, step[2], "调整")
            elif step[0] == "adjust_text":
                svc.adjust(pick.id, str(step[2]), "调整")
            elif step[0] == "void":
                svc.void(pick.id, "作废")
            elif step[0] == "reissue":
                svc.reissue(pick.id, step[2], "补发")
            elif step[0] == "pay":
                svc.pay("2020秋", dt.date(2020, 9, 20), [pick.id])
            elif step[0] == "pay_all":
                svc.pay("2020秋", dt.date(2020, 9, 20))
            else:
                svc.plan("2020秋")
        except LedgerError:
            pass            # refused (e.g. adjusting a paid line): must change nothing
        lines = svc.lines("2020秋", limit=10_000)
        live = sum(r.amount_fen for r in lines if r.status in CASH)
        assert live == svc.batch_total("2020秋")
        assert not any(r.status in ("已发放", "已核实") for r in lines if r.programme in WAIVERS)
    with sf() as s:
        raw = s.scalar(select(func.coalesce(func.sum(Disbursement.amount_fen), 0))
                       .where(Disbursement.status.in_(CASH)))
        waived = s.scalar(select(func.coalesce(func.sum(Disbursement.amount_fen), 0))
                          .where(Disbursement.status == "减免"))
    total = svc.batch_total("2020秋")
    assert raw == total
    summary = svc.summary("2020秋", with_missing=False)
    assert summary.waiver_fen == waived
    assert sum(r.amount_fen for r in summary.by_programme) == sum(r.amount_fen for r in summary.by_stage) \
        == total + waived
    sheet = aid_sheet_writer(sctx, "2020秋")
    assert (sheet.total_fen, sheet.waiver_fen) == (total, waived)
    if total:
        out, exported = svc.export_bank_list("2020秋", tmp_path / "bank.xlsx")
        rows = list(openpyxl.load_workbook(out).active.iter_rows(values_only=True))
        body = sum(round(Decimal(str(r[6])) * 100) for r in rows[2:-1])
        assert exported == body == round(Decimal(str(rows[-1][6])) * 100) == total


def _has_students(sf):
    from db.models.registry import Student
    with sf() as s:
        return bool(s.scalar(select(func.count(Student.id))))
