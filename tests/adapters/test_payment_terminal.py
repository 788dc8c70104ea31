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


def test_offline_store_and_forward() -> None:
    t = SimulatedTerminal()
    off = t.charge_offline("o1", 20_000)
    assert off.status is TerminalStatus.APPROVED and off.offline and off.auth_code and off.auth_code.startswith("OFL")
    assert off.last4 == "1111" and "4111111111111111" not in repr(off)
    assert t.charge_offline("o1", 20_000) == off and t.query("o1") == off
    assert t.charges["o1"] == 0, "no money moves until forwarded"
    settled = t.forward("o1")
    assert settled.status is TerminalStatus.APPROVED and not settled.offline
    assert settled.auth_code and not settled.auth_code.startswith("OFL") and settled.token == off.token
    assert t.forward("o1") == settled and t.charges["o1"] == 1, "forwarding twice never charges twice"
    t.charge_offline("o2", 20_013)
    declined = t.forward("o2")
    assert declined.status is TerminalStatus.DECLINED and declined.reason and t.charges["o2"] == 0
    assert t.forward("never-stored").status is TerminalStatus.DECLINED
