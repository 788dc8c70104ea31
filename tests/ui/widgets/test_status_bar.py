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
    assert bar.store_pill.text() == "Store S042 · Demo Wireless — Ballard"
    assert bar.terminal_pill.text() == "Terminal T03"
    assert bar.employee_pill.text() == "Morgan Manager · #2001 · Manager"
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
