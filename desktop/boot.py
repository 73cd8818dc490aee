"""The first thing a clerk sees: a window painted before SQLAlchemy, the models and the services are
imported (they take several times as long as Qt itself). This module imports Qt and nothing of db/.

    app = boot.start(qt_args, db_arg, smoke)   # QApplication in zh_CN, a painted splash
    ...heavy imports, open the database, build the main window...
    boot.remember_school(settings, name)        # the splash of the next start shows it
    boot.finish(window)                         # the splash goes when the window is up

The school's name comes from a line in QSettings written at each start (no database is opened to
show it); it is shown only when the same database is opened again.
"""
from __future__ import annotations

import time
from pathlib import Path

from PySide6.QtCore import QEventLoop, QRect, QSettings, Qt
from PySide6.QtGui import QColor, QFont, QIcon, QImageReader, QPainter
from PySide6.QtWidgets import QApplication, QWidget

from resources import resource_path
from resources.qt import apply_font, install_translations

APP_NAME = "助学台账"
OPENING = "正在打开台账……"
PAINT_TIMEOUT_S = 5.0
_KEY_DB, _KEY_SCHOOL = "boot/db", "boot/school"


class Splash(QWidget):
    """A plain card with the app's and the school's names; painted by hand, no child widgets."""

    def __init__(self, school: str = "") -> None:
        super().__init__(None, Qt.WindowType.SplashScreen | Qt.WindowType.FramelessWindowHint)
        self.setWindowTitle(APP_NAME)
        self.school = school
        self.painted = False
        self.resize(520, 260)
        screen = QApplication.primaryScreen()
        if screen is not None:
            self.move(screen.availableGeometry().center() - self.rect().center())

    def paintEvent(self, _event) -> None:
        p = QPainter(self)
        w, h = self.width(), self.height()
        p.fillRect(self.rect(), QColor("#ffffff"))
        p.fillRect(QRect(0, 0, w, 8), QColor("#2f6fb0"))
        p.setPen(QColor("#c8d3df"))
        p.drawRect(self.rect().adjusted(0, 0, -1, -1))
        base = QFont(self.font())
        p.setPen(QColor("#1f3b57"))
        p.setFont(_sized(base, 26, bold=True))
        p.drawText(QRect(0, 50, w, 60), Qt.AlignmentFlag.AlignCenter, APP_NAME)
        if self.school:
            p.setFont(_sized(base, 14))
            p.drawText(QRect(20, 118, w - 40, 36), Qt.AlignmentFlag.AlignCenter, self.school)
        p.setPen(QColor("#6b7785"))
        p.setFont(_sized(base, 10))
        p.drawText(QRect(0, h - 60, w, 30), Qt.AlignmentFlag.AlignCenter, OPENING)
        p.end()
        self.painted = True


def _sized(font: QFont, points: float, bold: bool = False) -> QFont:
    f = QFont(font)
    f.setPointSizeF(points)
    f.setBold(bold)
    return f


_state: dict = {"splash": None, "db_key": ""}


def db_key(db_arg: str | None) -> str:
    """How the cached school name knows its database: the resolved --db path, "" for the default."""
    return str(Path(db_arg).expanduser().resolve()) if db_arg else ""


def cached_school(settings: QSettings, key: str) -> str:
    return str(settings.value(_KEY_SCHOOL, "") or "") if settings.value(_KEY_DB, None) == key else ""


def remember_school(settings: QSettings, name: str | None) -> None:
    settings.setValue(_KEY_DB, _state["db_key"])
    settings.setValue(_KEY_SCHOOL, name or "")


def make_application(qt_args: list[str], argv0: str = "zhuxue") -> QApplication:
    app = QApplication.instance() or QApplication([argv0, *qt_args])
    app.setOrganizationName("ZhuxueLedger")
    app.setApplicationName("ZhuxueLedger")
    app.setApplicationDisplayName(APP_NAME)
    _state["translators"] = install_translations(app)
    apply_font(app)
    return app


def resource_problems() -> list[str]:
    """What the smoke test finds missing among the Qt-side resources (a frozen build may lack them
    and the app would still start, in English buttons and without icons)."""
    problems = []
    if not _state.get("translators"):
        problems.append("Qt 的中文翻译（qtbase_zh_CN.qm）")
    if b"svg" not in QImageReader.supportedImageFormats():
        problems.append("SVG 图片插件")
    for svg in sorted(resource_path("icons").glob("*.svg")):
        if QIcon(str(svg)).pixmap(24, 24).isNull():
            problems.append(f"图标 {svg.name}")
    if not list(resource_path("icons").glob("*.svg")):
        problems.append("图标文件夹 resources/icons")
    return problems


def start(qt_args: list[str], db_arg: str | None, smoke: bool, argv0: str = "zhuxue") -> QApplication:
    """The application, with a splash on screen and painted when this returns."""
    app = make_application(qt_args, argv0)
    _state["db_key"] = key = db_key(db_arg)
    school = "" if smoke else cached_school(QSettings(), key)   # a smoke test reads no user settings
    splash = _state["splash"] = Splash(school)
    splash.show()
    wait_painted(app, splash)
    return app


def wait_painted(app: QApplication, widget, timeout_s: float = PAINT_TIMEOUT_S) -> bool:
    deadline = time.monotonic() + timeout_s
    while not widget.painted and time.monotonic() < deadline:
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
    app.processEvents()                  # let the painted frame reach the screen
    return widget.painted


def finish(window) -> None:
    """The main window is shown: the splash goes."""
    splash = _state["splash"]
    _state["splash"] = None
    if splash is not None:
        if window is not None:
            window.raise_()
            window.activateWindow()
        splash.close()
        splash.deleteLater()


def dismiss() -> None:
    """Before a message box or on an error: never leave the splash over it."""
    finish(None)
