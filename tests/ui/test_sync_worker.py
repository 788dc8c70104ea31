"""The background sync worker: its own thread, interval, on-demand runs, backoff after failures."""

from __future__ import annotations

import random
import threading

import pytest
from pytestqt.qtbot import QtBot

from ui.sync_worker import MAX_BACKOFF_S, SyncWorker, next_delay


def test_delay_is_the_interval_after_success() -> None:
    assert next_delay(30, 0) == 30


def test_delay_doubles_per_failure_within_jitter_and_is_capped() -> None:
    rng = random.Random(1)
    for failures in range(1, 6):
        d = next_delay(10, failures, rng=rng)
        assert 0.8 * 10 * 2**failures <= d <= 1.2 * 10 * 2**failures
    assert next_delay(10, 50, rng=rng) <= MAX_BACKOFF_S


def test_interval_must_be_positive() -> None:
    with pytest.raises(ValueError):
        SyncWorker(lambda: None, interval_s=0)


def test_runs_off_the_ui_thread_and_reports(qtbot: QtBot) -> None:
    threads: list[threading.Thread] = []

    def run() -> str:
        threads.append(threading.current_thread())
        return "report"

    worker = SyncWorker(run, interval_s=60)
    with qtbot.waitSignal(worker.finished, timeout=5000) as blocker:
        worker.start()
    assert blocker.args == ["report"]
    assert threads and threads[0] is not threading.main_thread()
    assert worker.stop()


def test_sync_now_runs_again_before_the_interval(qtbot: QtBot) -> None:
    calls: list[int] = []
    worker = SyncWorker(lambda: calls.append(1) or len(calls), interval_s=3600)
    with qtbot.waitSignal(worker.finished, timeout=5000):
        worker.start()
    with qtbot.waitSignal(worker.finished, timeout=5000) as blocker:
        worker.sync_now()
    assert blocker.args == [2]
    assert worker.stop()


def test_a_failure_is_reported_and_backs_off_then_recovers(qtbot: QtBot) -> None:
    outcomes = [RuntimeError("central down"), RuntimeError("still down"), "ok"]

    def run() -> str:
        item = outcomes.pop(0)
        if isinstance(item, Exception):
            raise item
        return item

    worker = SyncWorker(run, interval_s=0.01, rng=random.Random(0))
    delays: list[float] = []
    worker.next_run_in.connect(delays.append)
    errors: list[object] = []
    worker.failed.connect(errors.append)
    with qtbot.waitSignal(worker.finished, timeout=5000) as blocker:
        worker.start()
    assert blocker.args == ["ok"]
    assert [str(e) for e in errors] == ["central down", "still down"]
    assert delays[0] < delays[1]  # the wait grew after the second failure in a row
    assert worker.failures == 0
    assert worker.stop()


def test_stop_ends_the_thread_without_another_run(qtbot: QtBot) -> None:
    calls: list[int] = []
    worker = SyncWorker(lambda: calls.append(1), interval_s=3600)
    with qtbot.waitSignal(worker.finished, timeout=5000):
        worker.start()
    assert worker.stop()
    assert not worker.running
    assert calls == [1]
