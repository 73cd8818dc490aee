from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QSettings

from db.demo import fill_demo
from desktop.context import AppContext


@pytest.fixture
def demo_db(sctx, database):
    """The migrated test database with 300 demonstration students."""
    fill_demo(sctx, 300)
    return database


@pytest.fixture
def ctx(demo_db):
    c = AppContext.build(demo_db)
    yield c
    c.tasks.wait()


@pytest.fixture
def paid_ctx(ctx):
    """The demo school with the 2020秋 batch planned and paid on 2020-09-20."""
    ctx.aid.plan("2020秋")
    ctx.aid.pay("2020秋", dt.date(2020, 9, 20))
    return ctx


@pytest.fixture
def empty_ctx(database):
    c = AppContext.build(database)
    yield c
    c.tasks.wait()


@pytest.fixture
def settings(tmp_path):
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


@pytest.fixture(autouse=True)
def no_modal_boxes(monkeypatch, request):
    """A message box left open would block the test run: answer Yes/OK and record what was said.
    Tests that care about the answer patch QMessageBox.question themselves. An error box
    (critical) that a test did not ask about fails that test: errors must not pass unseen."""
    import inspect

    from PySide6.QtWidgets import QMessageBox
    said: list[str] = []
    errors: list[str] = []

    def record(answer, into=None):
        def box(*a, **k):
            text = str(a[2]) if len(a) > 2 else ""
            said.append(text)
            if into is not None:
                into.append(text)
            return answer
        return box
    monkeypatch.setattr(QMessageBox, "question", record(QMessageBox.StandardButton.Yes))
    for name in ("warning", "information"):
        monkeypatch.setattr(QMessageBox, name, record(QMessageBox.StandardButton.Ok))
    monkeypatch.setattr(QMessageBox, "critical", record(QMessageBox.StandardButton.Ok, errors))
    monkeypatch.setattr(QMessageBox, "about", record(None))
    yield said
    asked = "no_modal_boxes" in inspect.signature(request.function).parameters
    if errors and not asked:
        pytest.fail(f"unexpected error box(es): {errors}")


def settle(ctx) -> None:
    """Let every page's chain of background queries finish while its widgets are alive (a page that
    loads its list and then its filter options starts the second query when the first one lands)."""
    from PySide6.QtWidgets import QApplication
    for _ in range(6):
        ctx.tasks.wait()
        QApplication.processEvents()
