from __future__ import annotations

import threading

import shiboken6
from PySide6.QtWidgets import QPushButton, QWidget

from desktop.tasks import TaskRunner


def test_query_result_comes_back_in_gui_thread(qtbot):
    runner = TaskRunner()
    got = []
    main = threading.get_ident()
    runner.query(lambda: threading.get_ident(), lambda r: got.append((r, threading.get_ident())))
    qtbot.waitUntil(lambda: bool(got), timeout=5000)
    worker, where = got[0]
    assert worker != main and where == main


def test_errors_are_handed_back(qtbot):
    runner = TaskRunner()
    errors = []
    runner.query(lambda: 1 / 0, lambda r: None, errors.append)
    qtbot.waitUntil(lambda: bool(errors), timeout=5000)
    assert isinstance(errors[0], ZeroDivisionError)


def test_long_task_reports_progress_and_can_be_cancelled(qtbot):
    runner = TaskRunner()
    parent = QWidget()
    qtbot.addWidget(parent)
    started = threading.Event()
    steps = []

    def work(progress, cancelled):
        progress(1, 10)
        started.set()
        n = 0
        while not cancelled():
            n += 1
            threading.Event().wait(0.001)
        return n
    results = []
    task = runner.run(work, parent=parent, title="测试", on_done=results.append)
    task.dialog.canceled.connect(lambda: steps.append("cancel"))
    qtbot.waitUntil(lambda: task.dialog.maximum() == 10, timeout=5000)   # progress arrived
    assert task.dialog.value() == 1
    button = task.dialog.findChild(QPushButton)
    assert button.text() == "取消"
    button.click()
    qtbot.waitUntil(lambda: bool(results), timeout=5000)
    assert task.finished and steps == ["cancel"] and task.cancel_event.is_set()


def test_progress_dialog_shows_only_for_slow_tasks(qtbot):
    runner = TaskRunner()
    parent = QWidget()
    qtbot.addWidget(parent)
    release = threading.Event()
    results = []
    task = runner.run(lambda p, c: release.wait(10), parent=parent, title="慢", on_done=results.append)
    assert not task.dialog.isVisible()
    qtbot.waitUntil(task.dialog.isVisible, timeout=5000)
    release.set()
    qtbot.waitUntil(lambda: bool(results), timeout=5000)
    assert task.finished


def test_no_progress_window_after_a_quick_task_even_under_a_result_box(qtbot):
    """issue 10 item 11: the 请稍候 window appeared ~4 s after a task had finished, over the result box
    (QProgressDialog's own show timer was never stopped; deleteLater waits for the outer loop)."""
    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtWidgets import QProgressDialog
    runner = TaskRunner()
    parent = QWidget()
    qtbot.addWidget(parent)
    parent.show()
    seen = []

    def result_box(_r):                     # like QMessageBox.exec(): a nested event loop of 4.5 s
        loop = QEventLoop()
        QTimer.singleShot(4500, loop.quit)
        loop.exec()
        seen.extend(d for d in parent.findChildren(QProgressDialog) if d.isVisible())
        seen.append("done")
    task = runner.run(lambda p, c: 1, parent=parent, title="快", on_done=result_box)
    assert not [t for t in task.dialog.findChildren(QTimer) if t.isActive()]
    qtbot.waitUntil(lambda: "done" in seen, timeout=10000)
    assert seen == ["done"]


def test_a_result_for_a_deleted_widget_is_dropped(qtbot):
    runner = TaskRunner()
    gate = threading.Event()
    page, kept = QWidget(), QWidget()
    qtbot.addWidget(kept)
    got = []
    runner.query(lambda: gate.wait(5) and 1, lambda r: got.append(("page", r)), owner=page)
    runner.query(lambda: gate.wait(5) and 2, lambda r: got.append(("kept", r)), owner=kept)
    shiboken6.delete(page)                 # the window closed while the page was still reading
    gate.set()
    runner.wait()
    assert got == [("kept", 2)]
