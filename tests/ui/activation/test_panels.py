"""The Activation page's panels rendering activation DTOs and turning keys and scans into intents (no service)."""

from __future__ import annotations

import uuid
from dataclasses import replace

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit

from posapp.domain.activation import (
    ActivationKind,
    ActivationStatus,
    DeviceSource,
    LineActivationStatus,
    NumberSource,
    PortStatus,
    SimKind,
)
from posapp.services.activation.dto import EipTerms, PoolNumberDTO, PortInForm
from posapp.workflows.activation import ActivationFlow, NumberMode
from tests.workflows.activation_dtos import MASKED, QUOTE, activation, check, full_line, line, port_in
from ui.views.activation.device_panel import DevicePanel
from ui.views.activation.kind_panel import KindPanel
from ui.views.activation.number_panel import KEEP_SERVICE, NumberPanel
from ui.views.activation.plan_panel import FeatureChoice, PlanChoice, PlanPanel, PlanPick
from ui.views.activation.review_panel import ReviewPanel, StatusPanel
from ui.views.activation.sim_panel import NOT_A_SIM, SimPanel, read_sim

EID = "89049032000001000000012345678954"
ICCID = "8901260123456789012"


def flow_with(dto, kind=ActivationKind.ADD_LINE) -> ActivationFlow:
    flow = ActivationFlow()
    flow.set_visit(uuid.uuid4(), line_id=uuid.uuid4())
    flow.begin_start(kind)
    flow.started(dto)
    return flow


def test_a_digit_starts_a_kind_and_line_kinds_need_a_line(qtbot):
    panel = KindPanel()
    qtbot.addWidget(panel)
    panel.show_context(who="Dana Smith", has_line=False, verified=True)
    with qtbot.assertNotEmitted(panel.chosen):
        qtbot.keyClick(panel.list, "3")  # Upgrade: no line picked
    with qtbot.waitSignal(panel.chosen) as got:
        qtbot.keyClick(panel.list, "1")
    assert got.args == [ActivationKind.ADD_LINE]
    panel.show_context(who="Dana Smith", has_line=True, verified=True)
    with qtbot.waitSignal(panel.chosen) as got:
        qtbot.keyClick(panel.list, "4")
    assert got.args == [ActivationKind.SIM_CHANGE]


def test_the_device_scan_emits_both_imeis_and_a_blocked_device_says_so(qtbot):
    panel = DevicePanel()
    qtbot.addWidget(panel)
    with qtbot.waitSignal(panel.scanned) as got:
        qtbot.keyClicks(panel.scan, "356938035643809 356938035643817")
        qtbot.keyClick(panel.scan, Qt.Key.Key_Return)
    assert got.args == ["356938035643809", "356938035643817"] and panel.scan.text() == ""
    blocked = check(block_result="blocked", inventory_id=None)
    panel.show_check(blocked, refusal="This device is on the block list (lost or stolen).", line=None)
    assert "BLOCKED" in panel.block.text() and panel.block.property("state") == "bad"
    assert panel.verdict.text().startswith("Cannot use this device")
    assert panel.source.text() == "Customer's own device"
    good = check()
    panel.show_check(good, refusal=None, line=full_line(1))
    assert panel.verdict.text().startswith("\u2713 On the line") and "$799.99" in panel.source.text()
    with qtbot.waitSignal(panel.next_step):
        qtbot.keyClick(panel.scan, Qt.Key.Key_Return)


def test_the_sim_box_tells_an_iccid_from_an_eid_and_refuses_anything_else(qtbot):
    assert read_sim(EID) == (SimKind.ESIM, EID)
    assert read_sim(f"{ICCID}F") == (SimKind.PHYSICAL, ICCID)
    assert read_sim("12345") == NOT_A_SIM
    panel = SimPanel()
    qtbot.addWidget(panel)
    with qtbot.waitSignal(panel.chosen) as got:
        qtbot.keyClicks(panel.scan, EID)
        qtbot.keyClick(panel.scan, Qt.Key.Key_Return)
    assert got.args == [SimKind.ESIM, EID]
    with qtbot.assertNotEmitted(panel.chosen):
        qtbot.keyClicks(panel.scan, "12345")
        qtbot.keyClick(panel.scan, Qt.Key.Key_Return)
    assert panel.current.text() == NOT_A_SIM
    panel.show_line(full_line(1), esim_refusal=None)
    assert "eSIM" in panel.current.text() and MASKED in panel.current.text()


def test_pool_enter_picks_then_goes_on_and_the_transfer_pin_is_masked_and_cleared(qtbot):
    panel = NumberPanel()
    qtbot.addWidget(panel)
    panel.show_line(line(1), NumberMode.POOL)
    panel.show_pool((PoolNumberDTO("+12065550142", "(206) 555-0142"), PoolNumberDTO("+12065550143", "(206) 555-0143")))
    with qtbot.waitSignal(panel.pick) as got:
        qtbot.keyClick(panel.pool, Qt.Key.Key_Return)
    assert got.args == ["+12065550142"]
    panel.show_line(full_line(1, msisdn="+12065550142"), NumberMode.POOL)
    panel.show_pool((PoolNumberDTO("+12065550143", "(206) 555-0143"),))  # the reserved one is no longer available
    assert panel.pool.item(0).text().startswith("(206) 555-0142")
    with qtbot.waitSignal(panel.next_step):
        qtbot.keyClick(panel.pool, Qt.Key.Key_Return)

    panel.show_line(line(1), NumberMode.PORT_IN)
    form = panel.form
    assert panel.warning.text() == KEEP_SERVICE and not panel.warning.isHidden()
    assert form.pin.echoMode() is QLineEdit.EchoMode.Password
    for field, text in ((form.msisdn, "2065550199"), (form.carrier, "Other Wireless"), (form.account, "98764321"),
                        (form.pin, "4321"), (form.name, "Dana Smith"), (form.zip, "98101")):
        field.setText(text)
    with qtbot.waitSignal(panel.port_in) as got:
        qtbot.keyClick(form.zip, Qt.Key.Key_Return)
    sent = got.args[0]
    assert isinstance(sent, PortInForm) and sent.transfer_pin == "4321" and sent.msisdn == "2065550199"
    assert form.pin.text() == ""  # gone from the widget tree the moment it was handed on


def test_the_transfer_form_refuses_missing_fields_and_prefills_a_rejected_port(qtbot):
    panel = NumberPanel()
    qtbot.addWidget(panel)
    panel.show_line(line(1), NumberMode.PORT_IN)
    with qtbot.assertNotEmitted(panel.port_in):
        panel.form.submit()
    assert "Fill in: Number to transfer" in panel.form.error.text()
    panel.form.fill(port_in(status=PortStatus.REJECTED, reason="PIN invalid"))
    assert panel.form.name.text() == "Dana Smith" and panel.form.pin.text() == "" and panel.form.account.text() == ""


def test_the_plan_panel_records_then_goes_on_and_finances_only_a_store_device(qtbot):
    panel = PlanPanel()
    qtbot.addWidget(panel)
    panel.set_choices((PlanChoice("ESS", "Essentials", 6000), PlanChoice("MAG", "Magenta", 7000)),
                      (FeatureChoice("INTL", "International calling", 1500),))
    panel.show_line(line(1, device_source=DeviceSource.STORE), finance_refusal=None)
    panel.features.item(0).setCheckState(Qt.CheckState.Checked)
    panel.finance.setChecked(True)
    panel.down.setText("100")
    with qtbot.waitSignal(panel.chosen) as got:
        qtbot.keyClick(panel.plans, Qt.Key.Key_Return)
    assert got.args == [PlanPick("ESS", ("INTL",), EipTerms(down_payment_cents=10_000, months=24))]
    panel.show_quote(QUOTE)
    assert "23 \u00d7 $29.17" in panel.quote.text()
    recorded = full_line(1, features=("INTL",), financed=True, eip=QUOTE)
    panel.show_line(recorded, finance_refusal=None)
    with qtbot.waitSignal(panel.next_step):
        qtbot.keyClick(panel.plans, Qt.Key.Key_Return)
    panel.show_line(line(1, device_source=DeviceSource.OWN), finance_refusal="Only a device from store stock can "
                    "be financed on EIP.")
    assert not panel.finance.isEnabled() and not panel.finance.isChecked()
    pick = panel.pick()
    assert isinstance(pick, PlanPick) and pick.terms is None


def test_review_lists_every_line_and_blocks_the_cart_until_each_is_complete(qtbot):
    panel = ReviewPanel()
    qtbot.addWidget(panel)
    dto = activation(ActivationKind.ADD_LINE, full_line(1), line(2),
                     warnings=("Keep your old service active until the transfer completes.",))
    panel.show_flow(flow_with(dto))
    texts = panel.table.texts()
    assert "(206) 555-0142" in texts and any("Apple iPhone 15" in t for t in texts)
    assert panel.reason.text() == "Line 2 is missing: device, sim, number, plan."
    assert not panel.cart_button.isEnabled() and "\u26a0 Keep your old service" in panel.warnings.text()
    panel.show_flow(flow_with(activation(ActivationKind.ADD_LINE, full_line(1))))
    assert panel.cart_button.isEnabled() and panel.cart_button.text().endswith("F12")


def test_status_shows_each_line_live_and_only_the_masked_esim_code(qtbot):
    panel = StatusPanel()
    qtbot.addWidget(panel)
    ported = full_line(2, msisdn=None, number_source=NumberSource.PORT_IN, status=LineActivationStatus.REJECTED,
                       reason="Transfer PIN invalid", port_in=port_in(status=PortStatus.REJECTED))
    dto = activation(ActivationKind.ADD_LINE, full_line(1, status=LineActivationStatus.QUEUED), ported,
                     status=ActivationStatus.QUEUED)
    flow = flow_with(replace(dto, status=ActivationStatus.DRAFT))
    flow.show(dto)
    panel.show_flow(flow)
    texts = panel.table.texts()
    assert "Paid \u2014 activation pending (waiting to be sent)" in texts
    assert "Rejected \u2014 fix and send again: Transfer PIN invalid" in texts
    assert panel.headline.text().endswith("a line needs attention (see its status).")
    assert not panel.fix_button.isHidden()
    panel.open_fix()
    assert not panel.fix_card.isHidden() and panel.fix.name.text() == "Dana Smith"
    panel.esim_sent(MASKED, shown=True)
    assert panel.esim.text() == f"eSIM code sent to the customer screen ({MASKED})"


def test_enter_on_a_review_row_asks_to_edit_that_line(qtbot):
    panel = ReviewPanel()
    qtbot.addWidget(panel)
    panel.show_flow(flow_with(activation(ActivationKind.ADD_LINE, full_line(1), full_line(2))))
    panel.table.selectRow(1)
    panel.table.setFocus()
    with qtbot.waitActive(panel):
        panel.show()
        panel.activateWindow()
    panel.table.setFocus()
    with qtbot.waitSignal(panel.edit_line) as got:
        qtbot.keyClick(panel.table, Qt.Key.Key_Return)
    assert got.args == [2]
