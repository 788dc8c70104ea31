"""The background sync worker: runs a sync every N seconds and on demand, on its own thread (guide §4).

The counter never waits on the network: a sync run (push, pull, convergence check) happens on a dedicated
thread, separate from the DB worker, so a slow or unreachable central store costs the rep nothing. When a run
fails the next one waits longer (exponential backoff with jitter, capped), and a run asked for on demand starts at
once. Results come back to the UI thread by queued signals.
"""

from __future__ import annotations

import logging
import random
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal

log = logging.getLogger(__name__)

MAX_BACKOFF_S = 300.0


def next_delay(interval_s: float, failures: int, *, rng: random.Random | None = None,
               cap_s: float = MAX_BACKOFF_S) -> float:
    """Seconds until the next run: the interval after a success, doubling per failure (±20 % jitter), capped."""
    if failures <= 0:
        return interval_s
    base = min(cap_s, interval_s * (2 ** min(failures, 16)))
    jitter = (rng or random).uniform(0.8, 1.2)
    return float(min(cap_s, base * jitter))


class SyncWorker(QObject):
    """Calls ``run()`` on a private thread every ``interval_s`` seconds, sooner with :meth:`sync_now`.

    ``run`` is the sync facade's "one run" call; whatever it returns is emitted with :attr:`finished`, an exception
    with :attr:`failed` (and the backoff grows). :meth:`stop` ends the thread after the run in progress.
    """

    started = Signal()
    finished = Signal(object)   # the run's report
    failed = Signal(object)     # the exception
    next_run_in = Signal(float)  # seconds until the next scheduled run

    def __init__(self, run: Callable[[], Any], *, interval_s: float, parent: QObject | None = None,
                 rng: random.Random | None = None) -> None:
        super().__init__(parent)
        if interval_s <= 0:
            raise ValueError("the sync interval must be positive")
        self._run = run
        self._interval = float(interval_s)
        self._rng = rng or random.Random()
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.failures = 0
        self.runs = 0

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self, *, first_delay_s: float = 0.0) -> None:
        if self.running:
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._loop, args=(first_delay_s,), name="posapp-sync", daemon=True)
        self._thread.start()

    def sync_now(self) -> None:
        """Start a run as soon as the one in progress (if any) is over; resets the backoff wait."""
        self._wake.set()

    def set_interval(self, interval_s: float) -> None:
        if interval_s <= 0:
            raise ValueError("the sync interval must be positive")
        self._interval = float(interval_s)
        self._wake.set()

    def stop(self, *, timeout_s: float = 10.0) -> bool:
        """Ask the thread to end and wait for it; False if a run was still going after ``timeout_s``."""
        self._stop.set()
        self._wake.set()
        if self._thread is None:
            return True
        self._thread.join(timeout_s)
        alive = self._thread.is_alive()
        if not alive:
            self._thread = None
        return not alive

    def _loop(self, first_delay_s: float) -> None:
        delay = first_delay_s
        while not self._stop.is_set():
            if delay > 0:
                self._wake.wait(delay)
            self._wake.clear()
            if self._stop.is_set():
                break
            self.started.emit()
            try:
                report = self._run()
            except Exception as exc:  # a failed run is reported and retried later, never kills the thread
                self.failures += 1
                log.info("sync run failed (%s failures in a row): %s", self.failures, type(exc).__name__)
                self.failed.emit(exc)
            else:
                self.failures = 0
                self.finished.emit(report)
            self.runs += 1
            delay = next_delay(self._interval, self.failures, rng=self._rng)
            self.next_run_in.emit(delay)
