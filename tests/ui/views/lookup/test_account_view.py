"""The verified account view: actions follow the service's decisions (disabled with the reason), the service
refuses anyway, protections, AutoPay, alerts, members, and No Access members."""

from __future__ import annotations

import pytest

from posapp.domain.account_rules import AccountAction
from posapp.domain.enums import MemberRole
from posapp.errors import PermissionDenied
from tests.ui.views.lookup.conftest import PIN


def verified_visit(qtbot, page, services, employees, account, customer_id):
    """Start and verify a visit through the services, then show it on the page (the flow test does the UI)."""
    svc, rep = services.verification, employees.rep
    visit = svc.start_visit(rep, account_id=account.account_id, customer_id=customer_id)
    svc.record_photo_id(rep, visit.id, id_type="passport", matched=True)
    visit = svc.check_pin(rep, visit.id, PIN)
    page.visit = visit
    with qtbot.waitSignal(page.verified, timeout=5_000):
        page.verify.verified.emit(visit)
    return visit


def test_restricted_member_sees_the_account_but_actions_are_disabled_and_refused(
        qtbot, page, services, employees, make_account, add_member):
    ana = make_account("Ana", "Lopez", "(206) 555-0142")
    kid = add_member(ana.account_id, "Leo", "Lopez", "(206) 555-0199", MemberRole.RESTRICTED)
    visit = verified_visit(qtbot, page, services, employees, ana, kid)
    view = page.account
    assert view.screen is not None and view.screen.details is not None
    sim = view.lines.sim
    assert sim.text() == "Turn on SIM protection"
    assert not sim.isEnabled() and sim.toolTip() == "A Restricted on this account cannot do this."
    assert not view.payments.enrol.isEnabled() and "Restricted" in view.payments.enrol.toolTip()
    assert all(not box.isEnabled() for box in view.payments.alert_boxes.values())
    assert view.case_panel.add.isEnabled()  # notes are for everyone
    with pytest.raises(PermissionDenied):
        services.accounts.set_protection(employees.rep, visit.id, line_id=ana.line_ids[0], which="sim", on=True)
    assert not services.accounts.screen(employees.rep, visit.id).actions[AccountAction.ADD_PROTECTION].allowed


def test_primary_holder_turns_sim_protection_on(qtbot, page, services, employees, make_account):
    ana = make_account("Ana", "Lopez", "(206) 555-0142")
    visit = verified_visit(qtbot, page, services, employees, ana, ana.customer_id)
    lines = page.account.lines
    lines.table.selectRow(0)
    assert lines.sim.isEnabled() and lines.sim.text() == "Turn on SIM protection"
    with qtbot.waitSignal(lines.line_changed, timeout=5_000) as changed:
        lines.sim.click()
    assert changed.args[0].sim_protection
    assert lines.table.item(0, 4).text() == "SIM: On\nPort-out: Off" and lines.sim.text() == "Remove SIM protection"
    screen = services.accounts.screen(employees.rep, visit.id)
    assert screen.details.lines[0].sim_protection


def test_autopay_enrol_with_debit_then_cancel(qtbot, page, services, employees, make_account):
    ana = make_account("Ana", "Lopez", "(206) 555-0142", lines=2)
    verified_visit(qtbot, page, services, employees, ana, ana.customer_id)
    tab = page.account.payments
    assert tab.state.text() == "Not enrolled" and not tab.cancel.isEnabled()
    tab.method.setCurrentIndex(tab.method.findData("debit"))
    tab.last4.setText("4321")
    with qtbot.waitSignal(tab.autopay_changed, timeout=5_000) as enrolled:
        tab.enrol.click()
    assert enrolled.args[0].discount_cents == 1000
    assert tab.state.text() == "Enrolled · Debit card ••4321 · discount $10.00/mo"
    assert page.account.autopay.text().startswith("AutoPay: Enrolled") and tab.cancel.isEnabled()
    with qtbot.waitSignal(tab.autopay_changed, timeout=5_000):
        tab.cancel.click()
    assert tab.state.text() == "Not enrolled"


def test_autopay_refuses_a_wrong_last4_inline(qtbot, page, services, employees, make_account):
    ana = make_account("Ana", "Lopez", "(206) 555-0142")
    verified_visit(qtbot, page, services, employees, ana, ana.customer_id)
    tab = page.account.payments
    tab.last4.setText("12")
    tab.enrol.click()
    qtbot.waitUntil(lambda: not tab.pay_error.isHidden(), timeout=5_000)
    assert "last 4 digits" in tab.pay_error.text()


def test_alert_toggle_is_saved(qtbot, page, services, employees, make_account):
    ana = make_account("Ana", "Lopez", "(206) 555-0142")
    visit = verified_visit(qtbot, page, services, employees, ana, ana.customer_id)
    box = page.account.payments.alert_boxes[next(iter(page.account.payments.alert_boxes))]
    box.click()
    qtbot.waitUntil(lambda: any(a.enabled for a in
                                services.accounts.screen(employees.rep, visit.id).details.alerts), timeout=5_000)


def test_tabs_show_devices_members_and_the_case(qtbot, page, services, employees, make_account, add_member):
    ana = make_account("Ana", "Lopez", "(206) 555-0142")
    add_member(ana.account_id, "Leo", "Lopez", "(206) 555-0199", MemberRole.AUTHORIZED)
    visit = verified_visit(qtbot, page, services, employees, ana, ana.customer_id)
    view = page.account
    assert view.devices.table.rowCount() == 2
    assert "TAC 35467812" in view.devices.table.item(0, 0).text()
    assert [view.members.table.item(r, 1).text() for r in range(2)] == ["Primary Account Holder", "Authorized User"]
    assert view.case_panel.title.text() == f"THIS VISIT · CASE {visit.case_number}"


def test_a_no_access_member_gets_no_details_but_can_record_the_case(
        qtbot, page, services, employees, make_account, add_member):
    ana = make_account("Ana", "Lopez", "(206) 555-0142")
    other = add_member(ana.account_id, "Max", "Lopez", "(206) 555-0177", MemberRole.NO_ACCESS)
    verified_visit(qtbot, page, services, employees, ana, other)
    view = page.account
    assert view.screen.details is None and view.notice.isVisible() and "No Access" in view.notice.text()
    assert view.tabs.currentWidget() is view.case_panel
    assert not any(view.tabs.isTabVisible(i) for i in range(view.tabs.count() - 1))
    assert view.balance.text() == "" and view.lines.table.rowCount() == 0
