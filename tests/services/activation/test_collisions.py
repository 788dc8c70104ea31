"""collisions.hold_collided_lines on this terminal's own rows: of all lines claiming one key the earliest keeps it,
every later one is held (whatever order the claims reached the centre), settled lines and lines with the carrier
are left alone, and nothing happens twice."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from posapp.db.models import Activation, ActivationLine, ProvisioningEvent
from posapp.db.models.sync import SyncConflict
from posapp.domain.activation import (
    ActivationKind,
    ActivationStatus,
    LineActivationStatus,
    NumberSource,
    ProvisioningEventKind,
)
from posapp.services.activation.collisions import claim_summary, hold_collided_lines
from posapp.services.dto import SYSTEM_ACTOR
from posapp.services.registry import Services
from tests.helpers.staff import Staff

NUMBER = "+12065550142"
T0 = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)


def _line(services: Services, employees: Staff, n: int, minutes: int,
          status: LineActivationStatus = LineActivationStatus.QUEUED) -> uuid.UUID:
    with services.uow.write(employees.rep) as tx:
        act = Activation(number=f"ACT-{n}", kind=ActivationKind.ADD_LINE, status=ActivationStatus.QUEUED,
                         employee_id=employees.rep.employee_id)
        tx.add(act)
        line = ActivationLine(activation_id=act.id, line_no=1, status=status, number_source=NumberSource.POOL,
                              msisdn=NUMBER, created_at=T0 + timedelta(minutes=minutes))
        tx.add(line)
        return line.id


def _flag(services: Services, flagged: uuid.UUID, *others: uuid.UUID) -> None:
    """A conflict as the centre writes it: the claimant that arrived later, and the live ones before it."""
    store = services.core.settings.store_id
    detail = {"claim": "msisdn_assigned", "key": NUMBER,
              "others": [{"store_id": store, "entity": "activation_line", "entity_id": str(o)} for o in others]}
    with services.uow.write(SYSTEM_ACTOR) as tx:
        tx.session.add(SyncConflict(conflict_id=f"c-{flagged}", kind="uniqueness", entity="activation_line",
                                    entity_id=str(flagged), store_id=store, detail=json.dumps(detail),
                                    detected_at=T0.isoformat(), resolved=False))


def _status(services: Services, line_id: uuid.UUID) -> LineActivationStatus:
    with services.uow.read() as s:
        row = s.get(ActivationLine, line_id)
        assert row is not None
        return row.status


def test_all_but_the_earliest_are_held_whatever_the_arrival_order(services: Services, employees: Staff) -> None:
    a, b, c = (_line(services, employees, n, minutes) for n, minutes in ((1, 0), (2, 5), (3, 9)))
    # arrival at the centre: c first, then a (flagged, others c), then b (flagged, others c and a)
    _flag(services, a, c)
    _flag(services, b, c, a)
    held = hold_collided_lines(services.uow)
    assert sorted(held) == sorted([b, c])
    assert [_status(services, x) for x in (a, b, c)] == [LineActivationStatus.QUEUED, LineActivationStatus.ON_HOLD,
                                                         LineActivationStatus.ON_HOLD]
    terminal = services.core.settings.terminal_id
    with services.uow.read() as s:
        row = s.get(ActivationLine, c)
        assert row is not None
        assert row.reason == (f"+1 206-555-0142 was also given to another line at terminal {terminal}; "
                              "pick another number.")
        events = s.scalars(select(ProvisioningEvent.kind).where(ProvisioningEvent.activation_line_id == c)).all()
        assert events == [ProvisioningEventKind.HELD]
        summary = claim_summary(s, kind="uniqueness", entity="activation_line", entity_id=str(b),
                                detail=s.get(SyncConflict, f"c-{b}").detail,  # type: ignore[union-attr]
                                store_id=services.core.settings.store_id)
    assert summary == (f"Number +1 206-555-0142 was given to two lines while offline: ACT-1 line 1 at {terminal} "
                       f"keeps it; ACT-2 line 1 at {terminal} (on hold: pick another number); ACT-3 line 1 at "
                       f"{terminal} (on hold: pick another number).")
    assert hold_collided_lines(services.uow) == []              # nothing twice


def test_lines_with_the_carrier_or_settled_are_left(services: Services, employees: Staff) -> None:
    a = _line(services, employees, 1, 0)
    sent = _line(services, employees, 2, 5, LineActivationStatus.SUBMITTED)
    moved = _line(services, employees, 3, 7)
    with services.uow.write(employees.rep) as tx:
        row = tx.session.get(ActivationLine, moved)
        assert row is not None
        row.msisdn = "+12065550143"
        tx.changed(row, fields={"msisdn": row.msisdn})
    _flag(services, sent, a)
    _flag(services, moved, a, sent)
    assert hold_collided_lines(services.uow) == []
    assert _status(services, sent) is LineActivationStatus.SUBMITTED
    assert _status(services, moved) is LineActivationStatus.QUEUED
    with services.uow.read() as s:
        summary = claim_summary(s, kind="uniqueness", entity="activation_line", entity_id=str(moved),
                                detail=s.get(SyncConflict, f"c-{moved}").detail,  # type: ignore[union-attr]
                                store_id=services.core.settings.store_id)
    assert "ACT-2 line 1" in summary and "submitted: already with the carrier" in summary
    assert "ACT-3 line 1" in summary and "settled: now has another number" in summary
