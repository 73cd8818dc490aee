"""The pages of the main window, in navigation order. A new ledger adds one line here; only
modules that work are listed (no placeholder pages)."""
from __future__ import annotations

from desktop.pages.aid import AidPage
from desktop.pages.aid_visits import VisitsPage
from desktop.pages.assistance import AssistancePage
from desktop.pages.dropout import DropoutPage
from desktop.pages.employment import EmploymentPage
from desktop.pages.exchange import ExchangePage
from desktop.pages.family import FamilyPage
from desktop.pages.home import HomePage
from desktop.pages.inspection import InspectionPage
from desktop.pages.letters import LettersPage
from desktop.pages.nutrition import NutritionPage
from desktop.pages.oplog import OpLogPage
from desktop.pages.settings import SettingsPage
from desktop.pages.special import SpecialPage
from desktop.pages.students import StudentsPage
from desktop.pages.survey import SurveyPage

# 工作台 first: it is what the window shows at start
PAGES = [HomePage, StudentsPage, AidPage, VisitsPage, FamilyPage, AssistancePage, DropoutPage, LettersPage, SpecialPage,
         SurveyPage, NutritionPage, EmploymentPage, ExchangePage, InspectionPage, OpLogPage, SettingsPage]
