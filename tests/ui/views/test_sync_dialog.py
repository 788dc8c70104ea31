"""The sync-details dialog: runs, conflicts for managers only, problems, "Sync now"."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from posapp.services.sync import ConflictView, ProblemView, SyncRunView, SyncStatus
from ui.views.sync_dialog import SyncDetailsDialog

NOW = datetime(2026, 11, 22, 20, 0, tzinfo=UTC)


def status() -> SyncStatus:
    runs = (
        SyncRunView(id=2, started_at=NOW, finished_at=NOW + timedelta(seconds=1.4), trigger="worker", ok=True,
                    pushed=1234, duplicates=3, rejected=0, pulled=56, conflicts=1, rebuilt=(), diverged=(),
                    error=None),
        SyncRunView(id=1, started_at=NOW - timedelta(minutes=5), finished_at=NOW - timedelta(minutes=5),
                    trigger="worker", ok=False, pushed=0, duplicates=0, rejected=0, pulled=0, conflicts=0,
                    rebuilt=(), diverged=(), error="offline: central store unreachable: OperationalError"),
    )
    conflicts = (ConflictView(conflict_id="c1", kind="uniqueness", entity="sale_line", entity_id="0193a1b2-77aa",
                              store_id="S001", detected_at=NOW.isoformat(), resolved=False,
                              detail='{"claim":"imei_sold","key":"356938035643809",'
                                     '"others":[{"entity":"sale_line","entity_id":"x","store_id":"S002"}]}'),)
    problems = (ProblemView(direction="push", entity="plan", entity_id="PLAN-X", change_id="x",
                            reason="shared catalog rows are head office's", at=NOW),)
    return SyncStatus(online=True, unsynced=0, oldest_unsynced_at=None, last_success_at=NOW, last_error=None,
                      recent_runs=runs, conflicts=conflicts, problems=problems, central_label="hq.example:5432/pos",
                      interval_seconds=60, as_of=NOW)


def make(qtbot, worker, *, manager: bool) -> SyncDetailsDialog:
    dialog = SyncDetailsDialog(load=status, worker=worker, timezone="America/Los_Angeles",
                               can_see_conflicts=manager)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.refresh()
    qtbot.waitUntil(lambda: dialog.status is not None, timeout=5_000)
    return dialog


def test_runs_are_listed_newest_first_in_store_time(qtbot, worker):
    dialog = make(qtbot, worker, manager=True)
    assert dialog.runs.rowCount() == 2
    row = [dialog.runs.item(0, c).text() for c in range(dialog.runs.columnCount())]
    assert row[:9] == ["Nov 22 12:00:00", "worker", "OK", "1,234", "3", "0", "56", "1", "1.4 s"]
    assert dialog.runs.item(1, 2).text() == "Offline"
    assert "unreachable" in dialog.runs.item(1, 9).text()


def test_a_manager_sees_the_conflicts(qtbot, worker):
    dialog = make(qtbot, worker, manager=True)
    assert dialog.conflicts.isVisible()
    assert dialog.conflicts.rowCount() == 1
    assert dialog.conflicts.item(0, 0).text() == "Same IMEI twice"
    assert "S002" in dialog.conflicts.item(0, 2).text()
    assert dialog.problems.isVisible() and dialog.problems.rowCount() == 1


def test_a_rep_sees_only_how_many(qtbot, worker):
    dialog = make(qtbot, worker, manager=False)
    assert not dialog.conflicts.isVisible()
    assert dialog.conflict_note.text() == "1 open conflict. A manager can see and clear them."
    texts = [dialog.conflicts.item(r, c).text() for r in range(dialog.conflicts.rowCount())
             for c in range(dialog.conflicts.columnCount()) if dialog.conflicts.item(r, c)]
    assert not any("356938035643809" in t for t in texts)


def test_sync_now_asks_the_worker_and_waits_for_the_run(qtbot, worker):
    dialog = make(qtbot, worker, manager=True)
    with qtbot.waitSignal(dialog.sync_now_requested, timeout=2_000):
        dialog.sync_now.click()
    assert not dialog.sync_now.isEnabled()
    dialog.run_finished()
    assert dialog.sync_now.isEnabled()


def test_conflict_details_are_readable_and_never_show_a_profile_value():
    from ui.views.sync_dialog import describe_conflict

    assert describe_conflict("field_lww", '{"field":"email","loser":"jo@example.com","loser_hlc":"1","winner_hlc":"2"}'
                             ) == ("'email' was changed in two places; the later change stands, the other is kept in "
                                   "the central conflict log.")
    assert describe_conflict("oversell", '{"sku":"ACC-CASE","on_hand":-2}').startswith("ACC-CASE: stock went to -2")
    assert describe_conflict("uniqueness", "not json") == "not json"


@pytest.fixture
def collided(tmp_path):
    """A terminal (T01) that pulled T02's employee 8001 while it has its own 8001: the row is held."""
    from tests.sync.terminals import open_terminal
    from tests.sync.test_held import add, apply, pulled

    here, there = open_terminal(tmp_path / "here", "S001", "T01"), open_terminal(tmp_path / "there", "S001", "T02")
    try:
        add(here, "8001", "Sim Rep")
        apply(here, [pulled(there, add(there, "8001", "Sim Rep"))])
    finally:
        there.close()
    yield here
    here.close()


@pytest.mark.parametrize("manager", [True, False])
def test_a_held_employee_number_collision_in_a_managers_words(qtbot, worker, collided, manager):
    """The real SyncService status of the terminal that holds the other's row, shown in the dialog: a manager
    reads who collides and what to do; a rep only the count."""
    real = collided.sync.status()          # read here: the dialog test's worker thread then touches no database
    dialog = SyncDetailsDialog(load=lambda: real, worker=worker, timezone="America/Los_Angeles",
                               can_see_conflicts=manager)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.refresh()
    qtbot.waitUntil(lambda: dialog.status is not None, timeout=5_000)
    if manager:
        assert dialog.conflicts.isVisible() and dialog.conflicts.rowCount() == 1
        assert dialog.conflicts.item(0, 0).text() == "Same number twice"
        assert dialog.conflicts.item(0, 2).text() == (
            "Two employees have number 8001 (Sim Rep at T01 and Sim Rep at T02) — renumber one "
            "(posapp-admin employee renumber OLD NEW).")
    else:
        assert not dialog.conflicts.isVisible()
        assert dialog.conflict_note.text() == "1 open conflict. A manager can see and clear them."
