"""Start the desktop app: QApplication in zh_CN, one instance per database, first-run setup.

The open/close path (`run_gui`): the database's lock (db.lock — the command line honours it too) →
`open_database` (a damaged file is offered its newest verified backup, desktop.dialogs.damaged) →
the window with its backup schedule (desktop.backups) → at close, a backup when something changed.
A restore asked for in 备份与恢复 closes the window, restores (db.restore) and opens a new one.
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

ALREADY_OPEN = "该数据库已在另一个窗口中打开"
SMOKE_TIMEOUT_MS = 120_000


def parse_args(argv: list[str]) -> tuple[argparse.Namespace, list[str]]:
    parser = argparse.ArgumentParser(prog="main.py", description="助学台账")
    parser.add_argument("--db", metavar="PATH", help="数据库文件（默认：用户数据目录下的 ledger.sqlite3）")
    parser.add_argument("--smoke-test", action="store_true",
                        help="启动界面、打开学生名册、载入第一页后退出（安装包和 CI 用）")
    # bench/registry.py: start, paint the first window, exit (time to the first painted window)
    parser.add_argument("--exit-after-first-paint", action="store_true", help=argparse.SUPPRESS)
    return parser.parse_known_args(argv)


def lock_path(db_path: Path) -> Path:
    from db.lock import lock_path as path_of  # noqa: PLC0415 - start-up: loaded only when used
    return path_of(db_path)


def acquire_lock(db_path: Path):
    """The database's lock (db.lock); None when another live process holds it. Raises
    db.lock.FolderNotWritable for a folder that cannot hold it (read-only)."""
    from db.lock import try_lock  # noqa: PLC0415 - start-up: loaded only when used
    Path(db_path).parent.mkdir(parents=True, exist_ok=True)
    return try_lock(Path(db_path), "窗口")


def _fail(message: str, smoke: bool, app=None) -> int:
    from desktop import boot  # noqa: PLC0415 - start-up: loaded only when used
    boot.dismiss()
    if smoke or app is None:
        print(f"错误：{message}", file=sys.stderr)
    else:
        from PySide6.QtWidgets import QMessageBox  # noqa: PLC0415 - start-up: loaded only when used
        QMessageBox.critical(None, "助学台账", message)
    return 2


def run_gui(argv: list[str] | None = None) -> int:
    args, qt_args = parse_args(list(sys.argv[1:] if argv is None else argv))
    smoke = args.smoke_test
    if smoke and not os.environ.get("QT_QPA_PLATFORM") and sys.platform != "win32" \
            and not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"

    from desktop import boot  # noqa: PLC0415 - start-up: Qt only, a window is painted before the imports below
    app = boot.start(qt_args, args.db, smoke, sys.argv[0] if sys.argv else "zhuxue")
    if args.exit_after_first_paint:
        return 0

    from db import logs  # noqa: PLC0415 - start-up: loaded only when used
    from db.engine import default_db_path  # noqa: PLC0415 - start-up: loaded only when used
    from db.errors import LedgerError  # noqa: PLC0415 - start-up: loaded only when used
    from db.failures import file_problem  # noqa: PLC0415 - start-up: loaded only when used

    path = (Path(args.db).expanduser() if args.db else default_db_path()).resolve()
    try:
        lock = acquire_lock(path)
        logs.setup(path.parent)
    except LedgerError as e:
        return _fail(str(e), smoke, app)
    except OSError as e:
        return _fail(f"无法使用数据库文件夹 {path.parent}：{file_problem(e)}", smoke, app)
    if lock is None:
        return _fail(f"{ALREADY_OPEN}：{path}", smoke, app)
    try:
        return _session(app, path, smoke)
    finally:
        lock.release()


def _session(app, path: Path, smoke: bool) -> int:
    """Log in (an encrypted ledger), open, make the first administrator (a ledger without users), run
    the window, and again after a restore."""
    from desktop import access  # noqa: PLC0415 - start-up: loaded only when used
    from desktop.backups import open_or_recover, restore_and_record  # noqa: PLC0415 - start-up: loaded only when used
    signed = None if smoke else access.sign_in(path, _settings())
    if isinstance(signed, int):
        return signed
    database = open_or_recover(path, smoke, key=signed.key if signed else None)
    if not smoke and signed is None and not isinstance(database, int):
        database, signed = access.first_start_if_needed(path, database)
    while database is not None and not isinstance(database, int):
        outcome = {"code": 0, "restore": None, "actor": None}
        try:
            code = _run_window(app, database, smoke, outcome, signed)
        finally:
            database.dispose()
        if outcome["restore"] is None:
            return code
        database = restore_and_record(path, outcome["restore"], database.key, outcome["actor"])
    return database if isinstance(database, int) else 0


def _settings():
    from PySide6.QtCore import QSettings  # noqa: PLC0415 - start-up: loaded only when used
    return QSettings()


def _run_window(app, database, smoke: bool, outcome: dict, signed=None) -> int:
    from PySide6.QtCore import QSettings, QTemporaryDir, QTimer  # noqa: PLC0415 - start-up: loaded only when used

    from db.context import Actor  # noqa: PLC0415 - start-up: loaded only when used
    from desktop import boot  # noqa: PLC0415 - start-up: loaded only when used
    from desktop.backups import BackupController  # noqa: PLC0415 - start-up: loaded only when used
    from desktop.context import AppContext  # noqa: PLC0415 - start-up: loaded only when used
    from desktop.main_window import MainWindow  # noqa: PLC0415 - start-up: loaded only when used

    tmp = QTemporaryDir() if smoke else None
    settings = QSettings(os.path.join(tmp.path(), "smoke.ini"), QSettings.Format.IniFormat) if smoke \
        else QSettings()
    ctx = AppContext.build(database)
    info = ctx.school.get()
    if signed is not None:                         # the logged-in user acts (desktop.access)
        from desktop.access import start_session  # noqa: PLC0415 - start-up: loaded only when used
        if not start_session(ctx, database, signed):
            return 2
        outcome["actor"] = ctx.ctx.actor
    elif info and info.officer:
        ctx.ctx.set_actor(Actor(info.officer))     # a ledger without users: the officer named at first start
    window = MainWindow(ctx, settings)
    backups = None if smoke else BackupController(window, outcome)
    if not smoke:
        from desktop.access import AccessController  # noqa: PLC0415 - start-up: loaded only when used
        window.access = AccessController(window, signed)

    if smoke:
        _smoke(app, window, outcome)
    else:
        _install_excepthook(smoke=False, app=app, outcome=outcome)
        if ctx.school.get() is None:
            QTimer.singleShot(0, lambda: first_run(window))
    if settings.value("window/geometry") is None:
        # first start: use the whole (often 1366×768) screen, even where no window manager maximises
        window.setGeometry(app.primaryScreen().availableGeometry())
        window.showMaximized()
    else:
        window.show()
    boot.finish(window)
    window.start()
    if backups is not None:
        backups.start()
    code = app.exec()
    school = ctx.school.get()
    boot.remember_school(settings, school.name if school else "")    # for the next start's splash
    ctx.tasks.wait()
    if backups is not None:
        backups.at_close()
    return outcome["code"] or code


def _smoke(app, window, outcome: dict) -> None:
    """Exit 0 once the student list is loaded; 1 on any error or after SMOKE_TIMEOUT_MS — never hang."""
    from PySide6.QtCore import QTimer  # noqa: PLC0415 - start-up: loaded only when used

    from desktop import boot, errors  # noqa: PLC0415 - start-up: loaded only when used
    from desktop.pages.students import StudentsPage  # noqa: PLC0415 - start-up: loaded only when used
    page = window.page_of(StudentsPage)
    window.nav.setCurrentRow(window.index_of(StudentsPage))   # it shows the student list, as it says

    def done(n: int) -> None:
        missing = boot.resource_problems()       # a frozen build must carry every resource
        print(f"错误：缺少{'、'.join(missing)}" if missing else f"smoke-test ok: {n} students",
              file=sys.stderr if missing else sys.stdout, flush=True)
        outcome["code"] = 1 if missing else 0
        window.close()
        app.exit(outcome["code"])

    def failed(message: str = "冒烟测试超时，学生名册没有载入") -> None:
        print(f"错误：{message}", file=sys.stderr, flush=True)
        outcome["code"] = 1
        app.exit(1)
    page.countLoaded.connect(done)
    errors.set_unattended(failed)
    QTimer.singleShot(SMOKE_TIMEOUT_MS, failed)
    _install_excepthook(smoke=True, app=app, outcome=outcome)


def first_run(window) -> None:
    """Ask for the school's details; offer demonstration data, loaded as a background task."""
    from db.changes import Changes  # noqa: PLC0415 - start-up: loaded only when used
    from db.context import Actor  # noqa: PLC0415 - start-up: loaded only when used
    from db.demo import fill_demo  # noqa: PLC0415 - start-up: loaded only when used
    from desktop.dialogs.first_run import FirstRunDialog  # noqa: PLC0415 - start-up: loaded only when used
    from desktop.errors import show_error  # noqa: PLC0415 - start-up: loaded only when used

    ctx = window.ctx
    dlg = FirstRunDialog(ctx, window)
    if not dlg.exec():
        return
    info = ctx.school.get()
    if info and info.officer and not ctx.ctx.actor.role:    # a logged-in user stays the actor
        ctx.ctx.set_actor(Actor(info.officer))      # every later change is recorded under this name
    window.broadcast(Changes(frozenset({"school"})))
    if not dlg.load_demo:
        return
    n = dlg.demo_students
    ctx.tasks.run(lambda progress, _cancelled: fill_demo(ctx.ctx, n, progress=progress, ledgers=True),
                  parent=window, title="正在生成演示数据……", cancellable=False,
                  on_done=lambda _n: window.broadcast(Changes(frozenset({"student", "household"}))),
                  on_error=lambda e: show_error(window, e, "生成演示数据"))


def _install_excepthook(*, smoke: bool, app, outcome: dict) -> None:
    """An exception nobody caught: its traceback to the log (masked), a plain message to the user."""
    def hook(exc_type, exc, tb):
        from db import failures  # noqa: PLC0415 - start-up: loaded only when used
        if smoke:
            print(f"错误：{failures.report(exc, '冒烟测试')}", file=sys.stderr)   # the traceback to the log only
            outcome["code"] = 1
            app.exit(1)
            return
        from desktop.errors import show_error  # noqa: PLC0415 - start-up: loaded only when used
        show_error(None, exc, "操作")
    sys.excepthook = hook
