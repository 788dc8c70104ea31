"""The background sender of the carrier's outbound queue (like ``ui/sync_worker.py``, timer-driven).

One pass = four hops, none on the UI thread and none waiting on the carrier on the DB worker:

1. DB worker: :meth:`ProvisioningService.due` (queued requests whose time came, sent ones to poll);
2. carrier worker (``posapp-carrier``, never the card terminal's device worker): ``send`` each, ``poll`` the rest;
3. DB worker: ``record_sent`` each outcome, ``record_answers`` (events are published after each commit, and the
   bridge turns them into ``line_status_changed`` / ``esim_code_ready``);
4. carrier worker: ``notify`` (the customers' texts, after the commit).

Offline, the sends fail, the requests stay queued with a RETRY event and a reason (shown as pending) and the
queue's own backoff decides when they are due again. A pass runs every ``interval_s`` and at once on
:meth:`send_now` (the app calls it when a sale queues a request).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from PySide6.QtCore import QObject, QTimer, Signal

from posapp.services.activation.queue import ProvisioningService
from posapp.services.activation.work import Due, PassReport, PollOutcome, Recorded, SendOutcome, SendWork
from ui.worker import DbWorker

log = logging.getLogger(__name__)

DEFAULT_INTERVAL_S = 5.0


@dataclass(frozen=True)
class _Carried:
    sent: tuple[tuple[SendWork, SendOutcome], ...]
    polled: PollOutcome


class ProvisioningWorker(QObject):
    started = Signal()
    finished = Signal(object)  # PassReport
    failed = Signal(object)  # the exception of a step that broke (the next pass tries again)

    def __init__(self, *, queue: ProvisioningService, db_worker: DbWorker, carrier_worker: DbWorker,
                 interval_s: float = DEFAULT_INTERVAL_S, parent: QObject | None = None) -> None:
        super().__init__(parent)
        if interval_s <= 0:
            raise ValueError("the provisioning interval must be positive")
        self._queue = queue
        self._db = db_worker
        self._carrier = carrier_worker
        self._timer = QTimer(self)
        self._timer.setInterval(int(interval_s * 1000))
        self._timer.timeout.connect(self.send_now)
        self._busy = False
        self._again = False
        self._stopped = True
        self.passes = 0

    @property
    def running(self) -> bool:
        return not self._stopped

    @property
    def busy(self) -> bool:
        return self._busy

    def start(self, *, first_delay_s: float = 0.0) -> None:
        if not self._stopped:
            return
        self._stopped = False
        self._timer.start()
        QTimer.singleShot(int(first_delay_s * 1000), self.send_now)

    def stop(self) -> None:
        self._stopped = True
        self._timer.stop()

    def wake(self) -> None:
        """Something else queued a request (a sale completed): a pass now unless one is running (the pass's own
        writes also announce themselves; they must not start pass after pass)."""
        if not self._busy:
            self.send_now()

    def send_now(self) -> None:
        """Start a pass now, or right after the one in progress."""
        if self._stopped:
            return
        if self._busy:
            self._again = True
            return
        self._busy = True
        self.started.emit()
        self._db.run(self._queue.due, self._carry, self._failed, owner=self)

    # -- the hops (callbacks on the UI thread; the work itself on the workers) --------------------------------
    def _carry(self, due: Due) -> None:
        if self._stopped:
            return self._end()
        queue = self._queue

        def carry() -> _Carried:
            sent = tuple((work, queue.send(work)) for work in due.send)
            return _Carried(sent=sent, polled=queue.poll(due.poll))

        self._carrier.run(carry, self._record, self._failed, owner=self)
        return None

    def _record(self, carried: _Carried) -> None:
        if self._stopped:
            return self._end()
        queue = self._queue

        def record() -> tuple[Recorded, PassReport]:
            for work, outcome in carried.sent:
                queue.record_sent(work, outcome)
            recorded = queue.record_answers(carried.polled.answers)
            queued, awaiting = queue.counts()
            return recorded, _report(carried, recorded, queued, awaiting, queue.max_attempts)

        self._db.run(record, self._notify, self._failed, owner=self)
        return None

    def _notify(self, result: tuple[Recorded, PassReport]) -> None:
        recorded, report = result
        if recorded.notices and not self._stopped:
            notices = recorded.notices
            self._carrier.run(lambda: self._queue.notify(notices), None, self._log_only, owner=self)
        self.passes += 1
        self.finished.emit(report)
        self._end()

    def _failed(self, exc: BaseException) -> None:
        log.warning("provisioning pass failed: %s", type(exc).__name__)
        self.failed.emit(exc)
        self._end()

    @staticmethod
    def _log_only(exc: BaseException) -> None:
        log.warning("activation texts not sent: %s", type(exc).__name__)

    def _end(self) -> None:
        self._busy = False
        if self._again and not self._stopped:
            self._again = False
            QTimer.singleShot(0, self.send_now)


def _report(carried: _Carried, recorded: Recorded, queued: int, awaiting: int, max_attempts: int) -> PassReport:
    acked = [o.ack for _, o in carried.sent if o.ack is not None]
    failed = [w for w, o in carried.sent if o.ack is None]
    offline = carried.polled.error is not None or len(failed) > 0
    return PassReport(sent=len(acked), duplicates=sum(a.duplicate for a in acked),
                      retried=sum(w.attempts + 1 < max_attempts for w in failed),
                      dead=sum(w.attempts + 1 >= max_attempts for w in failed), answered=len(recorded.changes),
                      offline=offline, queued=queued, awaiting=awaiting)
