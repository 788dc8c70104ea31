"""The F4 page's activation state object without Qt: the steps of each kind, the refusals and their reasons."""

from __future__ import annotations

import uuid
from dataclasses import replace

import pytest

from posapp.domain.activation import (
    ActivationKind,
    ActivationStatus,
    DeviceSource,
    LineActivationStatus,
    NumberSource,
    SimKind,
)
from posapp.workflows.activation import (
    NO_VISIT,
    ActivationFlow,
    ActivationStep,
    NumberMode,
    Refused,
    steps_for,
)
from tests.workflows.activation_dtos import activation, check, full_line, line, port_in

S = ActivationStep


def started(kind: ActivationKind, *lines_: object, line_id: uuid.UUID | None = None) -> ActivationFlow:
    flow = ActivationFlow()
    flow.set_visit(uuid.uuid4(), line_id=line_id)
    flow.begin_start(kind)
    flow.started(activation(kind, *lines_))  # type: ignore[arg-type]
    return flow


def test_each_kind_skips_the_steps_it_does_not_have():
    assert steps_for(ActivationKind.ADD_LINE) == (S.DEVICE, S.SIM, S.NUMBER, S.PLAN, S.REVIEW)
    assert steps_for(ActivationKind.NEW_ACCOUNT) == steps_for(ActivationKind.ADD_LINE)
    assert steps_for(ActivationKind.BYOD) == steps_for(ActivationKind.ADD_LINE)
    assert steps_for(ActivationKind.UPGRADE) == (S.DEVICE, S.SIM, S.PLAN, S.REVIEW)  # the line keeps its number
    assert steps_for(ActivationKind.SIM_CHANGE) == (S.SIM, S.REVIEW)


def test_nothing_starts_without_a_verified_visit_and_a_line_kind_needs_its_line():
    flow = ActivationFlow()
    assert flow.step is S.CHOOSE_KIND
    assert flow.why_not_start(ActivationKind.ADD_LINE) == NO_VISIT
    with pytest.raises(Refused, match="Verify the customer"):
        flow.begin_start(ActivationKind.ADD_LINE)
    flow.set_visit(uuid.uuid4())
    assert flow.why_not_start(ActivationKind.ADD_LINE) is None
    assert "Pick the line" in (flow.why_not_start(ActivationKind.UPGRADE) or "")
    assert flow.why_not_start(ActivationKind.UPGRADE, line_id=uuid.uuid4()) is None


def test_a_failed_start_leaves_the_chooser_and_a_late_answer_is_refused():
    flow = ActivationFlow()
    flow.set_visit(uuid.uuid4())
    flow.begin_start(ActivationKind.ADD_LINE)
    assert flow.busy and flow.why_not_start(ActivationKind.BYOD) == "Starting the activation\u2026"
    flow.start_failed()
    assert flow.step is S.CHOOSE_KIND and flow.kind is None and not flow.busy
    with pytest.raises(Refused):
        flow.started(activation())


def test_add_line_walks_every_step_and_enter_is_refused_until_each_is_filled():
    flow = started(ActivationKind.ADD_LINE)
    assert flow.step is S.DEVICE
    assert flow.why_not_advance() == "Scan the device's IMEI first."
    with pytest.raises(Refused, match="IMEI"):
        flow.advance()
    dto = flow.activation
    assert dto is not None
    ln = dto.lines[0]
    flow.show(replace(dto, lines=(replace(ln, imei="356938035643809", device_source=DeviceSource.STORE),)))
    assert flow.advance() is S.SIM
    assert "ICCID" in (flow.why_not_advance() or "")
    flow.show(replace(dto, lines=(full_line(1, plan_code=None, msisdn=None, number_source=None, id=ln.id),)))
    assert flow.advance() is S.NUMBER and flow.number_mode is NumberMode.POOL
    assert "pool" in (flow.why_not_advance() or "")
    flow.show(replace(dto, lines=(full_line(1, plan_code=None, id=ln.id),)))
    assert flow.advance() is S.PLAN
    assert flow.why_not_advance() == "Choose a plan."
    assert "plan" in (flow.why_not_to_cart() or "")
    flow.show(replace(dto, lines=(full_line(1, id=ln.id),)))
    assert flow.advance() is S.REVIEW
    assert flow.why_not_to_cart() is None and flow.why_not_advance() is None
    flow.to_cart()


def test_esc_goes_back_one_step_and_from_the_first_step_to_the_chooser():
    flow = started(ActivationKind.ADD_LINE, full_line(1))
    flow.advance()
    assert flow.step is S.SIM
    assert flow.back() is S.DEVICE
    assert flow.back() is S.CHOOSE_KIND


def test_going_to_a_later_step_needs_the_earlier_ones():
    flow = started(ActivationKind.ADD_LINE, line(1, imei="356938035643809", device_source=DeviceSource.STORE))
    assert flow.why_not_go_to(S.PLAN) == "Finish the sim step first."
    with pytest.raises(Refused):
        flow.go_to(S.PLAN)
    flow.go_to(S.SIM)
    assert flow.step is S.SIM
    assert flow.why_not_go_to(S.NUMBER) is not None
    sim_change = started(ActivationKind.SIM_CHANGE, line_id=uuid.uuid4())
    assert sim_change.why_not_go_to(S.DEVICE) == "That step is not part of this order."


def test_an_upgrade_never_asks_for_a_number_and_a_sim_change_only_for_the_sim():
    keep = line(1, number_source=NumberSource.EXISTING, msisdn="+12065550100")
    flow = started(ActivationKind.UPGRADE, replace(keep, imei="356938035643809", device_source=DeviceSource.STORE,
                                                   sim_kind=SimKind.PHYSICAL), line_id=uuid.uuid4())
    assert flow.advance() is S.SIM
    assert flow.advance() is S.PLAN  # no NUMBER step
    sim = started(ActivationKind.SIM_CHANGE, replace(keep, device_source=DeviceSource.KEEP), line_id=uuid.uuid4())
    assert sim.step is S.SIM
    assert sim.why_not_to_cart() == "Line 1 is missing: sim."
    assert "ICCID" in (sim.why_not_advance() or "")


def test_a_device_is_refused_with_every_reason_in_plain_words():
    flow = started(ActivationKind.BYOD)
    assert flow.why_not_use_device(check(inventory_id=None)) is None
    assert flow.why_not_use_device(check()) == ("This is a device from store stock: sell it with a New line or "
                                                "Add a line order.")
    assert "block list (lost or stolen)" in (flow.why_not_use_device(check(block_result="blocked")) or "")
    assert "could not be reached" in (flow.why_not_use_device(check(block_result="unknown")) or "")
    assert "does not work" in (flow.why_not_use_device(check(compatible=False, inventory_id=None)) or "")
    assert flow.why_not_use_device(check(problems=("IMEI check digit is wrong.",))) == "IMEI check digit is wrong."
    upgrade = started(ActivationKind.UPGRADE, line_id=uuid.uuid4())
    assert "store stock" in (upgrade.why_not_use_device(check(inventory_id=None)) or "")


def test_esim_and_financing_are_refused_when_the_device_cannot():
    flow = started(ActivationKind.ADD_LINE)
    assert flow.why_not_esim() is None  # unknown here: the service decides
    flow.device_checked(check(esim_capable=False))
    assert flow.why_not_esim() == "This device cannot take an eSIM: use a physical SIM."
    assert flow.why_not_finance() == "Only a device from store stock can be financed on EIP."
    byod = started(ActivationKind.BYOD, full_line(1, device_source=DeviceSource.OWN))
    assert byod.why_not_finance() is not None
    store = started(ActivationKind.ADD_LINE, full_line(1))
    assert store.why_not_finance() is None


def test_a_device_scan_and_the_number_mode_belong_to_their_steps():
    flow = started(ActivationKind.ADD_LINE, full_line(1))
    flow.advance()
    with pytest.raises(Refused, match="device step"):
        flow.device_checked(check())
    with pytest.raises(Refused, match="number step"):
        flow.set_number_mode(NumberMode.PORT_IN)
    flow.advance()
    flow.set_number_mode(NumberMode.PORT_IN)
    assert flow.number_mode is NumberMode.PORT_IN


def test_a_port_in_line_reopens_on_the_transfer_form():
    ported = full_line(1, msisdn=None, number_source=NumberSource.PORT_IN, port_in=port_in())
    flow = started(ActivationKind.ADD_LINE, ported)
    flow.advance()
    assert flow.advance() is S.NUMBER and flow.number_mode is NumberMode.PORT_IN
    assert flow.why_not_advance() is None


def test_in_the_cart_the_step_follows_the_order_and_only_cancel_is_left():
    flow = started(ActivationKind.ADD_LINE, full_line(1))
    dto = flow.activation
    assert dto is not None
    pending = replace(dto, status=ActivationStatus.PENDING_PAYMENT,
                      lines=(replace(dto.lines[0], status=LineActivationStatus.PENDING_PAYMENT),))
    flow.show(pending)
    assert flow.step is S.IN_CART
    assert flow.why_not_back() is not None and flow.why_not_cancel() is None
    assert flow.why_not_to_cart() == "There is no draft order to put into the cart."
    with pytest.raises(Refused):
        flow.back()
    queued = replace(pending, status=ActivationStatus.QUEUED,
                     lines=(replace(pending.lines[0], status=LineActivationStatus.QUEUED),))
    flow.show(queued)
    assert flow.step is S.PROVISIONING and flow.pending_lines == queued.lines
    assert flow.why_not_cancel() == "Only an order not yet paid can be cancelled."


def test_live_line_statuses_move_the_order_to_done_or_needs_attention():
    one, two = full_line(1, status=LineActivationStatus.QUEUED), full_line(2, status=LineActivationStatus.QUEUED)
    flow = started(ActivationKind.ADD_LINE, one, two)
    dto = flow.activation
    assert dto is not None
    flow.show(replace(dto, status=ActivationStatus.QUEUED))
    assert not flow.line_status(uuid.uuid4(), "active", None)  # another order's line
    assert flow.line_status(one.id, "active", None)
    assert flow.step is S.PROVISIONING
    assert flow.line_status(two.id, "rejected", "PIN invalid")
    assert flow.step is S.NEEDS_ATTENTION
    rejected = flow.activation.lines[1] if flow.activation else two
    assert rejected.reason == "PIN invalid"
    assert flow.why_not_resubmit(rejected) is not None  # not a port-in line
    assert flow.why_not_resubmit(replace(rejected, port_in=port_in())) is None
    flow.line_status(two.id, "active", None)
    assert flow.step is S.DONE
    assert flow.activation is not None and flow.activation.status is ActivationStatus.COMPLETED


def test_more_lines_only_on_a_new_line_order_and_each_line_is_edited_from_its_first_step():
    flow = started(ActivationKind.ADD_LINE, full_line(1))
    assert flow.why_not_add_line() is None
    dto = flow.activation
    assert dto is not None
    flow.advance()
    flow.line_added(replace(dto, lines=(*dto.lines, line(2))))
    assert flow.line_no == 2 and flow.step is S.DEVICE
    assert flow.why_not_to_cart() == "Line 2 is missing: device, sim, number, plan."
    with pytest.raises(Refused, match="no line 7"):
        flow.select_line(7)
    upgrade = started(ActivationKind.UPGRADE, line_id=uuid.uuid4())
    assert upgrade.why_not_add_line() is not None


def test_another_visit_drops_the_draft_and_a_cancelled_order_is_the_chooser_again():
    flow = started(ActivationKind.ADD_LINE, full_line(1))
    dto = flow.activation
    assert dto is not None
    with pytest.raises(Refused, match="another activation"):
        flow.show(activation())
    flow.show(replace(dto, status=ActivationStatus.CANCELLED))
    assert flow.step is S.CHOOSE_KIND
    flow.show(dto)
    flow.set_visit(uuid.uuid4())
    assert flow.activation is None and flow.step is S.CHOOSE_KIND


def test_a_draft_or_an_order_in_the_cart_blocks_a_new_start_but_a_paid_one_does_not():
    flow = started(ActivationKind.ADD_LINE, full_line(1))
    assert "An activation is open" in (flow.why_not_start(ActivationKind.BYOD) or "")
    dto = flow.activation
    assert dto is not None
    flow.show(replace(dto, status=ActivationStatus.PENDING_PAYMENT))
    assert "An activation is open" in (flow.why_not_start(ActivationKind.BYOD) or "")
    flow.show(replace(dto, status=ActivationStatus.QUEUED,
                      lines=(replace(dto.lines[0], status=LineActivationStatus.QUEUED),)))
    assert flow.step is S.PROVISIONING and flow.why_not_start(ActivationKind.BYOD) is None
    flow.begin_start(ActivationKind.BYOD)
    assert flow.activation is None and flow.busy
    flow.started(activation(ActivationKind.BYOD))
    assert flow.step is S.DEVICE and flow.kind is ActivationKind.BYOD
