"""Row-level security on PostgreSQL: store A's login can read and write only store A's rows, even after
``SET app.store_id = 'B'``; the shared catalog is readable by every store and writable by none."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine, make_url, text
from sqlalchemy.exc import DBAPIError

from posapp.central import CentralStore
from posapp.central.admin import StoreLogin, add_store
from posapp.sync.protocol import ChangeStatus, PullRequest, PushRequest
from tests.central.builders import Term
from tests.central.conftest import PgDatabases


@pytest.fixture
def stores(pg_databases: PgDatabases) -> Iterator[tuple[str, StoreLogin, StoreLogin]]:
    url = pg_databases.create()
    tag = uuid.uuid4().hex[:4]
    a, b = add_store(url, f"A{tag}"), add_store(url, f"B{tag}")
    yield url, a, b


def _login_url(url: str, login: StoreLogin) -> str:
    return make_url(url).set(username=login.role, password=login.password).render_as_string(hide_password=False)


def test_a_store_login_cannot_touch_another_stores_rows(stores: tuple[str, StoreLogin, StoreLogin]) -> None:
    url, a, b = stores
    head = CentralStore.open(url)
    head.load_catalog({"plan": [{"code": "P1", "name": "Basic"}]})
    ta, tb = Term(a.store_id, "01"), Term(b.store_id, "01")
    central_a = CentralStore.open(url, role=a.role, password=a.password)
    central_b = CentralStore.open(url, role=b.role, password=b.password)
    try:
        assert {r.status for r in ta.push(central_a, [ta.insert("customer", first_name="A's")]).results} == {
            ChangeStatus.APPLIED}
        b_row = tb.insert("customer", first_name="B's")
        assert tb.push(central_b, [b_row]).results[0].status is ChangeStatus.APPLIED
        # through the protocol: A's login pushing or pulling as store B is refused / sees nothing of B
        with pytest.raises(Exception, match="may not act for store"):
            central_a.push(PushRequest(b.store_id, "01", "x", (tb.insert("customer", first_name="forged"),)))
        page = central_a.pull(PullRequest(b.store_id, "01", ""))
        assert [r.entity for r in page.rows] == ["plan"]  # shared rows only
        mine = central_a.pull(PullRequest(a.store_id, "01", ""))
        assert sorted(r.entity for r in mine.rows) == ["customer", "plan"]
        with pytest.raises(Exception, match="may not act for store"):
            central_a.load_catalog({"plan": [{"code": "P1", "name": "Hacked"}]})
    finally:
        central_a.close()
        central_b.close()
        head.close()

    # raw SQL with A's credentials, setting app.store_id to B
    engine = create_engine(_login_url(url, a))
    try:
        with engine.connect() as conn:
            for store in (a.store_id, b.store_id):
                conn.execute(text(f"SET app.store_id = '{store}'"))
                assert conn.execute(text("SELECT count(*) FROM central_row WHERE store_id = :b"),
                                    {"b": b.store_id}).scalar() == 0
                assert conn.execute(text("SELECT count(*) FROM central_change WHERE store_id = :b"),
                                    {"b": b.store_id}).scalar() == 0
                assert conn.execute(text("SELECT count(*) FROM central_row WHERE store_id = ''")).scalar() == 1
                changed = conn.execute(text("UPDATE central_row SET data = '{}' WHERE store_id IN (:b, '')"),
                                       {"b": b.store_id})
                assert changed.rowcount == 0
                for table in ("central_store_seq", "central_terminal", "central_conflict", "central_stock"):
                    assert conn.execute(text(f"SELECT count(*) FROM {table} WHERE store_id = :b"),
                                        {"b": b.store_id}).scalar() == 0, table
                assert conn.execute(text("UPDATE central_store_seq SET last_seq = 0 WHERE store_id = :b"),
                                    {"b": b.store_id}).rowcount == 0
                conn.rollback()
            conn.execute(text(f"SET app.store_id = '{b.store_id}'"))
            for sql in (
                f"INSERT INTO central_row (store_id, entity, entity_id, data, field_hlc, hlc, origin_terminal_id, "
                f"seq, deleted) VALUES ('{b.store_id}', 'customer', 'x', '{{}}', '{{}}', '', '01', 1, false)",
                "INSERT INTO central_row (store_id, entity, entity_id, data, field_hlc, hlc, origin_terminal_id, "
                "seq, deleted) VALUES ('', 'plan', 'P9', '{}', '{}', '', '01', 1, false)",
                f"DELETE FROM central_row WHERE store_id = '{b.store_id}'",
                "INSERT INTO central_store_role VALUES ('x', 'y')",
                "ALTER TABLE central_row DISABLE ROW LEVEL SECURITY",
                f"INSERT INTO central_claim VALUES ('imei_sold', '1', '{b.store_id}', 'sale_line', 'x', false, now())",
                f"INSERT INTO central_conflict VALUES ('c', '{b.store_id}', 'oversell', 'e', 'x', '', now(), false)",
                f"INSERT INTO central_store_seq VALUES ('{b.store_id}x', 5)",
                "UPDATE central_store_role SET store_id = 'x'",
            ):
                with pytest.raises(DBAPIError) as err:
                    conn.execute(text(sql))
                assert err.value.orig is not None and getattr(err.value.orig, "sqlstate", "") in ("42501", "42P01")
                conn.rollback()
    finally:
        engine.dispose()
    check = CentralStore.open(url)
    try:
        assert list(check.rows(b.store_id, "customer")) == [b_row.entity_id]  # nothing forged into B
        assert len(check.rows(a.store_id, "customer")) == 1
        assert check.rows("", "plan")["P1"]["name"] == "Basic"
    finally:
        check.close()


def test_an_imei_sold_in_two_stores_is_flagged_under_rls(stores: tuple[str, StoreLogin, StoreLogin]) -> None:
    url, a, b = stores
    imei = "356938035643809"
    for login in (a, b):
        t = Term(login.store_id, "01")
        central = CentralStore.open(url, role=login.role, password=login.password)
        try:
            sale = t.insert("sale", kind="sale", status="completed")
            t.push(central, [sale, t.insert("sale_line", sale_id=sale.entity_id, imei=imei, removed=False)])
            flagged = [c for c in central.conflicts(login.store_id) if c.kind == "uniqueness"]
            assert len(flagged) == (0 if login is a else 1)
        finally:
            central.close()
