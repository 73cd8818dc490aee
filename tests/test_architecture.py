"""The one rule of the house: the core knows no screen, and widgets know no database."""
import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def imports_of(folder: str):
    for path in sorted((ROOT / folder).rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    yield path, alias.name
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                yield path, node.module
                for alias in node.names:
                    yield path, f"{node.module}.{alias.name}"


def test_core_imports_no_qt():
    bad = [(p.relative_to(ROOT), m) for p, m in imports_of("db") if m.split(".")[0] in ("PySide6", "shiboken6")]
    assert bad == []


FORBIDDEN_IN_WIDGETS = ("db.models", "db.engine", "db.services", "db.demo", "sqlalchemy")


def test_widgets_do_not_reach_into_the_database():
    bad = [(p.relative_to(ROOT), m) for p, m in imports_of("widgets")
           if any(m == f or m.startswith(f + ".") for f in FORBIDDEN_IN_WIDGETS)]
    assert bad == []


@pytest.mark.parametrize("folder", ["db", "widgets", "desktop"])
def test_the_rule_is_checked_on_real_files(folder):
    # guards against the walk above silently finding nothing (a moved folder, a typo)
    assert sum(1 for _ in imports_of(folder)) > 20


def test_core_runs_without_qt_loaded():
    import subprocess
    import sys
    code = ("import sys, db.registry.service, db.engine, db.cli, db.demo; "
            "sys.exit(1 if any(m.startswith('PySide6') for m in sys.modules) else 0)")
    assert subprocess.run([sys.executable, "-c", code], cwd=ROOT).returncode == 0


def test_every_package_the_app_imports_is_a_runtime_dependency():
    """A package used by the app but listed only among the test extras works in CI and fails on
    the office PC (installed without [test])."""
    import re
    import sys
    import tomllib
    from importlib.metadata import packages_distributions

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    declared = {re.split(r"[<>=!~\[; ]", d, maxsplit=1)[0].lower().replace("_", "-")
                for d in project["dependencies"]}
    owners = packages_distributions()
    ours = {"db", "desktop", "widgets", "resources", "main"}
    used = {m.split(".")[0] for folder in ("db", "desktop", "widgets", "resources")
            for _, m in imports_of(folder)} | {"PySide6"}
    third_party = {m for m in used if m not in ours and m not in sys.stdlib_module_names and m != "__future__"}
    missing = sorted(f"{m} ({', '.join(owners.get(m, ['?']))})" for m in third_party
                     if not {d.lower().replace("_", "-") for d in owners.get(m, [m])} & declared)
    assert missing == []
