"""The one place where services are built. Pages and dialogs get an AppContext, never globals."""
from __future__ import annotations

from dataclasses import dataclass, field

from db.engine import Database
from db.aid.service import AidService
from db.exchange.reconcile import ReconcileService
from db.registry.service import RegistryService, SchoolService
from desktop.tasks import TaskRunner


@dataclass
class AppContext:
    database: Database
    registry: RegistryService
    school: SchoolService
    aid: AidService
    reconcile: ReconcileService
    tasks: TaskRunner = field(default_factory=TaskRunner)

    @classmethod
    def build(cls, database: Database, tasks: TaskRunner | None = None) -> AppContext:
        sf = database.session_factory
        return cls(database, RegistryService(sf), SchoolService(sf), AidService(sf), ReconcileService(sf),
                   tasks or TaskRunner())
