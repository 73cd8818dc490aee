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


# ---- rules kept by machines (issue 8) -------------------------------------------------------------
def _tool(name: str) -> str:
    import shutil
    import sys
    path = shutil.which(name, path=str(Path(sys.executable).parent))
    assert path, f"{name} is a test dependency: pip install -e .[test]"
    return path


def test_import_contracts_are_kept():
    """import-linter's contracts in pyproject.toml: the core knows no screen, widgets no database,
    the desktop no models, ledgers layered without cycles, shared pieces import no ledger."""
    import subprocess
    r = subprocess.run([_tool("lint-imports"), "--no-cache"], cwd=ROOT, capture_output=True, text=True)
    assert r.returncode == 0, r.stdout[-3000:]


def test_a_broken_contract_is_caught(tmp_path):
    """The contracts are not vacuous: a widget that imports a model breaks one."""
    import shutil
    import subprocess
    for folder in ("db", "desktop", "widgets", "resources"):
        shutil.copytree(ROOT / folder, tmp_path / folder, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    (tmp_path / "widgets" / "bad.py").write_text("from db.models.registry import Student\n", encoding="utf-8")
    r = subprocess.run([_tool("lint-imports"), "--no-cache"], cwd=tmp_path, capture_output=True, text=True)
    assert r.returncode != 0 and "widgets.bad -> db.models.registry" in r.stdout


def test_ruff_is_clean():
    import subprocess
    r = subprocess.run([_tool("ruff"), "check", "--no-cache", "."], cwd=ROOT, capture_output=True, text=True)
    assert r.returncode == 0, r.stdout[-3000:]


def test_no_write_bypasses_the_single_writer():
    """Every write transaction goes through ServiceContext.write (which holds the writer lock): no
    module of the app opens one on a session factory itself."""
    import re
    pattern = re.compile(r"(session_factory|\bsf|_sf)\.begin\(\)")
    offenders = [str(p.relative_to(ROOT)) for folder in ("db", "desktop", "widgets")
                 for p in (ROOT / folder).rglob("*.py")
                 if p.name != "context.py" and pattern.search(p.read_text(encoding="utf-8"))]
    assert offenders == []


def test_no_decision_is_made_by_matching_words_of_an_exception():
    import re
    pattern = re.compile(r"in str\((e|exc|err)\)|str\((e|exc|err)\)\.(startswith|find)")
    offenders = [str(p.relative_to(ROOT)) for folder in ("db", "desktop", "widgets")
                 for p in (ROOT / folder).rglob("*.py") if pattern.search(p.read_text(encoding="utf-8"))]
    assert offenders == []
