"""The central schema: created at head, upgraded from an older revision, refused when foreign or newer."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import inspect

from posapp.central import CentralStore, NotACentralStore, init_central
from posapp.central.schema import MIGRATIONS_DIR, default_url, head_revision, make_engines
from tests.central.builders import Term


def test_created_at_head_then_up_to_date(tmp_path: Path) -> None:
    url = default_url(tmp_path)
    first = init_central(url)
    assert first.created and first.to_revision == head_revision() and "central.sqlite" in first.url
    again = init_central(url)
    assert not again.created and again.from_revision == again.to_revision == head_revision()


def test_an_older_central_store_is_upgraded_with_its_data(tmp_path: Path) -> None:
    url = default_url(tmp_path)
    write, _ = make_engines(url)
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    with write.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "c0001")
    write.dispose()
    con = sqlite3.connect(tmp_path / "central.sqlite")  # a row as the c0001 code wrote it
    con.execute("INSERT INTO central_row (store_id, entity, entity_id, data, field_hlc, hlc, origin_terminal_id, "
                "seq, created_seq, deleted) VALUES ('S1', 'customer', 'c1', '{\"id\":\"c1\",\"first_name\":\"Ann\"}', "
                "'{\"*\":\"0000000000001.00000.S1-01\"}', '0000000000001.00000.S1-01', '01', 1, 1, 0)")
    con.execute("INSERT INTO central_store_seq VALUES ('S1', 1)")
    con.commit()
    con.close()
    result = init_central(url)
    assert result.from_revision == "c0001" and result.to_revision == head_revision()
    central = CentralStore.open(url)
    try:
        assert central.rows("S1", "customer") == {"c1": {"id": "c1", "first_name": "Ann"}}
        t = Term("S1", "02")  # and it merges with new pushes (no receive stamps yet: no conflict logged)
        t.push(central, [t.update("customer", "c1", ms=5, first_name="Anne")])
        assert central.rows("S1", "customer")["c1"]["first_name"] == "Anne" and central.conflicts("S1") == ()
        with central.engine.connect() as conn:
            idx = {i["name"]: i for i in inspect(conn).get_indexes("central_row")}
        assert "ix_central_row_store_parent" in idx
    finally:
        central.close()


def test_a_newer_or_foreign_database_is_refused_untouched(tmp_path: Path) -> None:
    url = default_url(tmp_path)
    init_central(url)
    con = sqlite3.connect(tmp_path / "central.sqlite")
    con.execute("UPDATE central_alembic_version SET version_num = 'c9999'")
    con.commit()
    con.close()
    with pytest.raises(NotACentralStore, match="newer posapp"):
        init_central(url)
    terminal = tmp_path / "t" / "posapp.sqlite3"
    terminal.parent.mkdir()
    con = sqlite3.connect(terminal)
    con.execute("CREATE TABLE alembic_version (version_num TEXT)")
    con.execute("CREATE TABLE sync_outbox (seq INTEGER)")
    con.close()
    with pytest.raises(NotACentralStore, match="terminal's local posapp database"):
        init_central(f"sqlite:///{terminal}")
