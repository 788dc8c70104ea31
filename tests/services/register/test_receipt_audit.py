"""Every render, reprint and e-mail-ready save of a receipt is audited; save_pdf writes <receipt_no>.pdf."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import select

from posapp.db.models import AuditEvent
from posapp.errors import NotFoundError, ValidationError
from posapp.services.registry import Services
from tests.helpers import staff
from tests.helpers.receipts import sell
from tests.receipts.tools import pdftotext


def _events(services: Services, receipt_no: str) -> list[tuple[str, dict[str, object], object]]:
    with services.uow.read() as session:
        rows = session.scalars(select(AuditEvent).where(AuditEvent.entity == "receipt",
                                                        AuditEvent.entity_id == receipt_no)
                               .order_by(AuditEvent.seq))
        return [(r.action, json.loads(r.details),
                 r.employee_id) for r in rows]


def test_render_then_reprints_and_save_are_audited(services: Services, employees: staff.Staff,
                                                   tmp_path: Path) -> None:
    no = sell(services, employees)
    rep = employees.rep
    assert services.receipts.render_count(no) == 0
    services.receipts.render(no, "thermal", tmp_path / "a.pdf", actor=rep)
    services.receipts.render(no, "letter", tmp_path / "b.pdf", actor=rep)
    saved = services.receipts.save_pdf(rep, no, tmp_path / "outbox", "letter")
    assert saved == tmp_path / "outbox" / f"{no}.pdf" and saved.exists()
    assert no in pdftotext(saved)
    events = _events(services, no)
    assert [(a, d["format"], d["purpose"]) for a, d, _ in events] == [
        ("receipt.render", "thermal", "print"), ("receipt.reprint", "letter", "print"),
        ("receipt.reprint", "letter", "email")]
    assert all(who == rep.employee_id for _, _, who in events)
    assert services.receipts.render_count(no) == 3
    services.receipts.render(no, "thermal", tmp_path / "cli.pdf")  # the admin CLI: the system actor
    assert _events(services, no)[-1][2] is None


def test_bad_requests_write_nothing(services: Services, employees: staff.Staff, tmp_path: Path) -> None:
    no = sell(services, employees)
    with pytest.raises(NotFoundError):
        services.receipts.save_pdf(employees.rep, "S001-T01-999999", tmp_path)
    with pytest.raises(ValidationError):
        services.receipts.save_pdf(employees.rep, "../../etc/passwd", tmp_path)
    with pytest.raises(ValidationError):
        services.receipts.render(no, "a4", tmp_path / "x.pdf", actor=employees.rep)  # type: ignore[arg-type]
    assert services.receipts.render_count(no) == 0 and not list(tmp_path.glob("*.pdf"))
