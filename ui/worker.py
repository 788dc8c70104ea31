"""The single DB worker: every service call from a view runs here, off the UI thread (Anki taskman style).

One thread (``ThreadPoolExecutor(max_workers=1)``) runs the operations in order; the result or the exception is
delivered back on the UI thread by a queued Qt signal, and the matching callback is called there.

The composition root makes two of them: the DB worker (``posapp-db``) for service calls, and the device worker
(``posapp-device``) for what waits on a device or a carrier (card terminal, cash drawer, SMS gateway,
provisioning). The DB worker never waits for a device: a device call's durable record is committed on the DB
worker first, the device is asked on the device worker, and the answer is recorded on the DB worker again.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import shiboken6
from PySide6.QtCore import QObject, Signal

if TYPE_CHECKING:
    from concurrent.futures import Future, ThreadPoolExecutor

log = logging.getLogger(__name__)

DoneCallback = Callable[[Any], object]
ErrorCallback = Callable[[BaseException], object]


@dataclass(frozen=True)
class _Job:
    fn: Callable[[], Any]
    on_done: DoneCallback | None
    on_error: ErrorCallback | None
    owner: QObject | None


@dataclass(frozen=True)
class _Outcome:
    job: _Job
    result: Any
    error: BaseException | None


class DbWorker(QObject):
    """Runs callables on one background thread and calls back on the UI thread.

    ``on_unexpected`` handles errors of jobs that gave no ``on_error`` (the composition root shows them with an
    error id). A job whose ``owner`` widget was deleted meanwhile is finished silently.
    """

    became_busy = Signal()
    became_idle = Signal()
    _job_finished = Signal(object)  # an _Outcome, queued to the UI thread

    def __init__(self, *, on_unexpected: ErrorCallback | None = None, name: str = "posapp-db",
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.name = name
        self._executor: ThreadPoolExecutor | None = None
        self._on_unexpected = on_unexpected
        self._pending = 0
        self._closed = False
        self._job_finished.connect(self._deliver)

    @property
    def pending(self) -> int:
        return self._pending

    def set_unexpected_handler(self, handler: ErrorCallback) -> None:
        self._on_unexpected = handler

    def report_unexpected(self, exc: BaseException) -> None:
        """Hand an error a view cannot explain to the app's unexpected-error handler (logged, error id shown)."""
        if self._on_unexpected is not None:
            self._on_unexpected(exc)
        else:
            log.error("unexpected error", exc_info=exc)

    def run(self, fn: Callable[[], Any], on_done: DoneCallback | None = None,
            on_error: ErrorCallback | None = None, *, owner: QObject | None = None) -> Future[Any]:
        """Queue ``fn``; ``on_done(result)`` or ``on_error(exc)`` is then called on the UI thread."""
        if self._closed:
            raise RuntimeError("the DB worker is shut down")
        if self._executor is None:
            from concurrent.futures import ThreadPoolExecutor

            self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix=self.name)
        job = _Job(fn, on_done, on_error, owner)
        self._pending += 1
        if self._pending == 1:
            self.became_busy.emit()
        return self._executor.submit(self._call, job)

    def _call(self, job: _Job) -> Any:
        try:
            result = job.fn()
        except BaseException as exc:  # delivered to the UI thread, never lost in the pool
            self._job_finished.emit(_Outcome(job, None, exc))
            raise
        self._job_finished.emit(_Outcome(job, result, None))
        return result

    def _deliver(self, outcome: _Outcome) -> None:
        job, result, exc = outcome.job, outcome.result, outcome.error
        self._pending -= 1
        if self._pending == 0:
            self.became_idle.emit()
        if job.owner is not None and not shiboken6.isValid(job.owner):
            log.debug("dropping the result of a job whose view is gone")
            return
        if exc is None:
            if job.on_done is not None:
                job.on_done(result)
        elif job.on_error is not None:
            job.on_error(exc)
        else:
            self.report_unexpected(exc)

    def shutdown(self, *, wait: bool = True) -> None:
        """Stop taking jobs; with ``wait`` block until every queued job (e.g. the sign-out audit) has run."""
        self._closed = True
        if self._executor is not None:
            self._executor.shutdown(wait=wait)
