"""Long work off the window's thread, with a progress box that appears only if the work takes a while.

Workers never touch widgets: they return a value or raise, and the caller gets that back here.
"""
from __future__ import annotations

from typing import Any, Callable

from PySide6.QtCore import QEventLoop, QObject, QThread, QTimer, Qt, Signal
from PySide6.QtWidgets import QProgressDialog, QPushButton, QWidget

SHOW_AFTER_MS = 600  # quick work finishes without a flash of a progress box (as Anki does)


class _Job(QThread):
    def __init__(self, fn: Callable[[], Any]):
        super().__init__()
        self.fn = fn
        self.result: Any = None
        self.error: BaseException | None = None

    def run(self) -> None:  # runs in the worker thread
        try:
            self.result = self.fn()
        except BaseException as exc:  # handed back to the caller's thread
            self.error = exc


def run_with_progress(parent: QWidget | None, message: str, fn: Callable[[], Any]) -> Any:
    """Run fn() in a worker thread while the window stays responsive; return its result or raise its error."""
    job = _Job(fn)
    loop = QEventLoop()
    job.finished.connect(loop.quit)
    box = QProgressDialog(message, "", 0, 0, parent)
    box.setWindowTitle("BVTE")
    box.setCancelButton(None)
    box.setWindowModality(Qt.WindowModal)
    box.setMinimumDuration(SHOW_AFTER_MS)
    box.setValue(0)
    job.start()
    QTimer.singleShot(SHOW_AFTER_MS, lambda: box.show() if job.isRunning() else None)
    if job.isRunning():
        loop.exec()
    job.wait()
    box.close()
    box.deleteLater()
    if job.error is not None:
        raise job.error
    return job.result


_RUNNING: set[_Job] = set()  # jobs live here until they end: Qt must never destroy a running thread


def start_in_background(owner: QWidget, fn: Callable[[], Any],
                        on_done: Callable[[Any, BaseException | None], None]) -> _Job:
    """Run fn() in a worker thread without blocking; on_done(result, error) runs on the window's thread,
    unless `owner` is gone by then."""
    job = _Job(fn)
    _RUNNING.add(job)
    alive = [True]
    owner.destroyed.connect(lambda *_: alive.__setitem__(0, False))

    def finished() -> None:
        _RUNNING.discard(job)
        if alive[0]:
            on_done(job.result, job.error)

    job.finished.connect(finished)
    job.start()
    return job


def wait_for_background_jobs(timeout_ms: int = 30_000) -> None:
    """Before the database is closed (window closing, program quitting): let running jobs end."""
    for job in list(_RUNNING):
        job.wait(timeout_ms)


class Cancelled(Exception):
    """The user clicked "Huỷ" in a progress box; the work stopped and left nothing half-done."""


class _Bridge(QObject):
    moved = Signal(int, str)


def run_cancellable(parent: QWidget | None, message: str, fn: Callable[[Callable[[float, str], None]], Any], *,
                    cancel_until: float = 1.0) -> Any:
    """Like run_with_progress, for long work that reports how far it is: fn(progress) calls
    progress(fraction, words); the box shows the percentage and a "Huỷ" button. A click on "Huỷ" makes the
    next progress() call raise Cancelled inside the work, which then undoes what it started (the models'
    long operations clean up on any exception) and Cancelled is raised here. From `cancel_until` on (the point
    where the work replaces data), "Huỷ" is disabled: the work finishes."""
    box = QProgressDialog(message, "Huỷ", 0, 100, parent)
    box.setWindowTitle("BVTE")
    box.setWindowModality(Qt.WindowModal)
    box.setAutoClose(False)
    box.setAutoReset(False)
    box.setMinimumDuration(SHOW_AFTER_MS)
    box.setValue(0)
    state = {"cancel": False, "locked": False}
    bridge = _Bridge()

    def moved(percent: int, words: str) -> None:
        if box.wasCanceled():
            state["cancel"] = True
            return
        box.setValue(percent)
        if words:
            box.setLabelText(f"{message}\n{words}")
        if state["locked"] and box.findChild(QPushButton) is not None:
            box.findChild(QPushButton).setEnabled(False)

    bridge.moved.connect(moved, Qt.QueuedConnection)
    box.canceled.connect(lambda: state.__setitem__("cancel", True))

    def progress(fraction: float, words: str = "") -> None:  # runs in the worker thread
        if fraction >= cancel_until:
            state["locked"] = True
        elif state["cancel"]:
            raise Cancelled()
        bridge.moved.emit(int(max(0.0, min(1.0, fraction)) * 100), words)

    job = _Job(lambda: fn(progress))
    loop = QEventLoop()
    job.finished.connect(loop.quit)
    job.start()
    QTimer.singleShot(SHOW_AFTER_MS, lambda: box.show() if job.isRunning() else None)
    if job.isRunning():
        loop.exec()
    job.wait()
    box.canceled.disconnect()  # closing the box emits "canceled": not the user's click
    box.close()
    box.deleteLater()
    if job.error is not None:
        raise job.error  # Cancelled when the user clicked "Huỷ", else the work's own error
    return job.result
