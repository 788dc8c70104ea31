"""A refusal on the customer's side (the visit's verification or account role, e.g. ``add_line``) is not an
employee permission: the runner shows it on the error line and never offers a manager's override for it."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from posapp.errors import PermissionDenied
from ui.runner import ServiceRunner


def test_a_customer_side_refusal_goes_to_the_error_line_without_an_override(qtbot, services, employees, worker):
    owner = QWidget()
    qtbot.addWidget(owner)
    shown: list[str] = []
    runner = ServiceRunner(worker=worker, auth=services.auth, actor=employees.rep, owner=owner,
                           show_error=shown.append)

    def refused(_ov: object) -> None:
        raise PermissionDenied("This needs step-up verification.", permission="add_line")

    runner.call(refused, lambda _r: None, action="Start the activation")
    qtbot.waitUntil(lambda: bool(shown), timeout=5_000)
    assert shown == ["This needs step-up verification."] and runner.override_dialog is None
