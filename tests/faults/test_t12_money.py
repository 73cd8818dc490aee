"""T12: money reconciles to the fen. A property-based state machine (hypothesis, derandomized) plans,
adjusts, pays, voids and re-issues aid lines and imports new students between plans; after every step
Σ live lines = the batch total; at the end the submission workbook's 资助发放 sheet, the bank list and
the printed 签领表 (read back with pdftotext) all give that same total. No float in the money code;
more than 2 decimals or a negative amount is refused."""
from __future__ import annotations

import ast
import contextlib
import datetime as dt
import re
import subprocess
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule
from python_calamine import CalamineWorkbook

from db.aid.common import amount_fen
from db.aid.dto import LineQuery
from db.context import Actor, ServiceContext
from db.demo import fill_demo
from db.docs.kinds import Selection, kind
from db.docs.render import render_batch
from db.engine import open_database
from db.errors import LedgerError, ValidationError
from db.money import format_yuan
from db.services import Services
from tests.faults.conftest import ROOT, need
from tests.faults.scenario import money_reconciles

TERM = "2020秋"


class Money(RuleBasedStateMachine):
    folder: Path

    @initialize()
    def start(self):
        import tempfile
        self.folder = Path(tempfile.mkdtemp(prefix="t12-"))
        self.db = open_database(self.folder / "ledger.sqlite3")
        self.sv = Services.build(ServiceContext(self.db.session_factory, Actor("李老师")))
        fill_demo(self.sv.ctx, 40, seed=12)
        self.sv.aid.plan(TERM)
        self.extra = 0

    def ids(self, status: str = "") -> list[int]:
        return [r.id for r in self.sv.aid.lines(TERM, LineQuery(status=status), 0, 10_000)]

    @rule(data=st.data(), yuan=st.integers(0, 500_000))
    def adjust(self, data, yuan):
        pending = self.ids("待发放")
        if pending:
            self.sv.aid.adjust(data.draw(st.sampled_from(pending)), yuan, "调整")

    @rule(data=st.data())
    def pay_some(self, data):
        pending = self.ids("待发放")
        if pending:
            chosen = data.draw(st.lists(st.sampled_from(pending), min_size=1, max_size=5, unique=True))
            self.sv.aid.pay(TERM, dt.date(2020, 9, 20), chosen)

    @rule(data=st.data())
    def void(self, data):
        live = [i for i in self.ids() if i not in self.ids("已作废")]
        if live:
            self.sv.aid.void(data.draw(st.sampled_from(live)), "作废")

    @rule(data=st.data(), yuan=st.integers(1, 300_000))
    def reissue(self, data, yuan):
        void = self.ids("已作废")
        if void:
            with contextlib.suppress(LedgerError):    # already re-issued / a live line exists: refused
                self.sv.aid.reissue(data.draw(st.sampled_from(void)), yuan, "补发")

    @precondition(lambda self: self.extra < 2)
    @rule()
    def more_students_then_plan_again(self):
        self.extra += 1
        fill_demo(self.sv.ctx, 5, seed=100 + self.extra)
        self.sv.aid.plan(TERM)

    @invariant()
    def batch_equals_lines(self):
        if hasattr(self, "db"):
            assert money_reconciles(self.db.path)

    def teardown(self):
        if not hasattr(self, "db"):
            return
        try:
            total = self.sv.aid.batch_total(TERM)
            book = self.folder / "报送.xlsx"
            self.sv.exchange.export_workbook(book, term=TERM)
            rows = _aid_sheet(book)
            head = rows[0].index("金额(元)")
            cash = [r[head] for r in rows[1:] if isinstance(r[0], (int, float)) and r[0]]
            # the 金额 column holds the cash lines; a 减免 line has no cash amount (its own column)
            assert sum(round(v * 100) for v in cash if isinstance(v, (int, float))) == total
            _, bank = self.sv.aid.export_bank_list(TERM, self.folder / "银行.xlsx")
            assert bank == total
            pdf = render_batch(kind("sign").sections(self.sv.ctx, Selection(term=TERM, all=True)),
                               self.folder / "签领表.pdf").path
            text = subprocess.run([need("pdftotext"), "-layout", str(pdf), "-"], capture_output=True, text=True,
                                  check=True).stdout
            assert "本学期发放批次合计" in text and format_yuan(total) in text and "不相符" not in text
        finally:
            self.db.dispose()


def _aid_sheet(book: Path) -> list[list]:
    wb = CalamineWorkbook.from_path(str(book))
    name = next(n for n in wb.sheet_names if n.endswith("资助发放"))
    rows = wb.get_sheet_by_name(name).to_python()
    start = next(i for i, r in enumerate(rows) if "金额(元)" in r)
    return rows[start:]


Money.TestCase.settings = settings(max_examples=8, stateful_step_count=15, deadline=None, derandomize=True,
                                   suppress_health_check=list(HealthCheck))
test_money_state_machine = Money.TestCase


def test_no_float_in_money_code():
    money = [p for p in (ROOT / "db" / "aid").glob("*.py") if not p.name.startswith("pdf")]   # pdf*: layout in mm
    for path in [ROOT / "db" / "money.py", *money]:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        floats = [n.lineno for n in ast.walk(tree) if isinstance(n, ast.Call) and getattr(n.func, "id", "") == "float"]
        literals = [n.lineno for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, float)]
        assert floats == [] and literals == [], (path.name, floats, literals)
    assert re.search(r"fen / 100", (ROOT / "db" / "sheets.py").read_text(encoding="utf-8"))   # the one place


@pytest.mark.parametrize("bad", ["1.234", "-5", "12.345", "abc", -1])
def test_bad_amounts_are_refused(bad):
    with pytest.raises(ValidationError):
        amount_fen(bad)
