"""The registry of document kinds: what can be printed, its Chinese title and the selection it takes.
The command line (`print --list`, `print KIND …`) and the desktop's print buttons both use it.

Each ledger's `paper` module (registered in db.ledgers) lists its kinds in `KINDS`; this module imports
them by name when first asked (the document layer itself imports no ledger).
"""
from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Callable
from dataclasses import dataclass, field

from db.errors import LedgerError
from db.ledgers import LEDGERS

SCOPE_LABELS = {"student": "学生", "household": "家庭", "class": "班级", "all": "全部", "term": "学期",
                "record": "编号"}


@dataclass(frozen=True)
class Selection:
    """What to print. Empty fields do not narrow; `student_ids`/`household_ids` come from a screen's
    selection, `student_id`/`household_id` from the command line."""
    term: str = ""
    class_name: str = ""               # "三年级2班" (grade + class) or "2班"
    student_ids: tuple[int, ...] = ()
    household_ids: tuple[int, ...] = ()
    record_ids: tuple[int, ...] = ()   # a ledger's own records (special-needs files …), by their ids
    all: bool = False
    programme: str = ""
    start: dt.date | None = None       # 公示 period
    end: dt.date | None = None
    today: dt.date | None = None
    record_ids: tuple[int, ...] = ()   # a ledger's own records (dropout cases, letters) chosen on a screen or by --id
    month: str = ""                    # 2020-10 (monthly reports and notices)
    round: str = ""                    # a survey round's name (线上学习排查)

    @property
    def today_or_now(self) -> dt.date:
        return self.today or dt.date.today()


@dataclass(frozen=True)
class DocKind:
    name: str                          # the command line's KIND
    title: str                         # 资助政策告知书（明白卡）
    takes: str                         # what selection it takes, in Chinese, for --list and the GUI
    sections: Callable                 # (ServiceContext, Selection) -> list[db.docs.render.Section]
    needs_term: bool = False
    scopes: frozenset[str] = field(default_factory=frozenset)   # of SCOPE_LABELS
    # its students are chosen by db.registry.selection.student_condition, so a user limited to own
    # classes (班主任) may print it for those (RegistryService.printable); other kinds are school-wide
    per_student: bool = False

    def filename(self, sel: Selection) -> str:
        parts = [sel.term, sel.class_name, self.title.split("（")[0]]
        return "".join(p for p in parts if p) + ".pdf"


_kinds: dict[str, DocKind] | None = None


def kinds() -> dict[str, DocKind]:
    global _kinds
    if _kinds is None:
        found: dict[str, DocKind] = {}
        for mod in (ledger.paper for ledger in LEDGERS if ledger.paper):
            for k in importlib.import_module(mod).KINDS:
                found[k.name] = k
        _kinds = found
    return _kinds


def kind(name: str) -> DocKind:
    k = kinds().get(name)
    if k is None:
        raise LedgerError(f"没有名为“{name}”的文书，可用的有：{'、'.join(kinds())}（用 print --list 查看）")
    return k
