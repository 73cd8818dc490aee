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

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, QTimer, Signal, Slot
from PySide6.QtWidgets import QProgressDialog, QWidget

SHOW_AFTER_MS = 500


class _Relay(QObject):
    """Lives in the GUI thread; the worker emits, the slots run in the GUI thread."""
    done = Signal(object)
    failed = Signal(object)
    progressed = Signal(int, int)

    def __init__(self, on_done, on_error, on_progress=None, parent=None):
        super().__init__(parent)
        self._on_done, self._on_error, self._on_progress = on_done, on_error, on_progress
        self.done.connect(self._done)
        self.failed.connect(self._failed)
        self.progressed.connect(self._progress)
        self.finished = False

    @Slot(object)
    def _done(self, result) -> None:
        self.finished = True
        try:
            if self._on_done:
                self._on_done(result)
        finally:
            self.deleteLater()

    @Slot(object)
    def _failed(self, exc) -> None:
        self.finished = True
        try:
            if self._on_error:
                self._on_error(exc)
            else:
                traceback.print_exception(exc)
        finally:
            self.deleteLater()

    @Slot(int, int)
    def _progress(self, done: int, total: int) -> None:
        if self._on_progress and not self.finished:
            self._on_progress(done, total)


class _Job(QRunnable):
    def __init__(self, fn: Callable[[], Any], relay: _Relay):
        super().__init__()
        self._fn, self._relay = fn, relay
        self.setAutoDelete(True)

    def run(self) -> None:
        try:
            result = self._fn()
        except BaseException as e:  # noqa: BLE001 - handed to the GUI thread
            self._relay.failed.emit(e)
        else:
            self._relay.done.emit(result)


class TaskRunner(QObject):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.read_pool = QThreadPool(self)
        self.read_pool.setMaxThreadCount(2)
        self.write_pool = QThreadPool(self)
        self.write_pool.setMaxThreadCount(1)     # database writes, one at a time

    def query(self, fn: Callable[[], Any], on_done: Callable[[Any], None],
              on_error: Callable[[BaseException], None] | None = None) -> None:
        relay = _Relay(on_done, on_error, parent=self)
        self.read_pool.start(_Job(fn, relay))

    def run(self, fn: Callable[[Callable[[int, int], None], Callable[[], bool]], Any], *,
            parent: QWidget | None, title: str, on_done: Callable[[Any], None] | None = None,
            on_error: Callable[[BaseException], None] | None = None, write: bool = True,
            cancellable: bool = True) -> Task:
        task = Task(title, parent, cancellable)
        relay = _Relay(lambda r: (task.close(), on_done and on_done(r)),
                       lambda e: (task.close(), on_error and on_error(e)), task.progress, parent=self)
        task.relay = relay
        pool = self.write_pool if write else self.read_pool
        pool.start(_Job(lambda: fn(relay.progressed.emit, task.cancel_event.is_set), relay))
        return task

    def wait(self, msecs: int = 30000) -> bool:
        return self.read_pool.waitForDone(msecs) and self.write_pool.waitForDone(msecs)


class Task(QObject):
    """The GUI side of a long task: its progress dialog and its cancel flag."""

    def __init__(self, title: str, parent: QWidget | None, cancellable: bool):
        super().__init__(parent)
        self.cancel_event = threading.Event()
        self.relay: _Relay | None = None
        self.dialog = QProgressDialog(title, "取消" if cancellable else None, 0, 0, parent)
        self.dialog.setWindowTitle("请稍候")
        self.dialog.setWindowModality(Qt.WindowModality.WindowModal)
        self.dialog.setMinimumDuration(10**9)      # shown by our own timer, not Qt's estimate
        self.dialog.setAutoClose(False)
        self.dialog.setAutoReset(False)
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
        if total > 0:
            self.dialog.setMaximum(total)
            self.dialog.setValue(min(done, total))

    def cancel(self) -> None:
        self.cancel_event.set()
        self.dialog.setLabelText("正在取消……")

    def close(self) -> None:
        self._closed = True
        self._timer.stop()
        self.dialog.hide()
        self.dialog.deleteLater()

    @property
    def finished(self) -> bool:
        return self._closed
