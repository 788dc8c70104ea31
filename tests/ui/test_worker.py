"""The single DB worker: runs off the UI thread, calls back on it, one job at a time, in order."""

from __future__ import annotations

import sys
import threading

import pytest

from ui.worker import DbWorker


def test_runs_off_the_ui_thread_and_calls_back_on_it(qtbot, worker):
    ran_on: list[str] = []
    called_back_on: list[str] = []

    def job() -> int:
        ran_on.append(threading.current_thread().name)
        return 42

    with qtbot.waitSignal(worker.became_idle, timeout=5_000):
        worker.run(job, lambda result: called_back_on.append(f"{threading.current_thread().name}:{result}"))
    assert ran_on[0].startswith("posapp-db")
    assert called_back_on == [f"{threading.main_thread().name}:42"]


def test_one_thread_in_submission_order(qtbot, worker):
    order: list[int] = []
    threads: set[int] = set()

    def job(i: int) -> int:
        threads.add(threading.get_ident())
        return i

    with qtbot.waitSignal(worker.became_idle, timeout=5_000):
        for i in range(20):
            worker.run(lambda i=i: job(i), order.append)
    assert order == list(range(20))
    assert len(threads) == 1


def test_errors_go_to_on_error_or_the_unexpected_handler(qtbot, worker, unexpected):
    seen: list[BaseException] = []
    with qtbot.waitSignal(worker.became_idle, timeout=5_000):
        worker.run(lambda: 1 / 0, lambda _r: None, seen.append)
        worker.run(lambda: [][1])
    assert isinstance(seen[0], ZeroDivisionError)
    assert len(unexpected) == 1 and isinstance(unexpected[0], IndexError)
    unexpected.clear()


def test_busy_signals(qtbot, worker):
    gate = threading.Event()
    with qtbot.waitSignal(worker.became_busy):
        worker.run(gate.wait)
    assert worker.pending == 1
    with qtbot.waitSignal(worker.became_idle, timeout=5_000):
        gate.set()
    assert worker.pending == 0


def test_result_of_a_deleted_owner_is_dropped(qtbot, worker):
    from PySide6.QtWidgets import QWidget

    owner = QWidget()
    got: list[object] = []
    gate = threading.Event()
    worker.run(gate.wait, got.append, owner=owner)
    owner.deleteLater()
    qtbot.waitUntil(lambda: not __import__("shiboken6").isValid(owner))
    with qtbot.waitSignal(worker.became_idle, timeout=5_000):
        gate.set()
    assert got == []


def test_shutdown_finishes_queued_jobs_then_refuses_new_ones(qtbot):
    w = DbWorker()
    done = threading.Event()
    w.run(lambda: done.set())
    w.shutdown(wait=True)
    assert done.is_set()
    with pytest.raises(RuntimeError):
        w.run(lambda: None)


def test_the_emit_bug_work_around_is_in_place(qtbot, worker):
    """PySide6 6.12.0's emit() takes a reference from True (ui/qt_workarounds.py); a long day of emits must not
    bring the interpreter down."""
    from ui.qt_workarounds import PIN, emit_loses_true, pin_true

    assert pin_true() is emit_loses_true()
    if emit_loses_true():
        assert sys.getrefcount(True) > PIN // 2
    with qtbot.waitSignal(worker.became_idle, timeout=10_000):
        for _ in range(500):
            worker.run(lambda: True, lambda _r: None)
    assert sys.getrefcount(True) > 100


# -- the runner every view calls the services through (ui/runner.py) ----------------------------------------------

def _runner(qtbot, worker, device, shown):
    from PySide6.QtWidgets import QWidget

    from ui.runner import ServiceRunner

    owner = QWidget()
    qtbot.addWidget(owner)
    return ServiceRunner(worker=worker, device_worker=device, auth=None, actor=None, owner=owner,
                         show_error=shown.append)


def test_the_runner_waits_for_a_device_on_the_device_worker_while_the_db_worker_answers(qtbot, worker, unexpected):
    device = DbWorker(on_unexpected=unexpected.append, name="posapp-device")
    shown: list[str] = []
    runner = _runner(qtbot, worker, device, shown)
    release = threading.Event()
    threads: dict[str, str] = {}

    def slow_device() -> str:
        threads["device"] = threading.current_thread().name
        release.wait(10)
        return "card read"

    got: list[object] = []
    try:
        runner.device(slow_device, got.append)
        runner.call(lambda _ov: threads.setdefault("db", threading.current_thread().name), got.append, action="x")
        qtbot.waitUntil(lambda: len(got) == 1, timeout=5_000)  # the DB call answered while the device waits
        assert got[0].startswith("posapp-db") and runner.busy
        release.set()
        qtbot.waitUntil(lambda: len(got) == 2, timeout=5_000)
        assert got[1] == "card read" and threads["device"].startswith("posapp-device") and not runner.busy
    finally:
        release.set()
        device.shutdown(wait=True)


def test_the_runner_shows_a_pos_error_and_reports_anything_else(qtbot, worker, unexpected):
    from posapp.errors import PermissionDenied, ValidationError

    shown: list[str] = []
    runner = _runner(qtbot, worker, None, shown)

    def refuse(_ov):
        raise ValidationError("Only 12 cents remain to be paid.")

    def deny(_ov):
        raise PermissionDenied("You may not do that.")  # no permission named: nothing to override

    with qtbot.waitSignal(worker.became_idle, timeout=5_000):
        runner.call(refuse, lambda _r: None, action="Cash")
        runner.call(deny, lambda _r: None, action="Cash")
        runner.call(lambda _ov: 1 / 0, lambda _r: None, action="Cash")
    assert shown == ["Only 12 cents remain to be paid.", "You may not do that."]
    assert runner.override_dialog is None
    assert len(unexpected) == 1 and isinstance(unexpected[0], ZeroDivisionError)
    unexpected.clear()


def test_a_runner_without_auth_reports_a_refused_permission_instead_of_asking_a_manager(qtbot, worker, unexpected):
    """A view whose calls cannot be overridden (auth=None, e.g. the Lookup page's own calls) shows the refusal."""
    from posapp.errors import PermissionDenied

    shown: list[str] = []
    runner = _runner(qtbot, worker, None, shown)

    def deny(_ov):
        raise PermissionDenied("A manager must approve a refund.", permission="refund")

    with qtbot.waitSignal(worker.became_idle, timeout=5_000):
        runner.call(deny, lambda _r: None, action="Refund")
    assert shown == ["A manager must approve a refund."] and runner.override_dialog is None and not unexpected
