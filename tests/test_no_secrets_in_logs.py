"""No PIN, one-time code, card number, activation code or unmasked PII ever reaches a log file."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from posapp.errors import AuthenticationError, ValidationError
from posapp.logs import report_exception, setup_logging
from posapp.services.customers import CustomerDraft


@pytest.fixture
def log_file(services: Any) -> Iterator[Path]:
    path = setup_logging(services.core.paths.logs, level=logging.DEBUG)
    yield path
    for h in list(logging.getLogger().handlers):
        if getattr(h, "_posapp", False):
            logging.getLogger().removeHandler(h)
            h.close()


def test_flows_leave_no_secret_in_the_logs(services: Any, employees: Any, log_file: Path) -> None:
    secrets_used = ["2580", "3691", "4826", "7391", "739251", "206-555-0142", "2065550142", "+12065550142", "5550142",
                    "ana.lopez@example.com", "4111111111111111", "LPA:1$smdp.example.com$ABCD-1234"]
    with pytest.raises(AuthenticationError):
        services.auth.sign_in("1001", "7391")
    services.auth.sign_in("1001", "2580")
    made = services.customers.create(employees.rep, CustomerDraft(
        first_name="Ana", last_name="Lopez", phone="(206) 555-0142", email="ana.lopez@example.com",
        account_pin="739251"), confirmed_new=True)
    secrets_used.append(made.account_number)
    for q in ("(206) 555-0142", "ana.lopez@example.com", made.account_number, "Ana Lopez"):
        services.lookup.search(employees.rep, q)
    visit = services.verification.start_visit(employees.rep, account_id=made.account_id,
                                              customer_id=made.customer_id)
    services.verification.record_photo_id(employees.rep, visit.id, id_type="passport", matched=True)
    with pytest.raises(ValidationError):
        services.verification.check_pin(employees.rep, visit.id, "739252")
    services.verification.check_pin(employees.rep, visit.id, "739251")
    try:
        raise RuntimeError("card 4111 1111 1111 1111 for ana.lopez@example.com at +1 206 555 0142 "
                           "code LPA:1$smdp.example.com$ABCD-1234")
    except RuntimeError as exc:
        report_exception(exc, context="test")
    for h in logging.getLogger().handlers:
        h.flush()
    text = "\n".join(p.read_text() for p in log_file.parent.glob("*.log*"))
    assert "signed_in" in text or "auth.sign_in" in text, "the flows were logged"
    digits_only = re.sub(r"\D", "", text)
    for secret in secrets_used:  # as a token of its own: a UUID or timestamp may contain the digits by chance
        assert not re.search(rf"(?<![\w.-]){re.escape(secret)}(?![\w-])", text), secret
    assert "4111111111111111" not in digits_only
    assert "739251" not in text
