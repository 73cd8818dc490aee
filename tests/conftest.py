"""Shared fixtures: a real SQLite file per test, opened and migrated the way the app opens it."""
from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402

from db.engine import open_database  # noqa: E402


@pytest.fixture
def database(tmp_path):
    db = open_database(tmp_path / "ledger.sqlite3")
    yield db
    db.dispose()


@pytest.fixture
def sf(database):
    """The session factory of a fresh, migrated database file."""
    return database.session_factory
