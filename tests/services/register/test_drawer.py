"""Cash drawer: float, paid in/out, no-sale permission, close by denominations with variance."""

from __future__ import annotations

import pytest

from posapp.errors import PermissionDenied, ValidationError
from posapp.services.registry import Services
from tests.helpers import register as reg
from tests.helpers import staff


def test_drawer_close_expected_vs_counted(services: Services, employees: staff.Staff) -> None:
    rep, drawer = employees.rep, services.register.drawer
    drawer.open_session(rep, float_cents=15_000)
    with pytest.raises(ValidationError, match="already open"):
        drawer.open_session(rep, float_cents=1)
    drawer.paid_in(rep, amount_cents=2_000, reason="change from the bank")
    drawer.paid_out(rep, amount_cents=1_250, reason="window cleaner")
    with pytest.raises(ValidationError):
        drawer.paid_out(rep, amount_cents=1_000_000, reason="too much")
    with pytest.raises(PermissionDenied):
        drawer.no_sale(rep, reason="check a note")
    drawer.no_sale(employees.manager, reason="check a note")
    assert drawer.current(rep).expected_cents == 15_750
    with pytest.raises(PermissionDenied):
        drawer.close(rep, counts={10_000: 1, 5_000: 1})
    short = {10_000: 1, 2_000: 2, 1_000: 1, 100: 7, 25: 2}  # $157.50 = expected
    with pytest.raises(ValidationError, match="reason"):
        drawer.close(employees.manager, counts={**short, 25: 1})
    with pytest.raises(ValidationError):
        drawer.close(employees.manager, counts={300: 1})
    closed = drawer.close(employees.manager, counts={**short, 25: 1}, variance_reason="quarter missing")
    assert (closed.expected_cents, closed.counted_cents, closed.variance_cents) == (15_750, 15_725, -25)
    assert closed.status == "closed" and closed.variance_reason == "quarter missing"
    assert reg.cash_drawer(services).openings == ["float", "paid_in", "paid_out", "no_sale"]
    with pytest.raises(ValidationError):
        drawer.current(rep)
