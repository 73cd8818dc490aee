"""One registration per ledger (db.ledgers): every other list of the app is derived from it or kept
equal to it here."""
from __future__ import annotations

import importlib
import subprocess
import sys
from pathlib import Path

from db.ledgers import LEDGERS, command_modules, command_words
from db.migrations import REVISIONS
from db.services import Services, service_factories, service_names

ROOT = Path(__file__).resolve().parents[1]


def test_every_registered_module_exists():
    for ledger in LEDGERS:
        assert (ROOT / "db" / ledger.name / "__init__.py").exists(), ledger.name
        importlib.import_module(ledger.models)
        for target in ledger.services.values():
            module, _, cls = target.partition(":")
            assert hasattr(importlib.import_module(module), cls), target
        if ledger.paper:
            assert importlib.import_module(ledger.paper).KINDS


def test_services_fields_are_the_registered_services():
    assert service_names() == set(service_factories())


def test_services_are_built_from_the_registrations(sctx):
    services = Services.build(sctx)
    for name, target in service_factories().items():
        assert type(getattr(services, name)).__name__ == target.partition(":")[2]
        assert getattr(services, name)._ctx is sctx      # one context: one actor, clock and writer


def test_the_command_words_are_what_the_modules_register():
    from db.cli import command_names
    assert command_names() == command_words()
    assert all(importlib.import_module(m) for m in command_modules())


def test_every_ledger_has_a_page():
    from desktop.pages import PAGES
    ledgers = {getattr(p, "ledger", None) for p in PAGES}
    assert {ledger.name for ledger in LEDGERS} <= ledgers


def test_each_page_reference_says_what_its_class_says():
    """The window shows a page's title and icon before importing it: the reference must not drift."""
    from desktop.pages import PAGES, PageRef
    for ref in PAGES:
        assert PageRef.of(ref.load()) == ref
    assert len({ref.settings_key for ref in PAGES}) == len(PAGES)


def test_the_window_module_imports_no_page():
    """The window imports a page's module when it first shows the page (start-up time)."""
    code = ("import sys, desktop.main_window, desktop.pages as p; "
            "print(sorted(m for m in sys.modules if m.startswith('desktop.pages.')))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    assert out.strip() == "['desktop.pages.base']"


def test_every_model_table_comes_from_a_registered_module():
    from db.models import Base
    modules = {ledger.models for ledger in LEDGERS} | {"db.models.core"}
    owners = {m.class_.__module__ for m in Base.registry.mappers}
    assert owners <= modules


def test_the_revision_list_is_the_migration_scripts():
    scripts = sorted(p.name[:4] for p in (ROOT / "db" / "migrations" / "versions").glob("[0-9]*.py"))
    assert list(REVISIONS) == scripts
