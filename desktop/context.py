"""The one place where the desktop's services are built. Pages and dialogs get an AppContext — the
services of every ledger (db.services.Services), the database and the task runner — never a
session factory or a global."""
from __future__ import annotations

from db.context import Actor, ServiceContext
from db.engine import Database
from db.services import Services
from desktop.tasks import TaskRunner


class AppContext(Services):
    database: Database | None
    tasks: TaskRunner

    @classmethod
    def build(cls, database: Database, tasks: TaskRunner | None = None, *, actor: Actor | None = None) -> AppContext:
        ctx = ServiceContext(database.session_factory, actor or Actor("管理员"))
        return cls(ctx, database=database, tasks=tasks or TaskRunner())
