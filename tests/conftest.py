"""Shared fixtures: a real SQLite file per test, opened and migrated the way the app opens it."""
from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest

from db.context import Actor, ServiceContext
from db.engine import open_database
from db.services import Services


@pytest.fixture
def database(tmp_path):
    db = open_database(tmp_path / "ledger.sqlite3")
    yield db
    db.dispose()


@pytest.fixture
def sf(database):
    """The session factory of a fresh, migrated database file."""
    return database.session_factory


@pytest.fixture
def sctx(database):
    """The service context of the test database: the actor 李老师 and the real clock."""
    return ServiceContext(database.session_factory, Actor("李老师"))


@pytest.fixture
def services(sctx):
    """Every service, built the way the GUI and the CLI build them."""
    return Services.build(sctx)
