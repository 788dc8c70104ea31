"""Fixtures for the Lookup page tests: accounts with lines and financed devices made through the real services
(the unit of work, as tests/services/conftest.py does), and a LookupPage on the real services and DB worker."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from PySide6.QtWidgets import QAbstractButton, QAbstractItemView, QComboBox, QLabel, QLineEdit, QListWidget, QWidget

from posapp.db.models import AccountMember
from posapp.domain.enums import MemberRole
from posapp.services.customers import CustomerDraft
from tests.helpers.accounts import ACCOUNT_PIN, MadeAccount
from ui.views.lookup.page import LookupPage

PIN = ACCOUNT_PIN


@pytest.fixture
def make_account(make_account: Callable[..., MadeAccount]) -> Callable[..., MadeAccount]:
    """The shared factory (tests/helpers/accounts.py) with this page's defaults: two lines and a balance due."""

    def make(*args: Any, lines: int = 2, balance_cents: int = 12_345, **kwargs: Any) -> MadeAccount:
        return make_account(*args, lines=lines, balance_cents=balance_cents, **kwargs)

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
