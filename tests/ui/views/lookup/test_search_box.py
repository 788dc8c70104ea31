"""The one search field: type-ahead on the worker, stale results dropped, scanner bursts, prefixes, arrows."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import Qt

from ui.views.lookup.search_box import DEBOUNCE_MS, PREFIX_HINT, SearchBox


@pytest.fixture
def box(qtbot, services, employees, worker):
    calls: list[str] = []

    def search(text):
        calls.append(text)
        return services.lookup.search(employees.rep, text)

    b = SearchBox(search=search, worker=worker)
    b.calls = calls
    with qtbot.waitActive(b):
        b.show()
        b.activateWindow()
    b.focus()
    yield b
    b.cancel()
    qtbot.waitUntil(lambda: worker.pending == 0)
    b.close()
    b.deleteLater()


def test_type_ahead_searches_once_after_a_short_pause(qtbot, box, make_account):
    ana = make_account("Ana", "Lopez", "(206) 555-0142")
    with qtbot.waitSignal(box.results_ready, timeout=5_000) as got:
        qtbot.keyClicks(box.field, "Ana Lo")
        assert box.debounce_pending and box.searches_started == 0  # nothing runs while the rep types
    assert box.calls == ["Ana Lo"]
    assert [h.customer_id for h in got.args[0].hits] == [ana.customer_id]
    assert "1 match" in box.summary.text()


def test_type_ahead_drops_stale_results(qtbot, services, employees, worker, make_account):
    make_account("Ana", "Lopez", "(206) 555-0142")
    bob = make_account("Bob", "Anders", "(425) 555-0100")
    gate = threading.Event()

    def slow_first(text):
        if text == "Ana":
            gate.wait(5)  # the first search is slow; the rep keeps typing meanwhile
        return services.lookup.search(employees.rep, text)

    box = SearchBox(search=slow_first, worker=worker)
    qtbot.addWidget(box)
    shown = []
    box.results_ready.connect(shown.append)
    box.field.setText("Ana")
    qtbot.waitUntil(lambda: box.searches_started == 1)
    box.field.setText("Bob")
    qtbot.waitUntil(lambda: box.searches_started == 2)
    with qtbot.waitSignal(box.results_ready, timeout=5_000):
        gate.set()
    qtbot.waitUntil(lambda: worker.pending == 0)
    assert box.dropped == 1
    assert len(shown) == 1 and [h.customer_id for h in shown[0].hits] == [bob.customer_id]
    assert box.is_current


def test_a_scanner_burst_ending_in_enter_searches_at_once(qtbot, box, make_account):
    ana = make_account("Ana", "Lopez", "(206) 555-0142")
    qtbot.keyClicks(box.field, ana.imeis[1])
    with qtbot.waitSignal(box.scanned) as scanned:
        qtbot.keyClick(box.field, Qt.Key.Key_Return)
    assert scanned.args == [ana.imeis[1]]
    assert box.searches_started == 1 and not box.debounce_pending  # no debounce wait
    with qtbot.waitSignal(box.results_ready, timeout=5_000) as got:
        pass
    assert got.args[0].query.kind.value == "imei"
    assert [h.customer_id for h in got.args[0].hits] == [ana.customer_id]


def test_typing_at_human_speed_then_enter_is_not_a_scanner_and_picks(qtbot, box, make_account):
    make_account("Ana", "Lopez", "(206) 555-0142")
    scanned = []
    box.scanned.connect(scanned.append)
    qtbot.keyClicks(box.field, "2065550142", delay=45)
    with qtbot.waitSignal(box.submitted, timeout=5_000):
        qtbot.keyClick(box.field, Qt.Key.Key_Return, delay=45)  # before the debounce fired: waits, then picks
    assert scanned == [] and box.is_current and box.result.hits


def test_enter_on_current_results_submits_at_once(qtbot, box, make_account):
    make_account("Ana", "Lopez", "(206) 555-0142")
    with qtbot.waitSignal(box.results_ready, timeout=5_000):
        qtbot.keyClicks(box.field, "Lopez")
    qtbot.wait(DEBOUNCE_MS // 3)
    with qtbot.waitSignal(box.submitted, timeout=1_000):
        qtbot.keyClick(box.field, Qt.Key.Key_Enter)
    assert box.searches_started == 1


def test_prefix_hint_and_forced_kind(qtbot, box, make_account):
    ana = make_account("Ana", "Lopez", "(206) 555-0142")
    assert box.hint.text() == PREFIX_HINT
    with qtbot.waitSignal(box.results_ready, timeout=5_000) as got:
        qtbot.keyClicks(box.field, f"a:{ana.account_number}")
    assert box.hint.text() == "Searching account numbers only"
    assert got.args[0].query.forced and got.args[0].hits[0].customer_id == ana.customer_id
    box.field.clear()
    assert box.hint.text() == PREFIX_HINT


def test_arrows_move_and_escape_clears(qtbot, box):
    moves = []
    box.moved.connect(moves.append)
    qtbot.keyClicks(box.field, "abc")
    for key in (Qt.Key.Key_Down, Qt.Key.Key_Down, Qt.Key.Key_Up, Qt.Key.Key_PageDown):
        qtbot.keyClick(box.field, key)
    assert moves == [1, 1, -1, 10]
    assert box.text == "abc"
    qtbot.keyClick(box.field, Qt.Key.Key_Escape)
    assert box.text == ""


def test_hostile_input_gives_a_clean_message(qtbot, box):
    with qtbot.waitSignal(box.results_ready, timeout=5_000) as got:
        box.field.setText('"NEAR( * ' + "x" * 10_000)
    assert got.args[0].hits == () and got.args[0].message
