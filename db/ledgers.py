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


LEDGERS: tuple[Ledger, ...] = (
    Ledger("registry", "学生名册", "db.models.registry",
           {"registry": "db.registry.service:RegistryService", "school": "db.registry.school:SchoolService"},
           "db.cli.registry", ("demo", "students")),
    Ledger("aid", "学生资助", "db.models.aid", {"aid": "db.aid.service:AidService"},
           "db.cli.aid", ("aid",)),
    Ledger("exchange", "名单交换", "db.models.exchange",
           {"exchange": "db.exchange.service:ExchangeService", "reconcile": "db.exchange.reconcile:ReconcileService"},
           "db.cli.exchange", ("import", "export", "reconcile")),
)


def command_words() -> frozenset[str]:
    return frozenset(w for ledger in LEDGERS for w in ledger.commands)
