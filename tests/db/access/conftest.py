"""Fixtures of the access tests: a plain demo ledger, and the same ledger after its first administrator
(encrypted). argon2 runs with its real parameters: a test of rehashing lowers them on purpose."""
from __future__ import annotations

import datetime as dt

import pytest

from db.access import login
from db.clock import FixedClock
from db.context import ServiceContext
from db.demo import fill_demo
from db.engine import open_database
from db.services import Services

ADMIN, PASSWORD = "王校办", "Zhuxue#2020"
T0 = dt.datetime(2020, 9, 1, 2, 0)


class MovableClock(FixedClock):
    def move(self, **delta) -> None:
        self._now += dt.timedelta(**delta)


@pytest.fixture
def clock():
    return MovableClock(T0)


@pytest.fixture
def plain_path(tmp_path):
    """A plain ledger with 40 demonstration students and no users (like one `demo` makes)."""
    path = tmp_path / "data" / "ledger.sqlite3"
    db = open_database(path)
    fill_demo(ServiceContext(db.session_factory), 40)
    db.dispose()
    return path


@pytest.fixture
def encrypted(plain_path, clock):
    """(path, Setup) of the demo ledger after its first administrator was made."""
    return plain_path, login.first_admin(plain_path, ADMIN, PASSWORD, clock)


@pytest.fixture
def admin_services(encrypted, clock):
    """Services of the encrypted ledger, logged in as the administrator."""
    path, setup = encrypted
    key = login.unlock(path, ADMIN, PASSWORD, clock)
    db = open_database(path, key=key)
    sv = Services.build(ServiceContext(db.session_factory, clock=clock))
    login.start(sv.access, path, key, ADMIN, PASSWORD)
    yield sv
    db.dispose()


def open_as(path, name, password, clock):
    """(Database, Services) logged in as `name`; the caller disposes the database."""
    key = login.unlock(path, name, password, clock)
    db = open_database(path, key=key)
    sv = Services.build(ServiceContext(db.session_factory, clock=clock))
    login.start(sv.access, path, key, name, password)
    return db, sv
