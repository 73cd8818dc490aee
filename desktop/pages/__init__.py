"""The pages of the main window, in navigation order. A new ledger adds one line here; only modules
that work are listed (no placeholder pages).

Each page is named by reference: the window shows its title and icon at once and imports its module
the first time it is shown, so start-up pays for the first page only (tests/test_ledgers.py keeps each
reference equal to its class).
"""
from __future__ import annotations

from dataclasses import dataclass
from importlib import import_module


@dataclass(frozen=True)
class PageRef:
    target: str                  # "desktop.pages.students:StudentsPage"
    title: str
    icon: str
    ledger: str
    settings_key: str
    accepts_files: bool = False  # a county list dropped on the window goes to this page
    applies: str = ""            # "service.method" (on the AppContext) saying whether the page concerns this school

    @property
    def name(self) -> str:
        return self.target.partition(":")[2]

    def load(self):
        module, _, name = self.target.partition(":")
        return getattr(import_module(module), name)

    def concerns(self, ctx) -> bool:
        return concerns(self.applies, ctx)

    @classmethod
    def of(cls, page) -> PageRef:
        """The reference of a page class (tests and callers that hold a class)."""
        return cls(f"{page.__module__}:{page.__name__}", page.title, page.icon, page.ledger, page.settings_key,
                   page.accepts_files, page.applies_when)


def concerns(applies: str, ctx) -> bool:
    """Whether a page concerns this school: `applies` is "service.method" on the AppContext ("" = always)."""
    if not applies:
        return True
    service, _, method = applies.partition(".")
    return bool(getattr(getattr(ctx, service), method)())


def _p(module: str, cls: str, title: str, icon: str, ledger: str, key: str, **kw) -> PageRef:
    return PageRef(f"desktop.pages.{module}:{cls}", title, icon, ledger, key, **kw)


# 工作台 first: it is what the window shows at start
PAGES = [
    _p("home", "HomePage", "工作台", "home", "office", "home"),
    _p("students", "StudentsPage", "学生名册", "students", "registry", "students"),
    _p("aid", "AidPage", "资助发放", "aid", "aid", "aid"),
    _p("aid_visits", "VisitsPage", "走访核实", "visits", "aid", "visits"),
    _p("family", "FamilyPage", "家庭查询", "family", "aid", "family"),
    _p("assistance", "AssistancePage", "个性化帮扶", "assistance", "assistance", "assistance"),
    _p("dropout", "DropoutPage", "控辍保学", "dropout", "dropout", "dropout"),
    _p("letters", "LettersPage", "省外就读", "letters", "letters", "letters"),
    _p("special", "SpecialPage", "残疾儿童安置", "special", "special", "special"),
    _p("survey", "SurveyPage", "线上学习排查", "survey", "survey", "survey"),
    _p("nutrition", "NutritionPage", "营养改善计划", "nutrition", "nutrition", "nutrition", applies="nutrition.enabled"),
    _p("employment", "EmploymentPage", "中职毕业生就业", "employment", "employment", "employment",
       applies="employment.applies"),
    _p("exchange", "ExchangePage", "名单交换", "exchange", "exchange", "exchange", accepts_files=True),
    _p("inspection", "InspectionPage", "自查", "check", "office", "inspection"),
    _p("oplog", "OpLogPage", "操作日志", "log", "office", "oplog"),
    _p("settings", "SettingsPage", "设置", "settings", "office", "settings"),
]
