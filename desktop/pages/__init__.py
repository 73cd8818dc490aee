"""The pages of the main window, in navigation order. A new ledger adds one line here; only
modules that work are listed (no placeholder pages)."""
from __future__ import annotations

from desktop.pages.aid import AidPage
from desktop.pages.aid_visits import VisitsPage
from desktop.pages.exchange import ExchangePage
from desktop.pages.family import FamilyPage
from desktop.pages.special import SpecialPage
from desktop.pages.students import StudentsPage

PAGES = [StudentsPage, AidPage, VisitsPage, FamilyPage, SpecialPage, ExchangePage]
