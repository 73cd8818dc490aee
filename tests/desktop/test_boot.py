"""The window that shows at once: a splash painted before SQLAlchemy is imported."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from PySide6.QtGui import QColor
from PySide6.QtWidgets import QMainWindow

from desktop import boot

ROOT = Path(__file__).resolve().parents[2]

FIRST_PAINT = """
import sys
import main
code = main.main(["--exit-after-first-paint", "--db", sys.argv[1]])
from desktop import boot
print(code, boot._state["splash"].painted, "sqlalchemy" in sys.modules, "db.engine" in sys.modules)
"""


def test_the_splash_is_painted_before_sqlalchemy_is_imported(tmp_path):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    r = subprocess.run([sys.executable, "-c", FIRST_PAINT, str(tmp_path / "x.sqlite3")], cwd=ROOT,
                       env=env, capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    assert r.stdout.split() == ["0", "True", "False", "False"]
    assert not (tmp_path / "x.sqlite3").exists()      # nothing was opened yet


def test_splash_paints_the_app_and_school_names(qtbot, qapp):
    splash = boot.Splash("城关镇中心小学")
    qtbot.addWidget(splash)
    splash.show()
    assert boot.wait_painted(qapp, splash)
    image = splash.grab().toImage()
    assert QColor(image.pixel(20, 3)) == QColor("#2f6fb0")           # the band on top
    dark = sum(1 for x in range(0, image.width(), 2) for y in range(110, 160, 2)
               if QColor(image.pixel(x, y)).lightness() < 128)
    assert dark > 50                                                  # the school's name is drawn
    empty = boot.Splash("")
    qtbot.addWidget(empty)
    image = empty.grab().toImage()
    assert all(QColor(image.pixel(x, y)).lightness() > 200
               for x in range(0, image.width(), 4) for y in range(118, 154, 4))


def test_school_name_is_cached_per_database(settings, tmp_path, monkeypatch):
    monkeypatch.setitem(boot._state, "db_key", boot.db_key(str(tmp_path / "a.sqlite3")))
    boot.remember_school(settings, "城关镇中心小学")
    assert boot.cached_school(settings, boot.db_key(str(tmp_path / "a.sqlite3"))) == "城关镇中心小学"
    assert boot.cached_school(settings, boot.db_key(str(tmp_path / "b.sqlite3"))) == ""
    assert boot.cached_school(settings, "") == ""                    # the default database


def test_finish_closes_the_splash(qtbot, qapp, monkeypatch):
    splash = boot.Splash("")
    qtbot.addWidget(splash)
    splash.show()
    monkeypatch.setitem(boot._state, "splash", splash)
    window = QMainWindow()
    qtbot.addWidget(window)
    window.show()
    boot.finish(window)
    assert not splash.isVisible() and boot._state["splash"] is None
    boot.dismiss()                                                    # nothing left: no error


def test_resource_problems_names_what_is_missing(qapp, monkeypatch, tmp_path):
    boot.make_application([])
    assert boot.resource_problems() == []
    monkeypatch.setitem(boot._state, "translators", [])
    monkeypatch.setattr("desktop.boot.resource_path", lambda *parts: tmp_path.joinpath(*parts))
    problems = boot.resource_problems()
    assert any("qtbase_zh_CN" in p for p in problems) and any("图标" in p for p in problems)
