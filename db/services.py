"""Every service of the app, from one ServiceContext — for the GUI (desktop.context) and the CLI (db.cli)
alike. The annotated names are the services the ledgers register in db.ledgers (tests/test_ledgers.py
keeps the two equal). A service is built the first time it is used: start-up pays only for the ledgers
the first page shows (importing every ledger, with openpyxl and Pillow, cost ~0.25 s)."""
from __future__ import annotations

import threading
from importlib import import_module
from typing import TYPE_CHECKING

from db.context import ServiceContext
from db.ledgers import LEDGERS

if TYPE_CHECKING:       # the classes are imported by name from the registrations at build time
    from db.access.service import AccessService
    from db.aid.service import AidService
    from db.assistance.service import AssistanceService
    from db.dropout.service import DropoutService
    from db.employment.service import EmploymentService
    from db.exchange.reconcile import ReconcileService
    from db.exchange.service import ExchangeService
    from db.letters.service import LettersService
    from db.nutrition.service import NutritionService
    from db.office.config import ConfigService
    from db.office.home import HomeService
    from db.office.inspection import InspectionService
    from db.office.oplog import OpLogService
    from db.office.rollover import RolloverService
    from db.registry.school import SchoolService
    from db.registry.service import RegistryService
    from db.special.service import SpecialService
    from db.survey.service import SurveyService


def service_factories() -> dict[str, str]:
    """Services attribute -> "module:Class", from every ledger's registration."""
    return {name: target for ledger in LEDGERS for name, target in ledger.services.items()}


class Services:
    ctx: ServiceContext
    registry: RegistryService
    school: SchoolService
    aid: AidService
    exchange: ExchangeService
    reconcile: ReconcileService
    dropout: DropoutService
    letters: LettersService
    survey: SurveyService
    nutrition: NutritionService
    employment: EmploymentService
    assistance: AssistanceService
    special: SpecialService
    home: HomeService
    inspection: InspectionService
    rollover: RolloverService
    config: ConfigService
    oplog: OpLogService
    access: AccessService

    def __init__(self, ctx: ServiceContext, **extra):
        self.ctx = ctx
        self._factories = service_factories()
        self._building = threading.Lock()          # a page and a background task may ask at once
        self.__dict__.update(extra)

    @classmethod
    def build(cls, ctx: ServiceContext, **extra):
        return cls(ctx, **extra)

    def __getattr__(self, name: str):
        """Only called for a name not yet set: build that service once and keep it."""
        target = self.__dict__.get("_factories", {}).get(name)
        if target is None:
            raise AttributeError(f"{type(self).__name__} has no attribute {name!r}")
        with self._building:
            if name not in self.__dict__:
                module, _, cls_name = target.partition(":")
                self.__dict__[name] = getattr(import_module(module), cls_name)(self.ctx)
        return self.__dict__[name]


def service_names() -> set[str]:
    return set(Services.__annotations__) - {"ctx"}
