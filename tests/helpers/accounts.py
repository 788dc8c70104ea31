"""Accounts with lines and financed devices, made through the real services and the unit of work.

Shared by the service tests and the UI tests (registered in tests/conftest.py).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from posapp.db.models import Account, Customer, Device, DeviceModel, FinancingAgreement, Line, Plan
from posapp.domain.enums import DeviceStatus, FinancingStatus, LineStatus, PlanKind
from posapp.domain.identifiers import luhn_check_digit
from posapp.services.customers import CustomerDraft

ACCOUNT_PIN = "739251"


@dataclass(frozen=True)
class MadeAccount:
    customer_id: uuid.UUID
    account_id: uuid.UUID
    account_number: str
    line_ids: tuple[uuid.UUID, ...]
    msisdns: tuple[str, ...]
    imeis: tuple[str, ...]
    iccids: tuple[str, ...]


@pytest.fixture
def catalog(services: Any, employees: Any) -> None:
    with services.uow.write(employees.admin) as tx:
        tx.session.add(Plan(code="UNL-PLUS", name="Unlimited Plus", kind=PlanKind.POSTPAID, monthly_cents=6000,
                            data_gb=None, hotspot_gb=50, active=True))
        tx.session.add(DeviceModel(code="APL-IP15-128", make="Apple", model="iPhone 15", storage_gb=128,
                                   retail_cents=79999, tac="35467812", esim_capable=True, upc="194253408123"))


@pytest.fixture
def make_account(services: Any, employees: Any, catalog: None) -> Callable[..., MadeAccount]:
    counter = iter(range(1, 10_000))

    def make(first: str = "Ana", last: str = "Lopez", phone: str = "(206) 555-0142", *,
             email: str = "", lines: int = 1, pin: str = ACCOUNT_PIN, opened_days_ago: int = 400,
             financed: bool = True, balance_cents: int = 0) -> MadeAccount:
        created = services.customers.create(
            employees.rep, CustomerDraft(first_name=first, last_name=last, phone=phone, email=email,
                                         address_line1="1500 Pike St", city="Seattle", state="WA",
                                         postal_code="98101", account_pin=pin), confirmed_new=True)
        line_ids, msisdns, imeis, iccids = [], [], [], []
        with services.uow.write(employees.rep) as tx:
            acct = tx.session.get(Account, created.account_id)
            assert acct is not None
            acct.opened_at = datetime.now(UTC) - timedelta(days=opened_days_ago)
            acct.balance_cents = balance_cents
            cust = tx.session.get(Customer, created.customer_id)
            assert cust is not None
            for i in range(lines):
                n = next(counter)
                msisdn = cust.phone_e164 if i == 0 else f"+1425555{n:04d}"
                body = f"3546781200{n:04d}"
                imei = body + luhn_check_digit(body)
                iccid_body = f"890141032111{n:07d}"
                iccid = iccid_body + luhn_check_digit(iccid_body)
                line = Line(account_id=acct.id, msisdn=msisdn, plan_code="UNL-PLUS", status=LineStatus.ACTIVE,
                            sim_protection=False, port_out_protection=False, iccid=iccid, eid=None,
                            activated_at=tx.now - timedelta(days=200))
                tx.add(line)
                dev = Device(imei=imei, imei2=None, model_code="APL-IP15-128", account_id=acct.id, line_id=line.id,
                             status=DeviceStatus.IN_USE, sold_by_carrier=True, purchased_at=tx.now,
                             warranty_end=date(2027, 6, 1))
                tx.add(dev)
                if financed:
                    tx.add(FinancingAgreement(account_id=acct.id, device_id=dev.id, financed_cents=72000,
                                              down_payment_cents=7999, months=24, monthly_cents=3000,
                                              balance_cents=42000, start_date=date(2026, 1, 1),
                                              status=FinancingStatus.ACTIVE))
                line_ids.append(line.id)
                msisdns.append(msisdn)
                imeis.append(imei)
                iccids.append(iccid)
        return MadeAccount(created.customer_id, created.account_id, created.account_number, tuple(line_ids),
                           tuple(msisdns), tuple(imeis), tuple(iccids))

    return make
