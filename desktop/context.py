"""The one place where services are built. Pages and dialogs get an AppContext, never globals."""
from __future__ import annotations

from dataclasses import dataclass, field

from db.engine import Database
from db.services.aid import AidService
from db.services.reconcile import ReconcileService
from db.services.registry import RegistryService, SchoolService
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
