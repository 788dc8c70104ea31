"""The one-time code in three steps (DB worker, device worker, DB worker): the gateway is never called inside a
database transaction, the code stays out of the database, the audit and the logs, and a failed send voids it."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from sqlalchemy import select

from posapp.adapters.sms import SimulatedSmsGateway, SmsUnavailable
from posapp.adapters.unconfigured import NoSmsGateway
from posapp.db.models import AuditEvent, OneTimeCode
from posapp.errors import PosError, ValidationError
from posapp.services.verification import VerificationService


@pytest.fixture
def acct(make_account: Callable[..., Any]) -> Any:
    return make_account("Ana", "Lopez", "(206) 555-0142", lines=2, pin="739251")


@pytest.fixture
def visit(services: Any, employees: Any, acct: Any) -> Any:
    return services.verification.start_visit(employees.rep, account_id=acct.account_id,
                                              customer_id=acct.customer_id)


class WatchedGateway(SimulatedSmsGateway):
    """Notes, at each send, how many write transactions of the unit of work are open (0: the DB is not held)."""

    def __init__(self, open_writes: list[int]) -> None:
        super().__init__()
        self._open = open_writes
        self.open_at_send: list[int] = []

    def send(self, to_e164: str, text: str) -> str:
        self.open_at_send.append(self._open[0])
        return super().send(to_e164, text)


def _count_writes(uow: Any, monkeypatch: pytest.MonkeyPatch) -> list[int]:
    open_writes = [0]
    real = uow.write

    @contextmanager
    def write(*args: Any, **kwargs: Any) -> Iterator[Any]:
        with real(*args, **kwargs) as tx:
            open_writes[0] += 1
            try:
                yield tx
            finally:
                open_writes[0] -= 1

    monkeypatch.setattr(uow, "write", write)
    return open_writes


def _code(text: str | None) -> str:
    found = re.search(r"\b(\d{6})\b", text or "")
    assert found is not None
    return found.group(1)


def test_the_three_steps_commit_then_send_then_record(services: Any, employees: Any, acct: Any,
                                                      visit: Any, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    gateway = SimulatedSmsGateway()
    svc = VerificationService(uow=services.uow, sms=gateway)
    pending = svc.prepare_code(employees.rep, visit.id, line_id=acct.line_ids[0])
    assert "text" not in repr(pending) and pending.masked_msisdn.endswith("0142")
    with services.uow.read() as s:  # step 1 committed the hashed code and its pending send record
        otp = s.get(OneTimeCode, pending.otp_id)
        assert otp is not None and otp.sms_message_id is None
    assert gateway.sent() == []
    delivery = svc.deliver(pending)
    assert delivery.message_id is not None and delivery.error is None
    with services.uow.read() as s:  # step 2 wrote nothing
        assert s.get(OneTimeCode, pending.otp_id).sms_message_id is None  # type: ignore[union-attr]
    sent = svc.record_delivery(employees.rep, pending, delivery)
    assert sent.message_id == delivery.message_id
    controls = gateway.test_controls()
    code = _code(controls.message_text(sent.message_id))
    with services.uow.read() as s:
        otp = s.get(OneTimeCode, pending.otp_id)
        assert otp is not None and otp.sms_message_id == delivery.message_id
        assert code.encode() not in otp.code_hash + otp.code_salt
        audit = [(a, d) for a, d in s.execute(select(AuditEvent.action, AuditEvent.details)
                                              .where(AuditEvent.action.like("verify.code%")))]
    assert [a for a, _ in audit] == ["verify.code_pending", "verify.code_sent"]
    assert all(code not in (d or "") for _, d in audit)
    assert code not in caplog.text
    v = svc.check_code(employees.rep, visit.id, code)
    assert v.code_verified


def test_the_composed_send_never_calls_the_gateway_inside_a_transaction(
        services: Any, employees: Any, acct: Any, visit: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    gateway = WatchedGateway(_count_writes(services.uow, monkeypatch))
    svc = VerificationService(uow=services.uow, sms=gateway)
    sent = svc.send_code(employees.rep, visit.id, line_id=acct.line_ids[0])
    assert sent.masked_msisdn.endswith("0142")
    assert gateway.open_at_send == [0], "the gateway was called inside a database transaction"


def test_a_failed_send_is_recorded_and_voids_the_code(services: Any, employees: Any, acct: Any,
                                                      visit: Any) -> None:
    gateway = SimulatedSmsGateway(fail=True)
    svc = VerificationService(uow=services.uow, sms=gateway)
    pending = svc.prepare_code(employees.rep, visit.id, line_id=acct.line_ids[0])
    delivery = svc.deliver(pending)
    assert delivery.message_id is None and "fail" in (delivery.error or "")
    with pytest.raises(PosError, match="could not be sent"):
        svc.record_delivery(employees.rep, pending, delivery)
    code = _code(pending.text)
    with pytest.raises(ValidationError, match="expired"):
        svc.check_code(employees.rep, visit.id, code)
    with services.uow.read() as s:
        actions = list(s.scalars(select(AuditEvent.action).where(AuditEvent.action.like("verify.code%"))))
    assert "verify.code_send_failed" in actions and "verify.code_sent" not in actions


def test_a_gateway_error_that_echoes_the_text_keeps_no_digits(services: Any, employees: Any, acct: Any,
                                                               visit: Any) -> None:
    class Echo(SimulatedSmsGateway):
        def send(self, to_e164: str, text: str) -> str:
            raise SmsUnavailable(f"refused {to_e164}: {text}")

    svc = VerificationService(uow=services.uow, sms=Echo())
    pending = svc.prepare_code(employees.rep, visit.id, line_id=acct.line_ids[0])
    delivery = svc.deliver(pending)
    code = _code(pending.text)
    assert delivery.error is not None and "refused" in delivery.error and code not in delivery.error
    with pytest.raises(PosError) as failed:
        svc.record_delivery(employees.rep, pending, delivery)
    assert code not in str(failed.value)
    with services.uow.read() as s:
        assert all(code not in (d or "") for d in s.scalars(select(AuditEvent.details)))


def test_no_gateway_refuses_before_any_code_is_made(services: Any, employees: Any, acct: Any, visit: Any) -> None:
    svc = VerificationService(uow=services.uow, sms=NoSmsGateway())
    with pytest.raises(ValidationError, match="No SMS gateway configured"):
        svc.prepare_code(employees.rep, visit.id, line_id=acct.line_ids[0])
    with services.uow.read() as s:
        assert s.scalars(select(OneTimeCode)).first() is None


def test_gateway_errors_that_are_bugs_are_not_swallowed(services: Any, employees: Any, acct: Any,
                                                        visit: Any) -> None:
    class Broken(SimulatedSmsGateway):
        def send(self, to_e164: str, text: str) -> str:
            raise KeyError("bug")

    svc = VerificationService(uow=services.uow, sms=Broken())
    pending = svc.prepare_code(employees.rep, visit.id, line_id=acct.line_ids[0])
    with pytest.raises(KeyError):
        svc.deliver(pending)
    assert isinstance(SmsUnavailable("x"), RuntimeError)
