"""Every service of the app, built once from one ServiceContext — by the GUI (desktop.context) and the
CLI (db.cli) alike. The fields are the services the ledgers register in db.ledgers
(tests/test_ledgers.py keeps the two equal)."""
from __future__ import annotations

from dataclasses import dataclass, fields
from importlib import import_module
from typing import TYPE_CHECKING

from db.context import ServiceContext
from db.ledgers import LEDGERS

if TYPE_CHECKING:       # the classes are imported by name from the registrations at build time
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


@dataclass
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

    @classmethod
    def build(cls, ctx: ServiceContext, **extra):
        made = {}
        for name, target in service_factories().items():
            module, _, cls_name = target.partition(":")
            made[name] = getattr(import_module(module), cls_name)(ctx)
        return cls(ctx=ctx, **made, **extra)


def service_names() -> set[str]:
    return {f.name for f in fields(Services)} - {"ctx"}
