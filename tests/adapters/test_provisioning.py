"""The carrier provisioning adapter: the simulator's answers after a delay, duplicates, port-in checks against the
old-carrier registry, holds, offline and lost acknowledgements; the "none" adapter and the factory."""

from __future__ import annotations

import dataclasses
import re

import pytest

from posapp.adapters.controls import AdapterInfo
from posapp.adapters.factory import build_devices, build_provisioning
from posapp.adapters.provisioning import (
    AnswerStatus,
    CarrierTimeout,
    CarrierUnavailable,
    SimulatedCarrier,
    load_old_carriers,
)
from posapp.adapters.unconfigured import DeviceNotConfigured, NoCarrier
from posapp.config import Settings

LISTED = "+12065550181"  # Evergreen Mobile, EM44710921, PIN 4417, Dana Whitfield, 98103
ON_HOLD = "+12065550184"


class Clock:
    def __init__(self) -> None:
        self.t = 100.0

    def __call__(self) -> float:
        return self.t


def _port(msisdn: str = LISTED, account: str = "EM44710921", name: str = "Dana Whitfield",
          zip_code: str = "98103") -> dict[str, object]:
    return {"msisdn": msisdn, "sim_kind": "physical",
            "port": {"old_carrier": "Evergreen Mobile", "old_account_number": account, "name": name,
                     "billing_zip": zip_code}}


def _statuses(carrier: SimulatedCarrier, rid: str, polls: int) -> list[str]:
    return [carrier.poll([rid])[0].status.value for _ in range(polls)]


def test_the_simulator_says_what_it_is() -> None:
    carrier = SimulatedCarrier(delay_s=0)
    assert isinstance(carrier, AdapterInfo) and carrier.is_simulator and carrier.configured
    assert carrier.label == "CARRIER SIMULATOR — no line is really activated"
    assert carrier.test_controls() is not None


def test_answers_come_after_the_delay_and_a_resubmit_is_a_duplicate() -> None:
    clock = Clock()
    carrier = SimulatedCarrier(delay_s=5, clock=clock)
    ack = carrier.submit("r1", "activate", {"msisdn": "+12065550171", "sim_kind": "physical"}, None)
    assert not ack.duplicate and ack.carrier_ref.startswith("SIMREF-")
    assert _statuses(carrier, "r1", 2) == ["in_progress", "in_progress"]
    clock.t += 5
    assert _statuses(carrier, "r1", 2) == ["active", "active"]  # final, and the same when asked again
    again = carrier.submit("r1", "activate", {"msisdn": "+12065550171", "sim_kind": "physical"}, None)
    assert again.duplicate and again.carrier_ref == ack.carrier_ref
    assert carrier.test_controls().completed("+12065550171") == ("activate",)


def test_a_number_already_active_is_not_activated_twice_under_another_id() -> None:
    carrier = SimulatedCarrier(delay_s=0)
    for rid in ("a", "b"):
        carrier.submit(rid, "activate", {"msisdn": "+12065550172", "sim_kind": "physical"}, None)
        carrier.poll([rid])
    assert carrier.poll(["a"])[0].status is AnswerStatus.ACTIVE
    failed = carrier.poll(["b"])[0]
    assert failed.status is AnswerStatus.FAILED and failed.reason_code == "NUMBER_IN_USE"
    assert carrier.test_controls().completed("+12065550172") == ("activate",)


@pytest.mark.parametrize(("payload", "pin", "code"), [
    (_port(account="EM44710922"), "4417", "ACCOUNT_MISMATCH"),
    (_port(), "4418", "PIN_INVALID"),
    (_port(), None, "PIN_INVALID"),
    (_port(name="Dana Whitfeld"), "4417", "NAME_ZIP_MISMATCH"),
    (_port(zip_code="98104"), "4417", "NAME_ZIP_MISMATCH"),
])
def test_a_listed_number_is_rejected_unless_the_details_match(payload: dict[str, object], pin: str | None,
                                                              code: str) -> None:
    carrier = SimulatedCarrier(delay_s=0)
    carrier.submit("p", "port_in", payload, pin)
    carrier.poll(["p"])
    answer = carrier.poll(["p"])[0]
    assert answer.status is AnswerStatus.REJECTED and answer.reason_code == code and answer.reason
    assert "4417" not in (answer.reason or "")
    assert carrier.test_controls().completed(LISTED) == ()


def test_matching_details_port_and_an_unlisted_number_ports_without_checks() -> None:
    carrier = SimulatedCarrier(delay_s=0)
    carrier.submit("ok", "port_in", _port(name="  dana   WHITFIELD "), "4417")
    carrier.submit("free", "port_in", _port(msisdn="+13605550199", account="anything"), None)
    assert _statuses(carrier, "ok", 2) == ["in_progress", "active"]
    assert _statuses(carrier, "free", 2) == ["in_progress", "active"]


def test_one_listed_number_goes_on_hold_first_then_completes() -> None:
    carrier = SimulatedCarrier(delay_s=0)
    carrier.submit("h", "port_in", _port(msisdn=ON_HOLD, account="EM90012277", name="Tom Becker",
                                         zip_code="98115"), "8080")
    carrier.poll(["h"])
    held = carrier.poll(["h"])[0]
    assert held.status is AnswerStatus.ON_HOLD and held.reason_code == "PENDING_OLD_CARRIER" and held.reason
    assert carrier.poll(["h"])[0].status is AnswerStatus.ACTIVE


def test_the_registry_file_lists_a_hold_and_fictitious_numbers() -> None:
    registry = load_old_carriers()
    assert ON_HOLD in registry and registry[ON_HOLD].hold_code
    assert all(re.fullmatch(r"\+1\d{3}55501\d\d", n) for n in registry)


def test_an_esim_activation_answers_with_a_fresh_activation_code() -> None:
    carrier = SimulatedCarrier(delay_s=0)
    codes = []
    for rid, msisdn in (("e1", "+12065550173"), ("e2", "+12065550174")):
        carrier.submit(rid, "activate", {"msisdn": msisdn, "sim_kind": "esim"}, None)
        carrier.poll([rid])
        answer = carrier.poll([rid])[0]
        assert answer.status is AnswerStatus.ACTIVE and answer.esim_code is not None
        assert answer.esim_code not in repr(answer)
        assert re.fullmatch(r"LPA:1\$smdp\.sim-carrier\.example\.net\$([0-9A-F]{5}-){3}[0-9A-F]{5}", answer.esim_code)
        assert carrier.poll([rid])[0].esim_code == answer.esim_code  # the same answer when asked again
        codes.append(answer.esim_code)
    assert codes[0] != codes[1]
    carrier.submit("p", "activate", {"msisdn": "+12065550175", "sim_kind": "physical"}, None)
    assert [a.esim_code for a in (carrier.poll(["p"])[0], carrier.poll(["p"])[0])] == [None, None]


def test_offline_nothing_is_received_and_a_lost_ack_still_records_the_request() -> None:
    carrier = SimulatedCarrier(delay_s=0)
    controls = carrier.test_controls()
    controls.go_offline()
    with pytest.raises(CarrierUnavailable):
        carrier.submit("x", "activate", {"msisdn": "+12065550176"}, None)
    with pytest.raises(CarrierUnavailable):
        carrier.poll(["x"])
    controls.go_online()
    assert carrier.poll(["x"])[0].status is AnswerStatus.UNKNOWN  # never received
    controls.time_out_next_submit()
    with pytest.raises(CarrierTimeout):
        carrier.submit("x", "activate", {"msisdn": "+12065550176"}, None)
    assert carrier.submit("x", "activate", {"msisdn": "+12065550176"}, None).duplicate  # it had it
    carrier.poll(["x"])
    carrier.poll(["x"])
    assert controls.completed("+12065550176") == ("activate",)


def test_the_factory_builds_the_simulator_in_training_and_none_otherwise() -> None:
    sim = build_provisioning(dataclasses.replace(Settings(), carrier_sim_delay_seconds=7))
    assert isinstance(sim, SimulatedCarrier) and sim.delay_s == 7
    assert isinstance(build_devices(Settings()).carrier, SimulatedCarrier)
    none = build_provisioning(dataclasses.replace(Settings(), provisioning="none"))
    assert isinstance(none, NoCarrier) and not none.configured and none.test_controls() is None
    assert none.label == "No carrier provisioning configured"
    with pytest.raises(DeviceNotConfigured, match="provisioning"):
        none.submit("r", "activate", {}, None)
    with pytest.raises(DeviceNotConfigured):
        none.poll(["r"])
    refused = build_provisioning(dataclasses.replace(Settings(), training_mode=False))
    assert isinstance(refused, NoCarrier) and refused.reason == "its simulator is refused outside training mode"
