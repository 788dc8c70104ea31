"""SyncService, the UI's sync facade: status from local tables only (never the network), run_now for the worker
(SyncUnavailable when offline, the failed run recorded), the oldest unsynced change's age, the lists of the dialog."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from posapp.central.store import CentralStore
from posapp.central.transport import InProcessTransport
from posapp.demo.sales import simulate
from posapp.services.sync import SyncService, SyncUnavailable
from posapp.sync.protocol import Transport, TransportError
from tests.sync.terminals import open_terminal


@pytest.fixture
def central(tmp_path: Path) -> Iterator[CentralStore]:
    store = CentralStore.open(f"sqlite+pysqlite:///{tmp_path / 'central.sqlite'}", create=True)
    try:
        yield store
    finally:
        store.close()


def test_status_never_touches_the_network(tmp_path: Path) -> None:
    calls: list[str] = []

    @contextmanager
    def factory() -> Iterator[Transport]:
        calls.append("opened")
        raise AssertionError("status() must not reach the central store")
        yield  # pragma: no cover

    t = open_terminal(tmp_path / "t", "SA", "T1")
    try:
        simulate(t, count=1, seed=4)
        service = SyncService(uow=t.uow, transport_factory=factory)
        st = service.status()
        assert calls == [] and st.unsynced > 0 and st.online is None and st.recent_runs == ()
        assert st.oldest_unsynced_at is not None and st.oldest_age() is not None
        assert service.cursor() == "" and service.conflicts() == () and service.problems() == ()
        assert t.sync.status().unsynced == st.unsynced            # the one wired on Services
    finally:
        t.close()


def test_configure_refuses_bad_sizes(tmp_path: Path) -> None:
    from posapp.errors import ValidationError

    t = open_terminal(tmp_path / "t", "SA", "T1")
    try:
        with pytest.raises(ValidationError):
            t.sync.configure(batch_size=0)
        with pytest.raises(ValidationError):
            t.sync.configure(page_size=-1)
    finally:
        t.close()


def test_status_offline_then_online_and_oldest_age(tmp_path: Path, central: CentralStore) -> None:
    t = open_terminal(tmp_path / "t", "SA", "T1")
    link = {"up": False}

    @contextmanager
    def factory() -> Iterator[InProcessTransport]:
        if not link["up"]:
            raise TransportError("connection refused")
        yield InProcessTransport(central)

    try:
        service = SyncService(uow=t.uow, transport_factory=factory)
        assert service.status().online is None
        simulate(t, count=1, seed=5)
        with sqlite3.connect(t.core.paths.database) as con:      # made three days ago (as if offline since)
            con.execute("UPDATE sync_outbox SET created_at = ?",
                        ((datetime.now(UTC) - timedelta(hours=72)).replace(tzinfo=None).isoformat(sep=" "),))
        con.close()
        with pytest.raises(SyncUnavailable):
            service.run_now()
        with pytest.raises(SyncUnavailable):
            SyncService(uow=t.uow).run_now()
        st = service.status()
        age = st.oldest_age()
        assert st.online is False and st.unsynced > 0 and age is not None and age >= timedelta(hours=71)
        assert st.last_error and st.last_error.startswith("offline") and not st.recent_runs[0].ok
        link["up"] = True
        report = service.run_now()
        st = service.status()
        assert report.ok and st.online is True and st.unsynced == 0 and st.oldest_age() is None
        assert st.last_error is None and [r.ok for r in st.recent_runs[:2]] == [True, False]
    finally:
        t.close()
