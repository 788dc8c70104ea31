"""The status bar reads TerminalInfo through the worker and shows it as pills."""

from __future__ import annotations

import pytest

from posapp.services.dto import TerminalInfo
from ui.widgets.status_bar import StatusBarWidget


def info(*, online: bool, unsynced: int) -> TerminalInfo:
    return TerminalInfo(store_id="S042", store_name="Demo Wireless — Ballard", terminal_id="T03",
                        unsynced_changes=unsynced, online=online, central_label="central.example")


@pytest.fixture
def make_bar(qtbot, worker, employees):
    def make(terminal_info):
        bar = StatusBarWidget(actor=employees.manager, terminal_info=terminal_info, worker=worker)
        qtbot.addWidget(bar)
        return bar

    return make


def test_offline_is_said_honestly(qtbot, make_bar):
    bar = make_bar(lambda: info(online=False, unsynced=1234))
    bar.refresh()
    qtbot.waitUntil(lambda: bar.info is not None, timeout=5_000)
    assert bar.store_pill.text() == "Store S042"
    assert bar.terminal_pill.text() == "Terminal T03"
    assert bar.employee_pill.text() == "#2001 · Manager"
    assert bar.online_pill.text() == "Offline · central not configured"
    assert bar.online_pill.objectName() == "OfflinePill"
    assert bar.unsynced_pill.text() == "Unsynced changes: 1,234"


def test_online(qtbot, make_bar):
    bar = make_bar(lambda: info(online=True, unsynced=0))
    bar.refresh()
    qtbot.waitUntil(lambda: bar.info is not None, timeout=5_000)
    assert bar.online_pill.text() == "Online · central.example"
    assert bar.online_pill.objectName() == "OnlinePill"


def test_a_burst_of_changes_makes_one_query(qtbot, make_bar):
    calls: list[int] = []

    def terminal_info() -> TerminalInfo:
        calls.append(1)
        return info(online=False, unsynced=len(calls))

    bar = make_bar(terminal_info)
    for _ in range(10):
        bar.schedule_refresh()
    qtbot.waitUntil(lambda: bar.info is not None, timeout=5_000)
    qtbot.wait(300)
    assert len(calls) == 1


def test_a_failed_read_shows_a_question_mark(qtbot, make_bar, unexpected):
    from posapp.errors import NotFoundError

    def broken() -> TerminalInfo:
        raise NotFoundError("gone")

    bar = make_bar(broken)
    bar.refresh()
    qtbot.waitUntil(lambda: bar.unsynced_pill.text() == "Unsynced changes: ?", timeout=5_000)
    assert unexpected == []


# -- sync status ---------------------------------------------------------------------------------------------
def sync_status(*, online, unsynced=0, oldest_min=None, last_min=None, error=None, conflicts=0):
    from datetime import UTC, datetime, timedelta

    from posapp.services.sync import ConflictView, SyncStatus

    now = datetime.now(UTC)
    return SyncStatus(
        online=online, unsynced=unsynced,
        oldest_unsynced_at=now - timedelta(minutes=oldest_min) if oldest_min is not None else None,
        last_success_at=now - timedelta(minutes=last_min) if last_min is not None else None,
        last_error=error, recent_runs=(),
        conflicts=tuple(ConflictView(conflict_id=f"c{i}", kind="uniqueness", entity="sale_line", entity_id=f"id{i}",
                                     store_id="S042", detail="IMEI 35… sold at S042 and S043",
                                     detected_at=now.isoformat(), resolved=False) for i in range(conflicts)),
        problems=(), central_label="central.example", interval_seconds=60, as_of=now)


def test_human_age():
    from datetime import timedelta

    from ui.widgets.status_bar import human_age

    assert human_age(timedelta(seconds=42)) == "42 s"
    assert human_age(timedelta(minutes=12, seconds=5)) == "12 min"
    assert human_age(timedelta(hours=3, minutes=5)) == "3 h 05 min"
    assert human_age(timedelta(days=3, hours=4)) == "3 d 4 h"
    assert human_age(timedelta(seconds=-5)) == "0 s"


def test_offline_with_unsynced_changes_shows_their_age(qtbot, worker, employees):
    bar = StatusBarWidget(actor=employees.manager, terminal_info=lambda: info(online=False, unsynced=7),
                          worker=worker,
                          sync_status=lambda: sync_status(online=False, unsynced=7, oldest_min=185, last_min=190,
                                                          error="offline: central store unreachable"))
    qtbot.addWidget(bar)
    bar.refresh()
    qtbot.waitUntil(lambda: bar.sync is not None, timeout=5_000)
    assert bar.online_pill.objectName() == "OfflinePill"
    assert bar.online_pill.text() == "Offline · last sync 3 h 10 min ago"
    assert "central store unreachable" in bar.online_pill.toolTip()
    assert bar.unsynced_pill.text() == "Unsynced: 7 · oldest 3 h 05 min"
    assert not bar.conflict_pill.isVisible()


def test_online_and_conflicts_and_a_click_asks_for_details(qtbot, worker, employees):
    bar = StatusBarWidget(actor=employees.manager, terminal_info=lambda: info(online=True, unsynced=0),
                          worker=worker, sync_status=lambda: sync_status(online=True, last_min=2, conflicts=2))
    qtbot.addWidget(bar)
    bar.show()
    bar.refresh()
    qtbot.waitUntil(lambda: bar.sync is not None, timeout=5_000)
    assert bar.online_pill.text() == "Online · synced 2 min ago"
    assert bar.unsynced_pill.text() == "Unsynced: 0"
    assert bar.conflict_pill.isVisible() and bar.conflict_pill.text() == "2 sync conflicts"
    from PySide6.QtCore import Qt

    with qtbot.waitSignal(bar.details_requested, timeout=2_000):
        qtbot.mouseClick(bar.unsynced_pill, Qt.MouseButton.LeftButton)


def test_syncing_is_shown_while_a_run_is_going(qtbot, worker, employees):
    bar = StatusBarWidget(actor=employees.rep, terminal_info=lambda: info(online=True, unsynced=0),
                          worker=worker, sync_status=lambda: sync_status(online=True, last_min=1))
    qtbot.addWidget(bar)
    bar.set_syncing(True)
    assert bar.online_pill.text() == "Syncing…"
    bar.set_syncing(False)
    qtbot.waitUntil(lambda: bar.online_pill.text() == "Online · synced 1 min ago", timeout=5_000)


# -- the age ticks between sync events, the training badge, devices not configured --------------------------
def test_the_sync_age_ticks_between_sync_events(qtbot, worker, employees):
    from datetime import timedelta

    from ui.widgets.status_bar import TICK_MS

    status = sync_status(online=True, last_min=0)
    now = [status.last_success_at + timedelta(seconds=20)]
    reads = []

    def read_status():
        reads.append(1)
        return status

    bar = StatusBarWidget(actor=employees.rep, terminal_info=lambda: info(online=True, unsynced=0), worker=worker,
                          sync_status=read_status, clock=lambda: now[0])
    qtbot.addWidget(bar)
    bar.refresh()
    qtbot.waitUntil(lambda: bar.sync is not None, timeout=5_000)
    assert bar.online_pill.text() == "Online · synced 20 s ago"
    assert bar.tick.isActive() and 5_000 <= bar.tick.interval() == TICK_MS <= 10_000
    now[0] += timedelta(seconds=45)
    bar.tick.timeout.emit()  # what the timer does every TICK_MS
    assert bar.online_pill.text() == "Online · synced 1 min ago"
    now[0] += timedelta(hours=2)
    bar.tick.timeout.emit()
    assert bar.online_pill.text() == "Online · synced 2 h 01 min ago"
    assert len(reads) == 1, "ticking re-renders what it holds; it does not query"
    bar.set_syncing(True)
    bar.tick.timeout.emit()
    assert bar.online_pill.text() == "Syncing…"
    bar.stop()
    assert not bar.tick.isActive()


def test_training_badge_and_devices_not_configured(qtbot, make_bar):
    bar = make_bar(lambda: info(online=False, unsynced=0))
    bar.show()
    assert not bar.training_pill.isVisible() and not bar.device_pill.isVisible()
    bar.set_training(True)
    assert bar.training_pill.isVisible() and bar.training_pill.text() == "TRAINING"
    assert "training_mode false" in bar.training_pill.toolTip()
    bar.set_training(False)
    assert not bar.training_pill.isVisible()
    bar.set_device_problems(["No card terminal configured: its simulator is refused outside training mode."])
    assert bar.device_pill.isVisible() and bar.device_pill.text() == "No card terminal configured"
    assert "refused outside training mode" in bar.device_pill.toolTip()
    bar.set_device_problems(["No card terminal configured.", "No cash drawer configured."])
    assert bar.device_pill.text() == "2 devices not configured"
    bar.set_device_problems([])
    assert not bar.device_pill.isVisible()
