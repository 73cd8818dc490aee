"""Background work on QThreadPool (Anki's QueryOp / CollectionOp pattern).

- `TaskRunner.query(fn, on_done, on_error)`: a short read on the shared pool; the result comes back
  to the GUI thread by signal.
- `TaskRunner.run(fn, ...)`: long work; `fn(progress, cancelled)` gets two plain callables, so the
  services it calls stay Qt-free. A QProgressDialog with 取消 appears after ~0.5 s. Writes go through a
  one-thread pool: one at a time.
"""
from __future__ import annotations

import threading
import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, QRunnable, Qt, QThreadPool, QTimer, Signal, Slot
from PySide6.QtWidgets import QProgressDialog, QWidget
from shiboken6 import isValid

SHOW_AFTER_MS = 500


class _Job(QRunnable):
    """Runs `fn` on a pool thread and reports through the runner's signals. The job holds no
    QObject of its own: nothing is created or destroyed off the GUI thread."""

    def __init__(self, runner: TaskRunner, job_id: int, fn: Callable[[], Any]):
        super().__init__()
        self._runner, self._id, self._fn = runner, job_id, fn
        self.setAutoDelete(True)

    def run(self) -> None:
        try:
            result = self._fn()
        except BaseException as e:
            self._runner._failed.emit(self._id, e)
        else:
            self._runner._done.emit(self._id, result)


class TaskRunner(QObject):
    _done = Signal(int, object)
    _failed = Signal(int, object)
    _progressed = Signal(int, int, int)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.read_pool = QThreadPool(self)
        self.read_pool.setMaxThreadCount(2)
        self.write_pool = QThreadPool(self)
        self.write_pool.setMaxThreadCount(1)     # database writes, one at a time
        self._next = 0
        # job id -> (on_done, on_error, on_progress); touched only in the GUI thread
        self._callbacks: dict[int, tuple] = {}
        self._done.connect(self._on_done)
        self._failed.connect(self._on_failed)
        self._progressed.connect(self._on_progress)

    def _submit(self, pool: QThreadPool, fn, on_done, on_error, on_progress=None) -> int:
        self._next += 1
        job_id = self._next
        self._callbacks[job_id] = (on_done, on_error, on_progress)
        pool.start(_Job(self, job_id, fn))
        return job_id

    @Slot(int, object)
    def _on_done(self, job_id: int, result) -> None:
        on_done, _e, _p = self._callbacks.pop(job_id, (None, None, None))
        if on_done:
            on_done(result)

    @Slot(int, object)
    def _on_failed(self, job_id: int, exc) -> None:
        _d, on_error, _p = self._callbacks.pop(job_id, (None, None, None))
        if on_error:
            on_error(exc)
        else:
            traceback.print_exception(exc)

    @Slot(int, int, int)
    def _on_progress(self, job_id: int, done: int, total: int) -> None:
        cbs = self._callbacks.get(job_id)
        if cbs and cbs[2]:
            cbs[2](done, total)

    def query(self, fn: Callable[[], Any], on_done: Callable[[Any], None],
              on_error: Callable[[BaseException], None] | None = None, *, owner: QObject | None = None) -> int:
        """A short read on the read pool; `on_done(result)` runs in the GUI thread. `owner`: the widget
        the result is for — a result that lands after it was deleted (its window closed) is dropped."""
        if owner is not None:
            on_done, on_error = _while_alive(owner, on_done), _while_alive(owner, on_error)
        return self._submit(self.read_pool, fn, on_done, on_error)

    def run(self, fn: Callable[[Callable[[int, int], None], Callable[[], bool]], Any], *,
            parent: QWidget | None, title: str, on_done: Callable[[Any], None] | None = None,
            on_error: Callable[[BaseException], None] | None = None, write: bool = True,
            cancellable: bool = True) -> Task:
        """Long work: `fn(progress, cancelled)`; a progress dialog appears after SHOW_AFTER_MS."""
        task = Task(title, parent, cancellable)

        def done(result):
            task.close()
            if on_done:
                on_done(result)

        def failed(exc):
            task.close()
            if on_error:
                on_error(exc)
            else:
                traceback.print_exception(exc)
        self._next += 1
        job_id = self._next
        self._callbacks[job_id] = (done, failed, task.progress)
        emit = self._progressed.emit
        pool = self.write_pool if write else self.read_pool
        pool.start(_Job(self, job_id, lambda: fn(lambda d, t: emit(job_id, d, t), task.cancel_event.is_set)))
        return task

    def pending(self) -> int:
        return len(self._callbacks)

    def wait(self, msecs: int = 30000) -> bool:
        """Wait for the pools, then deliver the results still queued for the GUI thread."""
        ok = self.read_pool.waitForDone(msecs) and self.write_pool.waitForDone(msecs)
        QCoreApplication.sendPostedEvents(self)
        return ok


def _while_alive(owner: QObject, fn: Callable[[Any], None] | None) -> Callable[[Any], None] | None:
    if fn is None:
        return None

    def call(arg) -> None:
        if isValid(owner):
            fn(arg)
    return call


class Task(QObject):
    """The GUI side of a long task: its progress dialog and its cancel flag.

    A QProgressDialog starts a show timer of its own when it is made (4 s, whatever minimumDuration
    says later while its value is unset), and a dialog merely hidden and deleteLater()'d is still
    alive while a result box runs its own event loop: it used to pop up over the result of a task
    that had long finished. Its timers are stopped when it is made and again when the task ends;
    only our own timer shows it."""

    def __init__(self, title: str, parent: QWidget | None, cancellable: bool):
        super().__init__(parent)
        self.cancel_event = threading.Event()
        self.dialog = QProgressDialog(title, "取消" if cancellable else None, 0, 0, parent)
        self.dialog.setWindowTitle("请稍候")
        self.dialog.setWindowModality(Qt.WindowModality.WindowModal)
        self.dialog.setMinimumDuration(10**9)      # shown by our own timer, not Qt's estimate
        self.dialog.setAutoClose(False)
        self.dialog.setAutoReset(False)
        _stop_timers(self.dialog)
        self.dialog.canceled.connect(self.cancel)
        self.dialog.hide()
        self._closed = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._show)
        self._timer.start(SHOW_AFTER_MS)

    def _show(self) -> None:
        if not self._closed:
            self.dialog.show()

    def progress(self, done: int, total: int) -> None:
        if total > 0 and not self._closed:
            self.dialog.setMaximum(total)
            self.dialog.setValue(min(done, total))

    def cancel(self) -> None:
        self.cancel_event.set()
        if not self._closed:
            self.dialog.setLabelText("正在取消……")

    def close(self) -> None:
        self._closed = True
        self._timer.stop()
        _stop_timers(self.dialog)
        self.dialog.hide()
        self.dialog.deleteLater()

    @property
    def finished(self) -> bool:
        return self._closed


def _stop_timers(dialog: QProgressDialog) -> None:
    """QProgressDialog's own timers (its delayed show among them) must never fire for us."""
    for t in dialog.findChildren(QTimer):
        t.stop()
