"""main.py chooses between the window and a command (issue 10, item 17): `--db` before or after the
command, never the window when a command word is present, an unknown word exits 2 with the list."""
from __future__ import annotations

import json

import pytest

import desktop.app
import main
from tests.db.exchange.files import make_id, write_xlsx


@pytest.fixture
def no_gui(monkeypatch):
    calls = []

    def fake_gui(argv):
        calls.append(argv)
        return 0
    monkeypatch.setattr(desktop.app, "run_gui", fake_gui)
    return calls


@pytest.mark.parametrize("where", ["before", "after"])
def test_db_before_or_after_the_command_runs_the_command(tmp_path, no_gui, capsys, where):
    db = str(tmp_path / "x.sqlite3")
    cmd = ["demo", "--students", "3"]
    argv = ["--db", db, *cmd] if where == "before" else [*cmd, "--db", db]
    assert main.main(argv) == 0
    assert no_gui == []
    capsys.readouterr()
    assert main.main(["--db", db, "students", "--json"]) == 0
    assert len(json.loads(capsys.readouterr().out)) == 3


def test_db_first_then_import_imports(tmp_path, no_gui, capsys):
    db = str(tmp_path / "i.sqlite3")
    f = write_xlsx(tmp_path / "名单.xlsx", [["姓名", "身份证号"], ["王一", make_id(seq=1)]])
    assert main.main(["--db", db, "import", str(f), "--json"]) == 0
    assert no_gui == [] and json.loads(capsys.readouterr().out)["imported"] == 1


@pytest.mark.parametrize("argv", [["prnt"], ["--db", "x.sqlite3", "prnt"], ["-platform", "offscreen", "foo"]])
def test_an_unknown_word_exits_2_with_the_commands(no_gui, capsys, argv):
    assert main.main(argv) == 2
    err = capsys.readouterr().err
    assert no_gui == [] and "未知命令" in err and "import" in err and "print" in err


@pytest.mark.parametrize("argv", [[], ["--db", "x.sqlite3"], ["--smoke-test"], ["-platform", "offscreen"]])
def test_no_command_word_starts_the_window(no_gui, argv):
    assert main.main(argv) == 0
    assert no_gui == [argv]
