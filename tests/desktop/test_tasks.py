from __future__ import annotations

import threading

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
