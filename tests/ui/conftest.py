"""Fixtures for the Qt UI tests: real services on a real SQLite file in tmp_path, a real DB worker, the real App.

The suite-wide ``services`` / ``employees`` fixtures (tests/helpers/fixtures.py) serve the widget tests; the App
tests use ``seeded_paths``: a data folder with the same three employees (a copy of the session's template), not
open, so the App opens it itself.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from posapp.paths import DataPaths
from tests.helpers.staff import StaffMember
from tests.helpers.templates import Templates
from ui.app import App
from ui.qt_workarounds import pin_true
from ui.worker import DbWorker

# PySide6 6.12.0 takes a reference from True on every signal emit (ui/qt_workarounds.py); a UI test run emits
# enough to abort the interpreter at exit. The app applies the same work-around in ui.app.main().
pin_true()


@pytest.fixture
def seeded_paths(data_paths: DataPaths, templates: Templates) -> DataPaths:
    """A migrated data folder with the rep, manager and admin of tests/helpers/staff.py (a copy of the session's
    staffed template database); not open."""
    return templates.install(templates.staffed(), data_paths)


@pytest.fixture
def unexpected() -> list[BaseException]:
    """Errors handed to the app's unexpected-error handler; must stay empty unless a test takes them out."""
    return []


@pytest.fixture
def worker(qtbot: QtBot, unexpected: list[BaseException]) -> Iterator[DbWorker]:
    w = DbWorker(on_unexpected=unexpected.append)
    yield w
    w.shutdown(wait=True)
    assert not unexpected, f"unexpected errors reached the app: {unexpected!r}"


@pytest.fixture
def exit_codes() -> list[int]:
    return []


@pytest.fixture
def make_app(qtbot: QtBot, seeded_paths: DataPaths, exit_codes: list[int]) -> Iterator[Callable[..., App]]:
    """Build the real composition root on the seeded data folder; shut it down afterwards."""
    made: list[App] = []

    def make(*, idle_ms: int | None = 60_000, data: DataPaths | None = None, sync: bool = False,
             provisioning: bool = False) -> App:
        # The background sync and the carrier's queue are off unless a test is about them (their passes would
        # race the test's steps).
        app = App(paths=data or seeded_paths, exit_app=exit_codes.append, idle_ms=idle_ms, sync=sync,
                  provisioning=provisioning)
        made.append(app)
        return app

    yield make
    for app in made:
        app.shutdown()
        app.login.deleteLater()


@pytest.fixture
def start_ready(qtbot: QtBot) -> Callable[[App], None]:
    """Start an App and wait until its database is open."""

    def start(app: App) -> None:
        with qtbot.waitSignal(app.database_ready, timeout=20_000):
            app.start()

    return start


@pytest.fixture
def sign_in_ui(qtbot: QtBot) -> Callable[[App, StaffMember], None]:
    """Type the number and PIN into the App's login window, press Enter, wait for the main window."""

    def sign_in(app: App, member: StaffMember) -> None:
        qtbot.keyClicks(app.login.number, member.number)
        qtbot.keyClicks(app.login.pin, member.pin)
        with qtbot.waitSignal(app.session_started, timeout=10_000):
            qtbot.keyClick(app.login.pin, Qt.Key.Key_Return)

    return sign_in
