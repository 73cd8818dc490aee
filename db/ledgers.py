"""The ledgers of the app, one registration each.

A ledger is a package under db/ (dto, rules, service and topic modules, xlsx, pdf) with its tables in
db/models/<ledger>.py and its commands in db/cli/<ledger>.py. Registering it here is what makes it
part of the app: its tables join the metadata Alembic compares against (db.models), its services are
built for the GUI and the CLI alike (db.services.Services.build), its command words reach main.py
(db.cli). Tests keep the other places honest: the Services fields, the desktop's PAGES and the
migration list (see README, "Adding a ledger").

Imports are named as strings so that reading this list imports nothing (start-up stays lean).
"""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Ledger:
    name: str                                   # its package: db/<name>/
    title: str                                  # Chinese name shown to the user
    models: str                                 # module that defines its tables
    services: dict[str, str] = field(default_factory=dict)   # Services attribute -> "module:Class"
    cli: str = ""                               # module with register(subparsers)
    commands: tuple[str, ...] = ()              # the command words that module registers
    paper: str = ""                             # module whose KINDS are its printed documents
    home: str = ""                              # "module:function": what is due, for the home page (db.home)
    accounts: str = ""                          # "module:function": how it accounts for children (自查, db.home)


LEDGERS: tuple[Ledger, ...] = (
    Ledger("registry", "学生名册", "db.models.registry",
           {"registry": "db.registry.service:RegistryService", "school": "db.registry.school:SchoolService",
            "access": "db.access.service:AccessService"},       # users and logins (school-wide, like the school)
           "db.cli.registry", ("demo", "students"), "db.registry.paper", home="db.registry.home:home_items"),
    Ledger("aid", "学生资助", "db.models.aid", {"aid": "db.aid.service:AidService"},
           "db.cli.aid", ("aid",), "db.aid.paper", home="db.aid.home:home_items"),
    Ledger("exchange", "名单交换", "db.models.exchange",
           {"exchange": "db.exchange.service:ExchangeService", "reconcile": "db.exchange.reconcile:ReconcileService"},
           "db.cli.exchange", ("import", "export", "reconcile"), home="db.exchange.home:home_items"),
    Ledger("dropout", "控辍保学", "db.models.dropout", {"dropout": "db.dropout.service:DropoutService"},
           "db.cli.dropout", ("dropout",), "db.dropout.paper",
           home="db.dropout.home:home_items", accounts="db.dropout.home:accounts"),
    Ledger("letters", "省外就读", "db.models.letters", {"letters": "db.letters.service:LettersService"},
           "db.cli.letters", ("letters",), "db.letters.paper",
           home="db.letters.home:home_items", accounts="db.letters.home:accounts"),
    Ledger("survey", "线上学习排查", "db.models.survey", {"survey": "db.survey.service:SurveyService"},
           "db.cli.survey", ("survey",), "db.survey.paper", home="db.survey.home:home_items"),
    Ledger("nutrition", "营养改善计划", "db.models.nutrition", {"nutrition": "db.nutrition.service:NutritionService"},
           "db.cli.nutrition", ("nutrition",), "db.nutrition.paper", home="db.nutrition.home:home_items"),
    Ledger("employment", "中职毕业生就业", "db.models.employment",
           {"employment": "db.employment.service:EmploymentService"},
           "db.cli.employment", ("employment",), "db.employment.paper", home="db.employment.home:home_items"),
    Ledger("assistance", "个性化帮扶", "db.models.assistance",
           {"assistance": "db.assistance.service:AssistanceService"},
           "db.cli.assistance", ("assistance",), "db.assistance.paper", home="db.assistance.home:home_items"),
    Ledger("special", "残疾儿童安置", "db.models.special", {"special": "db.special.service:SpecialService"},
           "db.cli.special", ("special",), "db.special.paper",
           home="db.special.home:home_items", accounts="db.special.home:accounts"),
    # the office's own work over every ledger: the home page, 自查, 学年结转, 设置, 操作日志 (issue 16)
    Ledger("office", "工作台", "db.models.office",
           {"home": "db.office.home:HomeService", "inspection": "db.office.inspection:InspectionService",
            "rollover": "db.office.rollover:RolloverService", "config": "db.office.config:ConfigService",
            "oplog": "db.office.oplog:OpLogService"},
           "db.cli.office", ("check", "rollover", "log"), "db.office.paper"),
)


# Commands that belong to no single ledger: (module, command words).
SHARED_COMMANDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("db.cli.paper", ("print",)),               # every ledger's printed documents
    ("db.cli.backup", ("backup",)),             # backups of the whole database
    ("db.cli.audit", ("audit",)),               # the audit log's chain, export and retention
    ("db.cli.users", ("user",)),                # users, roles, passwords, the recovery key
)


def command_words() -> frozenset[str]:
    return frozenset(w for ledger in LEDGERS for w in ledger.commands) | {
        w for _, words in SHARED_COMMANDS for w in words}


def command_modules() -> list[str]:
    return [ledger.cli for ledger in LEDGERS if ledger.cli] + [m for m, _ in SHARED_COMMANDS]


def contributions(attr: str) -> list[tuple[str, str]]:
    """(ledger name, "module:function") of every ledger that registers `attr`: "home" or "accounts"."""
    if attr not in ("home", "accounts"):
        raise ValueError(attr)
    return [(ledger.name, getattr(ledger, attr)) for ledger in LEDGERS if getattr(ledger, attr)]
