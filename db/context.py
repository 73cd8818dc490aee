"""The context every service is built from: the database's session factory, the acting user, a clock
and the one writer.

The GUI and the CLI build one `ServiceContext` per database and hand it to every service
(`db.services.Services.build`). Reads open a session with `read()`; every write goes through
`write()`, which holds the database's single writer lock for the whole transaction: two writes never
run at once in this process (SQLite would otherwise make the second wait on its busy timeout and fail
after five seconds), whether they come from a form on the GUI thread or an import on a worker thread.
"""
from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy.orm import Session, sessionmaker

from db.access.roles import check_write
from db.clock import Clock
from db.errors import LedgerError
from db.sqlite import begin_immediate

# Long work takes these two plain callables, so that services stay Qt-free (ARCHITECTURE habit 4).
Progress = Callable[[int, int], None] | None      # progress(done, total)
Cancel = Callable[[], bool] | None                # cancelled() -> True once the user pressed 取消

WRITE_WAIT_S = 15.0          # a write waits this long for another one to finish, then gives up


@dataclass(frozen=True)
class Actor:
    """Who is doing the work: recorded with every change in the audit log. `role` "" is the actor of
    a database without users (everything allowed); a logged-in user's role limits what its writes may
    change (db.access.guard); `classes` are a 班主任's own classes ((grade, class) pairs)."""
    name: str
    user_id: int | None = None
    role: str = ""
    classes: frozenset = frozenset()


CLI_ACTOR = Actor("命令行")
SYSTEM_ACTOR = Actor("系统")


class WriterBusy(LedgerError):
    def __init__(self) -> None:
        super().__init__("另一项保存或导入正在进行，请稍后再试（数据没有改动）")


class Writer:
    """The database's single writer: a lock held for a write transaction. A write started inside
    another on the same thread is a programming error (SQLite would deadlock on it), not a wait."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._owner = threading.local()

    @contextmanager
    def hold(self, wait_s: float = WRITE_WAIT_S) -> Iterator[None]:
        if getattr(self._owner, "held", False):
            raise RuntimeError("nested database write on one thread")
        if not self._lock.acquire(timeout=wait_s):
            raise WriterBusy()
        self._owner.held = True
        try:
            yield
        finally:
            self._owner.held = False
            self._lock.release()

    @property
    def busy(self) -> bool:
        return self._lock.locked()


class ServiceContext:
    def __init__(self, session_factory: sessionmaker[Session], actor: Actor = SYSTEM_ACTOR,
                 clock: Clock | None = None, writer: Writer | None = None):
        self.session_factory = session_factory
        self._actor = actor
        self.clock = clock or Clock()
        self.writer = writer or Writer()

    @property
    def actor(self) -> Actor:
        return self._actor

    def set_actor(self, actor: Actor) -> None:
        """A different person is now at the keyboard (first start, later a login). A logged-in user
        (with a role) is replaced only by another logged-in user: a bare name (the officer typed in
        the school's details) would act without a role, i.e. with every right."""
        if self._actor.role and not actor.role:
            return
        self._actor = actor

    @contextmanager
    def read(self) -> Iterator[Session]:
        with self.session_factory() as s:
            yield s

    @contextmanager
    def write(self, *, immediate: bool = False, audit_only: bool = False,
              housekeeping: bool = False) -> Iterator[Session]:
        """One write transaction, committed when the block ends, rolled back if it raises.
        `immediate`: take SQLite's write lock at once (before the first read), for a write that
        reads first and must not see the data change under it (bulk imports).
        The actor's role is checked first (db.access.guard); `audit_only` is the audit entry of an
        event that changes no ledger (an export, a print, a login); `housekeeping` is the app's own
        once-only default that a read needs (the seeded aid standards), whoever is reading."""
        scoped = check_write(self._actor, immediate=immediate, audit_only=audit_only or housekeeping)
        with self.writer.hold(), self.session_factory.begin() as s:
            if scoped:
                from db.access.guard import install  # noqa: PLC0415 - start-up: the models, only for a 班主任
                install(s, self._actor)
            if immediate:
                begin_immediate(s)
            yield s
