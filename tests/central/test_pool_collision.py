"""One pool number picked at two terminals while offline, one IMEI activated at two stores: detected at sync, the
later line on hold with its reason, the earlier one still queued; sync never wedges (SQLite and PostgreSQL)."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

import pytest
from sqlalchemy import select

from posapp.central import models as m
from posapp.central import pool as hq
from posapp.central.store import CentralStore
from posapp.cli import main
from posapp.db.models import Activation, ActivationLine, PoolNumber, ProvisioningEvent, ProvisioningRequest
from posapp.demo.sales import sim_rep
from posapp.domain.activation import (
    ActivationKind,
    ActivationStatus,
    DeviceSource,
    LineActivationStatus,
    NumberSource,
    ProvisioningEventKind,
    RequestAction,
    RequestStatus,
    SimKind,
)
from posapp.services.activation import pool
from posapp.services.activation.requests import queue_line
from posapp.services.registry import Services
from tests.sync.terminals import open_terminal

NUMBER = "+12065550142"
IMEI = "356938035643809"


def _url(central: CentralStore) -> str:
    return central.engine.url.render_as_string(hide_password=False)


def _paid_line(services: Services, msisdn: str, *, imei: str | None = None) -> uuid.UUID:
    """An activation picked at the counter with a pool number (and a customer's own device), paid: queued."""
    rep = sim_rep(services)
    terminal = services.core.settings.terminal_id
    with services.uow.write(rep) as tx:
        act = Activation(number=f"{services.core.settings.store_id}-{terminal}-{uuid.uuid4().hex[:6]}",
                         kind=ActivationKind.ADD_LINE, status=ActivationStatus.QUEUED, employee_id=rep.employee_id)
        tx.add(act)
        line = ActivationLine(activation_id=act.id, line_no=1, status=LineActivationStatus.PENDING_PAYMENT,
                              number_source=NumberSource.POOL, msisdn=msisdn, sim_kind=SimKind.ESIM,
                              device_source=DeviceSource.OWN if imei else None, imei=imei)
        tx.add(line)
        pool.reserve(tx, msisdn, line)
        queue_line(tx, line, RequestAction.ACTIVATE, {"activation": act.number, "kind": act.kind.value,
                                                      "line_no": 1, "msisdn": msisdn, "sim_kind": "esim"})
        return line.id


def _line(services: Services, line_id: uuid.UUID) -> ActivationLine:
    with services.uow.read() as s:
        row = s.get(ActivationLine, line_id)
        assert row is not None
        return row


def _reserved_by(services: Services, msisdn: str) -> uuid.UUID | None:
    with services.uow.read() as s:
        row = s.scalar(select(PoolNumber).where(PoolNumber.msisdn == msisdn))
        assert row is not None
        return row.reserved_by_line_id


def _live_claims(central: CentralStore, kind: str) -> dict[str, list[str]]:
    c = m.claim.c
    with central.engine.connect() as conn:
        rows = conn.execute(select(c.claim_key, c.entity_id).where(c.kind == kind, c.released.is_(False))
                            .order_by(c.claim_key, c.entity_id)).all()
    out: dict[str, list[str]] = {}
    for key, entity_id in rows:
        out.setdefault(str(key), []).append(str(entity_id))
    return out


def _request_status(services: Services, line_id: uuid.UUID) -> RequestStatus:
    with services.uow.read() as s:
        req = s.scalar(select(ProvisioningRequest).where(ProvisioningRequest.activation_line_id == line_id))
        assert req is not None
        return req.status


def test_one_pool_number_picked_at_two_terminals_offline(tmp_path: Path, central: CentralStore,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    hq.assign(central, "S001", [NUMBER, "+12065550143"])
    t1 = open_terminal(tmp_path / "t1", "S001", "T01", central_url=_url(central))
    t2 = open_terminal(tmp_path / "t2", "S001", "T02", central_url=_url(central))
    try:
        assert t1.sync.run_now().ok and t2.sync.run_now().ok          # both have the store's pool
        # offline: T02 gives the number to a line first, T01 a moment later; T01 reaches the centre first
        early = _paid_line(t2, NUMBER)
        late = _paid_line(t1, NUMBER)
        assert _line(t1, late).created_at > _line(t2, early).created_at
        r1 = t1.sync.run_now()
        r2 = t2.sync.run_now()                 # the centre flags T02's claim (it came second); T02's line is earlier
        assert r1.ok and r2.ok and r2.new_conflicts >= 1, (r1, r2)
        assert _line(t2, early).status is LineActivationStatus.QUEUED   # the earlier line proceeds
        r1 = t1.sync.run_now()                 # T01 pulls T02's line and the conflict: its own later line is held
        assert r1.ok and not r1.diverged, r1
        held = _line(t1, late)
        assert held.status is LineActivationStatus.ON_HOLD
        assert held.reason == "+1 206-555-0142 was also given to another line at terminal T02; pick another number."
        assert _request_status(t1, late) is RequestStatus.QUEUED       # still in the queue; the sender skips it
        with t1.uow.read() as s:
            kinds = [e.kind for e in s.scalars(select(ProvisioningEvent)
                                               .where(ProvisioningEvent.activation_line_id == late))]
        assert kinds == [ProvisioningEventKind.QUEUED, ProvisioningEventKind.HELD]
        # everything converges: T02 sees T01's line on hold, the pool row is the earlier line's everywhere
        for _ in range(2):
            assert t2.sync.run_now().ok and t1.sync.run_now().ok
        for t in (t1, t2):
            assert _line(t, late).status is LineActivationStatus.ON_HOLD
            assert _line(t, early).status is LineActivationStatus.QUEUED
            assert _reserved_by(t, NUMBER) == early
            assert t.sync.verify().ok
            listed = [c for c in t.sync.conflicts() if c.kind == "uniqueness"]
            assert len(listed) == 1, listed
            summary = listed[0].summary
            assert summary.startswith("Number +1 206-555-0142 was given to two lines while offline: ")
            assert "line 1 at T02 keeps it" in summary and "line 1 at T01 (on hold: pick another number)" in summary
        capsys.readouterr()
        assert main(["--data-dir", str(tmp_path / "t1"), "sync", "conflicts"]) == 0
        text = capsys.readouterr().out
        assert "uniqueness   Number +1 206-555-0142 was given to two lines while offline:" in text, text
        central_pool = {d["msisdn"]: d for d in central.rows("S001", "pool_number").values()}
        assert central_pool[NUMBER]["reserved_by_line_id"] == str(early)
        assert _request_status(t2, early) is RequestStatus.QUEUED
        # the rep at T01 picks another number: the line is settled, nothing is held again
        with t1.uow.write(sim_rep(t1)) as tx:
            row = tx.session.get(ActivationLine, late)
            assert row is not None
            pool.reserve(tx, "+12065550143", row)
            row.msisdn, row.status, row.reason = "+12065550143", LineActivationStatus.QUEUED, None
            tx.changed(row, fields={"msisdn": row.msisdn, "status": "queued", "reason": None})
        assert t1.sync.run_now().ok and t2.sync.run_now().ok and t1.sync.run_now().ok
        assert _line(t1, late).status is LineActivationStatus.QUEUED
        settled = next(c for c in t2.sync.conflicts() if c.kind == "uniqueness")
        assert "settled: now has another number" in settled.summary
        reserved = {d["msisdn"]: d["reserved_by_line_id"] for d in central.rows("S001", "pool_number").values()}
        assert reserved == {NUMBER: str(early), "+12065550143": str(late)}
        assert _live_claims(central, "msisdn_assigned") == {NUMBER: [str(early)], "+12065550143": [str(late)]}
    finally:
        t1.close()
        t2.close()


def test_one_imei_activated_at_two_stores(tmp_path: Path, central: CentralStore) -> None:
    hq.assign(central, "SA", ["+12065550142"])
    hq.assign(central, "SB", ["+14255550142"])
    a = open_terminal(tmp_path / "a", "SA", "T01", central_url=_url(central))
    b = open_terminal(tmp_path / "b", "SB", "T01", central_url=_url(central))
    try:
        assert a.sync.run_now().ok and b.sync.run_now().ok
        first = _paid_line(a, "+12065550142", imei=IMEI)
        second = _paid_line(b, "+14255550142", imei=IMEI)
        assert a.sync.run_now().ok
        report = b.sync.run_now()
        assert report.ok and report.new_conflicts == 1, report
        held = _line(b, second)
        assert held.status is LineActivationStatus.ON_HOLD
        assert held.reason == f"IMEI {IMEI} is also being activated on another line at store SA; check the device."
        assert _line(a, first).status is LineActivationStatus.QUEUED
        listed = [c for c in b.sync.conflicts() if c.kind == "uniqueness"]
        assert json.loads(listed[0].detail)["claim"] == "imei_activation"
        assert listed[0].summary.startswith(f"IMEI {IMEI} was given to two lines while offline: a line at store SA")
        assert a.sync.run_now().ok and b.sync.run_now().ok
        assert a.sync.verify().ok and b.sync.verify().ok
        assert [c for c in a.sync.conflicts() if c.kind == "uniqueness"] == []   # flagged where it came second
    finally:
        a.close()
        b.close()
