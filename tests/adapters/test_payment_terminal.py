"""The card terminal simulator: outcomes by amount, idempotency, only token/brand/last 4/auth code leave it."""

from __future__ import annotations

import pytest

from posapp.adapters.cash_drawer import SimulatedCashDrawer
from posapp.adapters.payment_terminal import TEST_CARDS, SimulatedTerminal, TerminalStatus


def test_outcomes_by_amount_and_one_charge_per_key() -> None:
    t = SimulatedTerminal()
    assert t.is_simulator and "SIMULATOR" in t.label
    ok = t.charge("k1", 1000)
    assert ok.status is TerminalStatus.APPROVED and ok.last4 == "1111" and ok.brand == "Visa"
    assert ok.token and ok.auth_code and "4111111111111111" not in repr(ok)
    assert t.charge("k1", 1000) == ok and t.charges["k1"] == 1 and t.calls["k1"] == 2
    assert t.charge("k2", 1013).status is TerminalStatus.DECLINED and t.charges["k2"] == 0
    assert t.charge("k3", 1057).status is TerminalStatus.TIMEOUT
    assert t.query("k3") is not None and t.query("k3").status is TerminalStatus.APPROVED  # type: ignore[union-attr]
    assert t.charge("k3", 1057).status is TerminalStatus.APPROVED and t.charges["k3"] == 1
    assert t.charge("k4", 1058).status is TerminalStatus.TIMEOUT
    assert t.query("k4").status is TerminalStatus.DECLINED  # type: ignore[union-attr]
    assert t.query("never") is None


@pytest.mark.parametrize("name", sorted(TEST_CARDS))
def test_each_test_card_returns_only_its_last4(name: str) -> None:
    t = SimulatedTerminal(card=name)
    r = t.charge("k", 500)
    pan = TEST_CARDS[name].pan
    assert r.last4 == pan[-4:] and all(pan not in str(v) for v in vars(r).values())
    assert t.refund("r", r.token or "", 500).status is TerminalStatus.APPROVED


def test_cash_drawer_simulator_records_openings() -> None:
    d = SimulatedCashDrawer()
    d.open("no_sale")
    assert d.openings == ["no_sale"]
