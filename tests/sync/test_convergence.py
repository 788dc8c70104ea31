"""Which entities a sync run compares with the central store (docs/sync.md, "Convergence check").

Only the entities a run pushed or pulled (or that differed last time) are compared after it; every entity at least
every ``sync_full_check_hours``, and always by ``verify``. The digests asked of the centre are counted through a
transport wrapper around the real in-process transport; rows are lost "silently" with plain sqlite3, behind the
app's back."""

from __future__ import annotations

import sqlite3
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from posapp.central.store import CentralStore
from posapp.central.transport import InProcessTransport
from posapp.services.customers import CustomerDraft
from posapp.services.registry import Services
from posapp.sync.engine import CHECKED_PREFIX, DIRTY_KEY, SyncEngine
from posapp.sync.protocol import DigestRequest, DigestResponse, PullRequest, PullResponse, TransportError
from tests.sync.terminals import open_terminal
from tests.sync.test_engine import _rep


class CountingTransport(InProcessTransport):
    """The real in-process transport, recording the entities of every digest request (and failing on demand)."""

    def __init__(self, central: CentralStore) -> None:
        super().__init__(central)
        self.digests: list[tuple[str, ...]] = []
        self.fail_digest = False
        self.fail_pull = False

    def pull(self, request: PullRequest) -> PullResponse:
        if self.fail_pull:
            raise TransportError("link dropped before the pull")
        return super().pull(request)

    def digest(self, request: DigestRequest) -> DigestResponse:
        if self.fail_digest:
            raise TransportError("link dropped before the digest")
        self.digests.append(tuple(request.entities))
        return super().digest(request)

    def take(self) -> list[tuple[str, ...]]:
        out, self.digests = self.digests, []
        return out


@pytest.fixture
def central(tmp_path: Path) -> Iterator[CentralStore]:
    store = CentralStore.open(f"sqlite+pysqlite:///{tmp_path / 'central.sqlite'}", create=True)
    try:
        yield store
    finally:
        store.close()


def _customers(services: Services, n: int, start: int = 0) -> list[uuid.UUID]:
    return [services.customers.create(_rep(services), CustomerDraft(
        first_name="Dana", last_name=f"Lee{i}", phone=f"+1206555{i:04d}", email=f"d{i}@example.com"),
        confirmed_new=True).customer_id for i in range(start, start + n)]


def _sql(services: Services, sql: str, *params: object) -> list[tuple[object, ...]]:
    con = sqlite3.connect(services.core.paths.database)
    try:
        with con:
            return list(con.execute(sql, params))
    finally:
        con.close()


def _lose_customer(services: Services, customer_id: uuid.UUID) -> None:
    """A row gone behind the app's back (a bad disk, a restored old copy): no outbox entry, no sync state."""
    assert _sql(services, "DELETE FROM customer WHERE id = ? RETURNING id", customer_id.hex)


def _backdate(services: Services, entity: str, hours: float) -> None:
    at = (datetime.now(UTC) - timedelta(hours=hours)).isoformat()
    assert _sql(services, "UPDATE sync_state SET value = ? WHERE key = ? RETURNING key", at, CHECKED_PREFIX + entity)


def test_a_quiet_run_compares_nothing_and_a_run_only_what_it_pushed_or_pulled(tmp_path: Path,
                                                                               central: CentralStore) -> None:
    transport = CountingTransport(central)
    t1, t2 = open_terminal(tmp_path / "t1", "SA", "T1"), open_terminal(tmp_path / "t2", "SA", "T2")
    e1, e2 = SyncEngine(t1.core, transport), SyncEngine(t2.core, transport)
    try:
        everything = set(e1.digest_entities())
        assert {"customer", "line", "sale", "account"} <= everything
        _customers(t1, 3)
        first = e1.run_once()                           # never compared before: every entity
        assert first.ok and first.checked == len(everything) and transport.take() == [tuple(e1.digest_entities())]

        quiet = e1.run_once()                           # nothing pushed, nothing pulled: no digest at all
        assert quiet.ok and quiet.pushed == quiet.pulled == 0 and quiet.checked == 0 and transport.take() == []

        _customers(t1, 1, start=10)                     # one new customer: only what the run pushed is compared
        pushed = {str(r[0]) for r in _sql(t1, "SELECT DISTINCT entity FROM sync_outbox WHERE acked_at IS NULL")}
        report = e1.run_once()
        asked = transport.take()
        assert report.ok and report.pushed > 0 and len(asked) == 1
        assert set(asked[0]) == pushed & everything and "customer" in asked[0] and "line" not in asked[0]

        assert e2.run_once().ok                         # T2's first run: all of it (nothing checked yet)
        transport.take()
        _customers(t1, 1, start=20)
        assert e1.run_once().ok
        transport.take()
        pulled = e2.run_once()                          # T2 pulls T1's customer: compares what it pulled
        assert pulled.ok and pulled.pulled > 0 and "customer" in transport.take()[0]
        assert e2.run_once().checked == 0 and transport.take() == []
        assert {r[2] for r in _sql(t2, "SELECT id, first_name, last_name FROM customer")} >= {"Lee20"}
    finally:
        e1.close()
        e2.close()
        t1.close()
        t2.close()


def test_a_row_lost_in_an_untouched_entity_is_found_by_the_full_check_and_by_verify(tmp_path: Path,
                                                                                      central: CentralStore) -> None:
    transport = CountingTransport(central)
    t1 = open_terminal(tmp_path / "t1", "SA", "T1")
    engine = SyncEngine(t1.core, transport)
    assert engine.full_check == timedelta(hours=6)      # the setting's default
    try:
        ids = _customers(t1, 3)
        assert engine.run_once().ok
        transport.take()

        _lose_customer(t1, ids[0])
        quiet = engine.run_once()                       # untouched entity, checked recently: not compared yet
        assert quiet.ok and quiet.checked == 0 and transport.take() == []

        _backdate(t1, "customer", 5)                    # 5 h ago: still within sync_full_check_hours = 6
        assert engine.run_once().checked == 0
        _backdate(t1, "customer", 7)                    # 7 h ago: due -> compared alone, found, rebuilt
        found = engine.run_once()
        assert transport.take() == [("customer",)]
        assert found.ok and found.checked == 1 and found.rebuilt == ("customer",) and found.diverged == ()
        assert len(_sql(t1, "SELECT id FROM customer WHERE id = ?", ids[0].hex)) == 1

        # verify compares every entity whenever it is run; what it finds is rebuilt by the very next run
        _lose_customer(t1, ids[1])
        check = engine.verify()
        assert not check.ok and check.differing == ("customer",)
        assert transport.take() == [tuple(engine.digest_entities())]
        assert "customer" in str(_sql(t1, "SELECT value FROM sync_state WHERE key = ?", DIRTY_KEY)[0][0])
        fixed = engine.run_once()
        assert fixed.ok and fixed.rebuilt == ("customer",) and transport.take() == [("customer",)]
        assert engine.verify().ok and engine.run_once().checked == 0

        # sync_full_check_hours = 0: the old behaviour, every entity after every run
        every = SyncEngine(t1.core, transport, full_check=timedelta(0))
        _lose_customer(t1, ids[2])
        report = every.run_once()
        every.close()
        assert report.rebuilt == ("customer",) and report.checked == len(engine.digest_entities())
    finally:
        engine.close()
        t1.close()


def test_entities_pushed_by_a_run_cut_off_before_its_check_are_compared_by_the_next(tmp_path: Path,
                                                                                     central: CentralStore) -> None:
    transport = CountingTransport(central)
    t1 = open_terminal(tmp_path / "t1", "SA", "T1")
    engine = SyncEngine(t1.core, transport)
    try:
        _customers(t1, 2)
        assert engine.run_once().ok
        for cut in ("fail_pull", "fail_digest"):
            _customers(t1, 1, start=5 if cut == "fail_pull" else 6)
            setattr(transport, cut, True)
            with pytest.raises(TransportError):
                engine.run_once()                       # pushed and acknowledged, then cut off
            setattr(transport, cut, False)
            assert engine.pending() == 0
            # marked due in the transaction that acknowledged the push (the pull never came)
            assert "customer" in str(_sql(t1, "SELECT value FROM sync_state WHERE key = ?", DIRTY_KEY)[0][0])
            transport.take()
            report = engine.run_once()                  # nothing left to push, yet the pushed entities are compared
            assert report.ok and report.pushed == 0 and "customer" in transport.take()[0]
            assert engine.run_once().checked == 0
    finally:
        engine.close()
        t1.close()


def test_a_check_stamped_in_the_future_counts_as_due(tmp_path: Path, central: CentralStore) -> None:
    t1 = open_terminal(tmp_path / "t1", "SA", "T1")
    engine = SyncEngine(t1.core, CountingTransport(central), full_check=timedelta(hours=2))
    try:
        assert engine.run_once().ok
        now = datetime.now(UTC)
        assert engine.due_entities(now) == ()
        assert engine.due_entities(now + timedelta(hours=3)) == engine.digest_entities()
        assert engine.due_entities(now - timedelta(days=1)) == engine.digest_entities()   # clock set back
    finally:
        engine.close()
        t1.close()


def test_local_uuid_ids_are_put_in_the_wire_form_like_uuid_does() -> None:
    from posapp.sync.apply import _wire_uuid

    for _ in range(200):
        u = uuid.uuid4()
        for spelling in (u.hex, u.hex.upper(), str(u), str(u).upper(), "{" + str(u) + "}"):
            assert _wire_uuid(spelling) == str(u)
    with pytest.raises(ValueError):
        _wire_uuid("NOT-A-UUID")
