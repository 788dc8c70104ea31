"""The provisioning queue end to end on a real SQLite database with the carrier simulator: answers after a delay,
port-in rejections and holds, offline retries with backoff, the lost acknowledgement, DEAD after N tries, locally
held lines, and what an active answer changes in the customer's records."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from posapp.db.models import (
    Activation,
    ActivationLine,
    Device,
    Line,
    PoolNumber,
    PortIn,
    ProvisioningEvent,
    ProvisioningRequest,
)
from posapp.domain.activation import (
    ActivationStatus,
    LineActivationStatus,
    PoolStatus,
    PortStatus,
    ProvisioningEventKind,
    RequestAction,
    RequestStatus,
    SimKind,
)
from posapp.domain.enums import LineStatus
from posapp.events import LineStatusChanged
from posapp.services.activation.queue import backoff_delay
from tests.services.activation.builder import Built, iccid, imei, port_details, queued_line
from tests.services.activation.conftest import Rig

K = ProvisioningEventKind


def _line(services: Any, built: Built) -> ActivationLine:
    with services.uow.read() as s:
        row = s.get(ActivationLine, built.line_id)
        assert row is not None
        s.expunge(row)
        return row


def _request(services: Any, built: Built) -> ProvisioningRequest:
    with services.uow.read() as s:
        row = s.get(ProvisioningRequest, built.request_id)
        assert row is not None
        s.expunge(row)
        return row


def _events(services: Any, built: Built) -> list[tuple[str, str | None]]:
    with services.uow.read() as s:
        rows = s.execute(select(ProvisioningEvent.kind, ProvisioningEvent.reason_code)
                         .where(ProvisioningEvent.activation_line_id == built.line_id)
                         .order_by(ProvisioningEvent.at, ProvisioningEvent.id)).all()
    return [(k.value, code) for k, code in rows]


def _lines_with(services: Any, msisdn: str) -> list[Line]:
    with services.uow.read() as s:
        rows = list(s.scalars(select(Line).where(Line.msisdn == msisdn)))
        s.expunge_all()
        return rows


def _activation_status(services: Any, built: Built) -> ActivationStatus:
    with services.uow.read() as s:
        act = s.get(Activation, built.activation_id)
        assert act is not None
        return act.status


def _new_line(services: Any, employees: Any, account: Any, **kw: Any) -> Built:
    return queued_line(services, employees.rep, account_id=account.account_id,
                       account_number=account.account_number, **kw)


def test_a_new_line_is_active_after_the_carriers_delay(services: Any, employees: Any, account: Any,
                                                       rig: Rig) -> None:
    rig.carrier.delay_s = 10
    built = _new_line(services, employees, account, device_imei=imei(1))
    first = rig.queue.run_once()
    assert (first.sent, first.awaiting, first.queued) == (1, 1, 0)
    assert _line(services, built).status is LineActivationStatus.IN_PROGRESS
    rig.queue.run_once()
    assert _line(services, built).status is LineActivationStatus.IN_PROGRESS  # the delay has not passed
    assert _lines_with(services, built.msisdn) == []
    rig.clock.t += 10
    done = rig.queue.run_once()
    assert done.awaiting == 0 and done.answered == 1
    al = _line(services, built)
    assert al.status is LineActivationStatus.ACTIVE and al.activated_at is not None and al.line_id is not None
    [line] = _lines_with(services, built.msisdn)
    assert (line.id, line.status, line.account_id, line.plan_code) == (al.line_id, LineStatus.ACTIVE,
                                                                      account.account_id, "UNL-PLUS")
    assert json.loads(line.features) == ["HOTSPOT"] and line.iccid == al.iccid and line.activated_at is not None
    with services.uow.read() as s:
        device = s.scalar(select(Device).where(Device.imei == imei(1)))
        pool = s.scalar(select(PoolNumber).where(PoolNumber.msisdn == built.msisdn))
        assert device is not None and device.line_id == line.id and device.account_id == account.account_id
        assert device.status.value == "in_use"
        assert pool is not None and pool.status is PoolStatus.ASSIGNED
    assert _request(services, built).status is RequestStatus.DONE
    assert _events(services, built) == [("queued", None), ("submitted", None), ("in_progress", None),
                                        ("active", None)]
    assert _activation_status(services, built) is ActivationStatus.COMPLETED
    statuses = [e.status for e in rig.events if isinstance(e, LineStatusChanged)]
    assert statuses == ["submitted", "in_progress", "active"]
    assert rig.carrier.test_controls().completed(built.msisdn) == ("activate",)


@pytest.mark.parametrize(("details", "pin", "code"), [
    (port_details(account="EM00000000"), "4417", "ACCOUNT_MISMATCH"),
    (port_details(), "0000", "PIN_INVALID"),
    (port_details(zip_code="98101"), "4417", "NAME_ZIP_MISMATCH"),
])
def test_a_refused_port_in_rejects_the_line_with_the_reason_code(services: Any, employees: Any, account: Any,
                                                                 rig: Rig, details: Any, pin: str,
                                                                 code: str) -> None:
    built = _new_line(services, employees, account, action=RequestAction.PORT_IN, msisdn="+12065550181",
                      port=details)
    assert built.port_in_id is not None
    rig.pins.pins[built.port_in_id] = pin
    rig.queue.run_once()
    rig.queue.run_once()
    al = _line(services, built)
    assert al.status is LineActivationStatus.REJECTED and al.reason
    with services.uow.read() as s:
        port = s.get(PortIn, built.port_in_id)
        assert port is not None and port.status is PortStatus.REJECTED and port.reason_code == code
    assert _request(services, built).status is RequestStatus.DONE
    assert ("rejected", code) in _events(services, built)
    assert _lines_with(services, "+12065550181") == []
    assert _activation_status(services, built) is ActivationStatus.QUEUED  # open: fix and resubmit
    assert rig.carrier.test_controls().completed("+12065550181") == ()


def test_fix_and_resubmit_after_a_rejection_completes_the_port(services: Any, employees: Any, account: Any,
                                                               rig: Rig) -> None:
    from posapp.services.activation.queue import QUEUE_ACTOR
    from posapp.services.activation.requests import queue_line

    built = _new_line(services, employees, account, action=RequestAction.PORT_IN, msisdn="+12065550181",
                      port=port_details(name="Dana Whitfeld"))
    assert built.port_in_id is not None
    rig.pins.pins[built.port_in_id] = "4417"
    rig.queue.run_once()
    rig.queue.run_once()
    assert _line(services, built).status is LineActivationStatus.REJECTED
    with services.uow.write(QUEUE_ACTOR) as tx:  # what resubmit_port_in does: fixed details, a new request
        port = tx.session.get(PortIn, built.port_in_id)
        line = tx.session.get(ActivationLine, built.line_id)
        assert port is not None and line is not None
        port.name, port.attempt = "Dana Whitfield", 2
        payload = json.loads(_request(services, built).payload)
        payload["port"]["name"] = "Dana Whitfield"
        port.pin_held = True  # the PIN was dropped once the carrier accepted the first try: typed again
        queue_line(tx, line, RequestAction.PORT_IN, payload)
    assert built.port_in_id not in rig.pins.pins
    rig.pins.pins[built.port_in_id] = "4417"
    rig.queue.run_once()
    rig.queue.run_once()
    assert _line(services, built).status is LineActivationStatus.ACTIVE
    assert len(_lines_with(services, "+12065550181")) == 1
    assert rig.carrier.test_controls().completed("+12065550181") == ("port_in",)


def test_a_port_on_hold_completes_on_a_later_poll_and_texts_the_customer(services: Any, employees: Any,
                                                                       account: Any, rig: Rig) -> None:
    built = _new_line(services, employees, account, action=RequestAction.PORT_IN, msisdn="+12065550184",
                      port=port_details(account="EM90012277", name="tom  becker", zip_code="98115"))
    assert built.port_in_id is not None
    rig.pins.pins[built.port_in_id] = "8080"
    rig.queue.run_once()  # sent, in progress
    rig.queue.run_once()  # on hold
    al = _line(services, built)
    assert al.status is LineActivationStatus.ON_HOLD and al.reason and "old carrier" in al.reason
    with services.uow.read() as s:
        port = s.get(PortIn, built.port_in_id)
        assert port is not None and port.status is PortStatus.ON_HOLD and port.reason_code == "PENDING_OLD_CARRIER"
    assert rig.sms.sent() == []
    rig.queue.run_once()
    assert _line(services, built).status is LineActivationStatus.ACTIVE
    with services.uow.read() as s:
        port = s.get(PortIn, built.port_in_id)
        assert port is not None and port.status is PortStatus.COMPLETED and port.completed_at is not None
        assert not port.pin_held
    assert [k for k, _ in _events(services, built)] == ["queued", "submitted", "in_progress", "on_hold", "active"]
    [text] = rig.sms.sent()
    assert text.to_e164 == "+12065550184" and "0184" in text.text and "Evergreen Mobile" in text.text
    assert "8080" not in text.text
    assert built.port_in_id not in rig.pins.pins  # dropped once the carrier accepted the port


def test_offline_requests_stay_pending_with_retries_then_go_when_back_online(services: Any, employees: Any,
                                                                           account: Any, rig: Rig) -> None:
    built = _new_line(services, employees, account)
    rig.carrier.test_controls().go_offline()
    before = datetime.now(UTC)
    report = rig.queue.run_once()
    assert report.offline and (report.sent, report.retried, report.queued) == (0, 1, 1)
    al, req = _line(services, built), _request(services, built)
    assert al.status is LineActivationStatus.QUEUED and al.reason and al.reason.startswith("Pending")
    assert req.status is RequestStatus.QUEUED and req.attempts == 1 and req.last_error
    assert before + timedelta(seconds=29) < req.next_attempt_at < datetime.now(UTC) + timedelta(seconds=31)
    assert rig.queue.run_once().retried == 0  # not due again before the backoff
    rig.queue.run_once(now=datetime.now(UTC) + timedelta(seconds=31))
    assert _request(services, built).attempts == 2
    assert _request(services, built).next_attempt_at > datetime.now(UTC) + timedelta(seconds=59)
    assert [k for k, _ in _events(services, built)] == ["queued", "retry", "retry"]
    assert _line(services, built).status is LineActivationStatus.QUEUED  # pending, never done
    rig.carrier.test_controls().go_online()
    report = rig.queue.run_once(now=datetime.now(UTC) + timedelta(minutes=5))
    assert report.sent == 1 and not report.offline
    rig.queue.run_once()
    assert _line(services, built).status is LineActivationStatus.ACTIVE


def test_a_lost_acknowledgement_is_resent_with_the_same_id_and_activates_once(services: Any, employees: Any,
                                                                            account: Any, rig: Rig) -> None:
    built = _new_line(services, employees, account, device_imei=imei(2))
    rig.carrier.test_controls().time_out_next_submit()
    report = rig.queue.run_once()
    assert report.retried == 1 and _request(services, built).status is RequestStatus.QUEUED
    assert ("retry", "TIMEOUT") in _events(services, built)
    report = rig.queue.run_once(now=datetime.now(UTC) + timedelta(seconds=31))
    assert (report.sent, report.duplicates) == (1, 1)
    for _ in range(3):
        rig.queue.run_once()
    assert _line(services, built).status is LineActivationStatus.ACTIVE
    assert rig.carrier.test_controls().completed(built.msisdn) == ("activate",)
    assert len(_lines_with(services, built.msisdn)) == 1
    with services.uow.read() as s:
        assert s.scalar(select(func.count()).select_from(Device).where(Device.imei == imei(2))) == 1


def test_a_request_is_dead_after_n_tries_and_the_line_stays_pending(services: Any, employees: Any,
                                                                   account: Any, rig: Rig) -> None:
    built = _new_line(services, employees, account)
    rig.carrier.test_controls().go_offline()
    later = datetime.now(UTC)
    for _ in range(6):
        later += timedelta(hours=1)
        rig.queue.run_once(now=later)
    req, al = _request(services, built), _line(services, built)
    assert req.status is RequestStatus.DEAD and req.attempts == 4
    assert al.status is LineActivationStatus.QUEUED and al.reason and "Not sent after 4 tries" in al.reason
    assert _activation_status(services, built) is ActivationStatus.QUEUED
    assert [k for k, _ in _events(services, built)].count("retry") == 4
    rig.carrier.test_controls().go_online()
    assert rig.queue.run_once(now=later + timedelta(hours=1)).sent == 0  # dead: a person must act
    assert rig.queue.requeue_dead() == 1
    assert rig.queue.run_once().sent == 1


def test_a_line_held_here_is_not_sent(services: Any, employees: Any, account: Any, rig: Rig) -> None:
    built = _new_line(services, employees, account)
    with services.uow.write(employees.rep) as tx:
        al = tx.session.get(ActivationLine, built.line_id)
        assert al is not None
        al.status, al.reason = LineActivationStatus.ON_HOLD, "Number also given at terminal T02."
        tx.changed(al)
    report = rig.queue.run_once()
    assert report.sent == 0 and report.queued == 1
    assert _request(services, built).status is RequestStatus.QUEUED and _request(services, built).attempts == 0
    assert rig.carrier.test_controls().completed(built.msisdn) == ()


def test_an_upgrade_puts_the_new_device_on_the_line(services: Any, employees: Any, account: Any,
                                                    rig: Rig) -> None:
    line_id, old_imei = account.line_ids[0], account.imeis[0]
    built = _new_line(services, employees, account, action=RequestAction.UPGRADE, msisdn=account.msisdns[0],
                      device_imei=imei(3), existing_line_id=line_id)
    rig.queue.run_once()
    rig.queue.run_once()
    assert _line(services, built).status is LineActivationStatus.ACTIVE
    with services.uow.read() as s:
        new = s.scalar(select(Device).where(Device.imei == imei(3)))
        old = s.scalar(select(Device).where(Device.imei == old_imei))
        assert new is not None and new.line_id == line_id and new.account_id == account.account_id
        assert old is not None and old.line_id is None
    assert len(_lines_with(services, account.msisdns[0])) == 1
    assert rig.sms.sent() == []


def test_a_sim_change_replaces_the_iccid_and_texts_the_customer(services: Any, employees: Any, account: Any,
                                                               rig: Rig) -> None:
    line_id = account.line_ids[0]
    built = _new_line(services, employees, account, action=RequestAction.SIM_CHANGE, msisdn=account.msisdns[0],
                      existing_line_id=line_id, n=777)
    rig.queue.run_once()
    rig.queue.run_once()
    assert _line(services, built).status is LineActivationStatus.ACTIVE
    [line] = _lines_with(services, account.msisdns[0])
    assert line.iccid == iccid(777) != account.iccids[0]
    [text] = rig.sms.sent()
    assert text.to_e164 == account.msisdns[0] and "SIM" in text.text and account.msisdns[0][-4:] in text.text
    assert iccid(777) not in text.text


def test_moving_to_esim_sets_the_eid_and_clears_the_physical_sim(services: Any, employees: Any, account: Any,
                                                                rig: Rig) -> None:
    built = _new_line(services, employees, account, action=RequestAction.SIM_CHANGE, msisdn=account.msisdns[0],
                      existing_line_id=account.line_ids[0], sim_kind=SimKind.ESIM)
    rig.queue.run_once()
    rig.queue.run_once()
    assert _line(services, built).esim_code_masked
    [line] = _lines_with(services, account.msisdns[0])
    assert line.iccid is None and line.eid is not None


def test_backoff_doubles_up_to_the_cap() -> None:
    assert [backoff_delay(n).total_seconds() for n in range(1, 8)] == [30, 60, 120, 240, 480, 900, 900]
    assert backoff_delay(1, base_s=5, cap_s=12).total_seconds() == 5
    assert backoff_delay(3, base_s=5, cap_s=12).total_seconds() == 12


def test_the_activation_completes_only_when_every_line_is_final(services: Any, employees: Any, account: Any,
                                                                rig: Rig) -> None:
    first = _new_line(services, employees, account, msisdn="+12065550177")
    second = _new_line(services, employees, account, msisdn="+12065550181", action=RequestAction.PORT_IN,
                       port=port_details(account="WRONG"), into=first)
    assert second.activation_id == first.activation_id
    rig.queue.run_once()
    rig.queue.run_once()
    assert _line(services, first).status is LineActivationStatus.ACTIVE
    assert _line(services, second).status is LineActivationStatus.REJECTED
    assert _activation_status(services, first) is ActivationStatus.QUEUED  # the rejected port is still open


def test_a_number_already_live_fails_and_the_failed_activation_is_complete(services: Any, employees: Any,
                                                                           account: Any, rig: Rig) -> None:
    live = _new_line(services, employees, account, msisdn="+12065550178")
    again = _new_line(services, employees, account, msisdn="+12065550178", pool=False)
    rig.queue.run_once()
    rig.queue.run_once()
    assert _line(services, live).status is LineActivationStatus.ACTIVE
    al = _line(services, again)
    assert al.status is LineActivationStatus.FAILED and al.reason and "already active" in al.reason
    assert ("failed", "NUMBER_IN_USE") in _events(services, again)
    assert _activation_status(services, again) is ActivationStatus.COMPLETED
    assert len(_lines_with(services, "+12065550178")) == 1


def test_a_line_held_here_while_its_request_was_sent_keeps_its_hold(services: Any, employees: Any, account: Any,
                                                                    rig: Rig) -> None:
    built = _new_line(services, employees, account)
    [work] = rig.queue.due().send
    outcome = rig.queue.send(work)  # the carrier has it ...
    with services.uow.write(employees.rep) as tx:  # ... while sync holds the line (its number was doubled)
        al = tx.session.get(ActivationLine, built.line_id)
        assert al is not None
        al.status, al.reason = LineActivationStatus.ON_HOLD, "Number also given at terminal T02."
        tx.changed(al)
    rig.queue.record_sent(work, outcome)
    al = _line(services, built)
    assert al.status is LineActivationStatus.ON_HOLD and al.reason == "Number also given at terminal T02."
    assert _request(services, built).status is RequestStatus.SENT
