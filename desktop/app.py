"""Start the desktop app: QApplication in zh_CN, one instance per database, first-run setup."""
from __future__ import annotations

import argparse
import os
import sys
import traceback
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
    return db_path.with_name(db_path.name + ".lock")


def acquire_lock(db_path: Path):
    """A QLockFile next to the database; None when another live process holds it."""
    from PySide6.QtCore import QLockFile  # noqa: PLC0415 - start-up: loaded only when used
    db_path.parent.mkdir(parents=True, exist_ok=True)
    lock = QLockFile(str(lock_path(db_path)))
    lock.setStaleLockTime(0)          # held for the whole session: never stale by age, only if its process died
    return lock if lock.tryLock(0) else None


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
    from db.engine import default_db_path, open_database  # noqa: PLC0415 - start-up: loaded only when used
    from db.errors import LedgerError  # noqa: PLC0415 - start-up: loaded only when used

    path = Path(args.db).expanduser() if args.db else default_db_path()
    try:
        logs.setup(path.resolve().parent)
        lock = acquire_lock(path.resolve())
    except OSError as e:
        return _fail(f"无法使用数据库文件夹 {path.parent}：{e.strerror or e}", smoke, app)
    if lock is None:
        return _fail(f"{ALREADY_OPEN}：{path}", smoke, app)
    try:
        try:
            database = open_database(path)
        except LedgerError as e:
            return _fail(str(e), smoke, app)
        except OSError as e:
            return _fail(f"无法打开数据库 {path}：{e.strerror or e}", smoke, app)
        try:
            return _run_window(app, database, smoke)
        finally:
            database.dispose()
    finally:
        lock.unlock()


def _run_window(app, database, smoke: bool) -> int:
    from PySide6.QtCore import QSettings, QTemporaryDir, QTimer  # noqa: PLC0415 - start-up: loaded only when used

    from db.context import Actor  # noqa: PLC0415 - start-up: loaded only when used
    from desktop import boot  # noqa: PLC0415 - start-up: loaded only when used
    from desktop.context import AppContext  # noqa: PLC0415 - start-up: loaded only when used
    from desktop.main_window import MainWindow  # noqa: PLC0415 - start-up: loaded only when used

    tmp = QTemporaryDir() if smoke else None
    settings = QSettings(os.path.join(tmp.path(), "smoke.ini"), QSettings.Format.IniFormat) if smoke \
        else QSettings()
    ctx = AppContext.build(database)
    info = ctx.school.get()
    if info and info.officer:
        ctx.ctx.set_actor(Actor(info.officer))     # until logins exist, the officer named at first start
    window = MainWindow(ctx, settings)
    outcome = {"code": 0}

    if smoke:
        from desktop.pages.students import StudentsPage  # noqa: PLC0415 - start-up: loaded only when used
        page = window.page_of(StudentsPage)
        window.nav.setCurrentRow(window.page_classes.index(StudentsPage))   # it shows the student list, as it says

        def done(n: int) -> None:
            missing = boot.resource_problems()       # a frozen build must carry every resource
            print(f"错误：缺少{'、'.join(missing)}" if missing else f"smoke-test ok: {n} students",
                  file=sys.stderr if missing else sys.stdout, flush=True)
            outcome["code"] = 1 if missing else 0
            window.close()
            app.exit(outcome["code"])

        def failed() -> None:
            print("错误：冒烟测试超时，学生名册没有载入", file=sys.stderr)
            outcome["code"] = 1
            app.exit(1)
        page.countLoaded.connect(done)
        QTimer.singleShot(SMOKE_TIMEOUT_MS, failed)
        _install_excepthook(smoke=True, app=app, outcome=outcome)
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
    code = app.exec()
    school = ctx.school.get()
    boot.remember_school(settings, school.name if school else "")    # for the next start's splash
    ctx.tasks.wait()
    return outcome["code"] or code


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
    if info and info.officer:
        ctx.ctx.set_actor(Actor(info.officer))      # every later change is recorded under this name
    window.broadcast(Changes(frozenset({"school"})))
    if not dlg.load_demo:
        return
    n = dlg.demo_students
    ctx.tasks.run(lambda progress, _cancelled: fill_demo(ctx.ctx, n, progress=progress),
                  parent=window, title="正在生成演示数据……", cancellable=False,
                  on_done=lambda _n: window.broadcast(Changes(frozenset({"student", "household"}))),
                  on_error=lambda e: show_error(window, e, "生成演示数据"))


def _install_excepthook(*, smoke: bool, app, outcome: dict) -> None:
    """An exception nobody caught: its traceback to the log (masked), a plain message to the user."""
    def hook(exc_type, exc, tb):
        from db import logs  # noqa: PLC0415 - start-up: loaded only when used
        if smoke:
            print(logs.mask_text("".join(traceback.format_exception(exc_type, exc, tb))), file=sys.stderr)
            outcome["code"] = 1
            app.exit(1)
            return
        from desktop import boot  # noqa: PLC0415 - start-up: loaded only when used
        from desktop.errors import show_error  # noqa: PLC0415 - start-up: loaded only when used
        boot.dismiss()
        show_error(None, exc, "操作")
    sys.excepthook = hook
