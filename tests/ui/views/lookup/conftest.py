"""Fixtures for the Lookup page tests: accounts with lines and financed devices made through the real services
(the unit of work, as tests/services/conftest.py does), and a LookupPage on the real services and DB worker."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from PySide6.QtWidgets import QAbstractButton, QAbstractItemView, QComboBox, QLabel, QLineEdit, QListWidget, QWidget

from posapp.db.models import Account, AccountMember, Device, DeviceModel, FinancingAgreement, Line, Plan
from posapp.domain.enums import DeviceStatus, FinancingStatus, LineStatus, MemberRole, PlanKind
from posapp.domain.identifiers import luhn_check_digit
from posapp.services.customers import CustomerDraft
from ui.views.lookup.page import LookupPage

PIN = "739251"


@dataclass(frozen=True)
class Made:
    customer_id: uuid.UUID
    account_id: uuid.UUID
    account_number: str
    line_ids: tuple[uuid.UUID, ...]
    msisdns: tuple[str, ...]
    imeis: tuple[str, ...]


@pytest.fixture
def catalog(services: Any, employees: Any) -> None:
    with services.uow.write(employees.admin) as tx:
        tx.session.add(Plan(code="UNL-PLUS", name="Unlimited Plus", kind=PlanKind.POSTPAID, monthly_cents=6000,
                            data_gb=None, hotspot_gb=50, active=True))
        tx.session.add(DeviceModel(code="APL-IP15-128", make="Apple", model="iPhone 15", storage_gb=128,
                                   retail_cents=79999, tac="35467812", esim_capable=True, upc="194253408123"))


@pytest.fixture
def make_account(services: Any, employees: Any, catalog: None) -> Callable[..., Made]:
    counter = iter(range(1, 10_000))

    def make(first: str = "Ana", last: str = "Lopez", phone: str = "(206) 555-0142", *, lines: int = 2,
             opened_days_ago: int = 400, balance_cents: int = 12_345) -> Made:
        created = services.customers.create(
            employees.rep, CustomerDraft(first_name=first, last_name=last, phone=phone,
                                         address_line1="1500 Pike St", city="Seattle", state="WA",
                                         postal_code="98101", account_pin=PIN), confirmed_new=True)
        line_ids, msisdns, imeis = [], [], []
        with services.uow.write(employees.rep) as tx:
            acct = tx.session.get(Account, created.account_id)
            acct.opened_at = datetime.now(UTC) - timedelta(days=opened_days_ago)
            acct.balance_cents = balance_cents
            for i in range(lines):
                n = next(counter)
                msisdn = f"+1{''.join(c for c in phone if c.isdigit())[-10:]}" if i == 0 else f"+1425555{n:04d}"
                body = f"3546781200{n:04d}"
                imei = body + luhn_check_digit(body)
                iccid_body = f"890141032111{n:07d}"
                line = Line(account_id=acct.id, msisdn=msisdn, plan_code="UNL-PLUS", status=LineStatus.ACTIVE,
                            sim_protection=False, port_out_protection=False,
                            iccid=iccid_body + luhn_check_digit(iccid_body), eid=None,
                            activated_at=tx.now - timedelta(days=200))
                tx.add(line)
                dev = Device(imei=imei, imei2=None, model_code="APL-IP15-128", account_id=acct.id, line_id=line.id,
                             status=DeviceStatus.IN_USE, sold_by_carrier=True, purchased_at=tx.now,
                             warranty_end=date(2027, 6, 1))
                tx.add(dev)
                tx.add(FinancingAgreement(account_id=acct.id, device_id=dev.id, financed_cents=72000,
                                          down_payment_cents=7999, months=24, monthly_cents=3000,
                                          balance_cents=42000, start_date=date(2026, 1, 1),
                                          status=FinancingStatus.ACTIVE))
                line_ids.append(line.id)
                msisdns.append(msisdn)
                imeis.append(imei)
        return Made(created.customer_id, created.account_id, created.account_number, tuple(line_ids),
                    tuple(msisdns), tuple(imeis))

    return make


@pytest.fixture
def add_member(services: Any, employees: Any) -> Callable[..., uuid.UUID]:
    """Put a new person on ``account_id`` with ``role``; returns their customer id."""

    def add(account_id: uuid.UUID, first: str, last: str, phone: str, role: MemberRole) -> uuid.UUID:
        created = services.customers.create(employees.rep, CustomerDraft(first_name=first, last_name=last,
                                                                         phone=phone), confirmed_new=True)
        with services.uow.write(employees.rep) as tx:
            tx.add(AccountMember(account_id=account_id, customer_id=created.customer_id, role=role))
        return created.customer_id

    return add


@pytest.fixture
def page(qtbot: Any, services: Any, employees: Any, worker: Any) -> Iterator[LookupPage]:
    p = LookupPage(lookup=services.lookup, verification=services.verification, accounts=services.accounts,
                   customers=services.customers, interactions=services.interactions, sms=services.sms,
                   worker=worker, actor=employees.rep)
    p.resize(1032, 684)
    with qtbot.waitActive(p):
        p.show()
        p.activateWindow()
    yield p
    p.search.cancel()  # no search timer or job outlives the services
    qtbot.waitUntil(lambda: worker.pending == 0, timeout=10_000)
    p.close()
    p.deleteLater()


def visible_texts(root: QWidget) -> list[str]:
    """Every text the widget tree holds: labels, fields, buttons, combo items, list items and table cells."""
    out: list[str] = []
    for w in [root, *root.findChildren(QWidget)]:
        if isinstance(w, QLabel | QLineEdit):
            out.append(w.text())
        elif isinstance(w, QAbstractButton):
            out.append(w.text())
            out.append(w.toolTip())
        elif isinstance(w, QComboBox):
            out.extend(w.itemText(i) for i in range(w.count()))
        elif isinstance(w, QListWidget):
            out.extend(w.item(i).text() for i in range(w.count()))
        if isinstance(w, QAbstractItemView) and not isinstance(w, QListWidget | QComboBox):
            model = w.model()
            if model is not None:
                out.extend(str(model.data(model.index(r, c)) or "") for r in range(model.rowCount())
                           for c in range(model.columnCount()))
    return out


def code_in(text: str) -> str:
    found = re.search(r"\b(\d{6})\b", text)
    assert found is not None, text
    return found.group(1)
