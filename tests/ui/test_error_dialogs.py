"""An unexpected error shows a short message with an error id; the traceback is in the log under that id."""

from __future__ import annotations

import logging
import re

from posapp.errors import ValidationError
from ui.error_dialogs import ErrorReporter


def boom() -> None:
    raise RuntimeError("kaboom in a view")


def test_bug_shows_an_error_id_that_is_logged_with_the_traceback(qtbot, caplog, tmp_path):
    reporter = ErrorReporter(log_dir=tmp_path / "logs")
    try:
        boom()
    except RuntimeError as exc:
        with qtbot.waitSignal(reporter.error_reported) as reported, caplog.at_level(logging.ERROR):
            error_id = reporter.report(exc, "testing")
    assert reported.args == [error_id]
    assert re.fullmatch(r"[0-9A-F]{8}", error_id)
    box = reporter.last_box
    assert box is not None and box.isVisible()
    assert f"Error id: {error_id}" in box.text()
    assert "kaboom" not in box.text()  # the user gets the id, not the internals
    assert str(tmp_path / "logs" / "posapp.log") in box.informativeText()
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert error_id in logged and "Traceback" in logged and "in boom" in logged and "kaboom" in logged
    box.accept()


def test_rejected_errors_are_shown_as_they_are(qtbot, caplog):
    reporter = ErrorReporter(log_dir=None)
    with caplog.at_level(logging.ERROR):
        assert reporter.report(ValidationError("The PIN must be 4 to 8 digits.")) == ""
    assert reporter.last_box.text() == "The PIN must be 4 to 8 digits."
    assert caplog.records == []
    reporter.last_box.accept()


def test_the_excepthook_reports_uncaught_errors(qtbot, caplog):
    reporter = ErrorReporter(log_dir=None)
    try:
        boom()
    except RuntimeError as exc:
        with qtbot.waitSignal(reporter.error_reported) as reported, caplog.at_level(logging.ERROR):
            reporter._excepthook(RuntimeError, exc, exc.__traceback__)
    assert reported.args[0] in reporter.last_box.text()
    reporter.last_box.accept()
