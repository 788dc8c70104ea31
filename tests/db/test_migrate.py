"""Fresh install, upgrade with a copy aside, and databases that cannot be opened (file left untouched)."""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
import stat
import textwrap
from pathlib import Path

import pytest

from posapp.db import migrate
from posapp.db.migrate import head_revision, upgrade_database
from posapp.errors import DatabaseUnavailable


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _tables(path: Path) -> set[str]:
    with sqlite3.connect(path) as con:
        return {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}


def test_fresh_install_creates_every_table_at_head(tmp_path: Path) -> None:
    db = tmp_path / "posapp.sqlite3"
    result = upgrade_database(db, backups=tmp_path / "backups")
    assert result.created and result.from_revision is None and result.to_revision == head_revision()
    assert {"customer", "account", "line", "device", "audit_event", "sync_outbox", "employee"} <= _tables(db)
    with sqlite3.connect(db) as con:
        assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert con.execute("SELECT version_num FROM alembic_version").fetchone()[0] == head_revision()
    assert not any((tmp_path / "backups").glob("*")), "no copy is made for a fresh install"


def test_second_open_is_a_no_op(tmp_path: Path) -> None:
    db = tmp_path / "posapp.sqlite3"
    upgrade_database(db, backups=tmp_path / "backups")
    again = upgrade_database(db, backups=tmp_path / "backups")
    assert not again.created and again.backup is None and again.from_revision == again.to_revision


def test_upgrade_copies_the_database_aside_and_keeps_data(tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """Add a real next revision in a copy of the migrations folder and upgrade an existing database to it."""
    db = tmp_path / "posapp.sqlite3"
    upgrade_database(db, backups=tmp_path / "backups")
    with sqlite3.connect(db) as con:
        con.execute("INSERT INTO store VALUES ('S9', 'Test store', 'Main St', 'UTC', 'US-WA-SEATTLE')")
    old_head = head_revision()
    scripts = tmp_path / "migrations"
    shutil.copytree(migrate.MIGRATIONS_DIR, scripts, ignore=shutil.ignore_patterns("__pycache__"))
    (scripts / "versions" / "9999_test_next.py").write_text(textwrap.dedent(f"""
        import sqlalchemy as sa
        from alembic import op

        revision = "9999"
        down_revision = {old_head!r}
        branch_labels = None
        depends_on = None


        def upgrade() -> None:
            with op.batch_alter_table("store") as batch:
                batch.add_column(sa.Column("phone", sa.String(20), nullable=True))


        def downgrade() -> None:
            with op.batch_alter_table("store") as batch:
                batch.drop_column("phone")
    """))
    monkeypatch.setattr(migrate, "MIGRATIONS_DIR", scripts)
    result = upgrade_database(db, backups=tmp_path / "backups")
    assert (result.from_revision, result.to_revision) == (old_head, "9999")
    assert result.backup is not None and result.backup.exists()
    with sqlite3.connect(result.backup) as con:
        assert con.execute("SELECT version_num FROM alembic_version").fetchone()[0] == old_head
        assert con.execute("SELECT name FROM store WHERE id='S9'").fetchone()[0] == "Test store"
    with sqlite3.connect(db) as con:
        assert con.execute("SELECT name, phone FROM store WHERE id='S9'").fetchone() == ("Test store", None)


def _expect_refusal(db: Path, backups: Path, words: str) -> None:
    before = _digest(db)
    size = db.stat().st_size
    with pytest.raises(DatabaseUnavailable) as info:
        upgrade_database(db, backups=backups)
    message = str(info.value)
    assert str(db) in message and "What to do:" in message
    assert words in message
    assert db.exists() and db.stat().st_size == size and _digest(db) == before, "the file must be untouched"
    assert not backups.exists() or not any(backups.iterdir())


def test_garbage_file_is_refused_and_untouched(tmp_path: Path) -> None:
    db = tmp_path / "posapp.sqlite3"
    db.write_bytes(b"this is not a database\x00" * 300)
    _expect_refusal(db, tmp_path / "backups", "not a readable database")


def test_damaged_database_is_refused_and_untouched(tmp_path: Path) -> None:
    db = tmp_path / "posapp.sqlite3"
    upgrade_database(db, backups=tmp_path / "setup")
    with sqlite3.connect(db) as con:
        con.execute("PRAGMA journal_mode=DELETE")
        con.executemany("INSERT INTO store VALUES (?, 'n', 'a', 'UTC', 'j')", [(f"S{i}",) for i in range(2000)])
    data = bytearray(db.read_bytes())
    page = 4096
    for offset in range(page * 3, len(data), page * 2):  # scribble over every other page after the schema
        data[offset + 100: offset + 400] = b"\xff" * 300
    db.write_bytes(bytes(data))
    _expect_refusal(db, tmp_path / "backups", "not a readable database")


def test_newer_schema_is_refused_and_untouched(tmp_path: Path) -> None:
    db = tmp_path / "posapp.sqlite3"
    upgrade_database(db, backups=tmp_path / "setup")
    with sqlite3.connect(db) as con:
        con.execute("UPDATE alembic_version SET version_num = 'f00dfeed'")
    _expect_refusal(db, tmp_path / "backups", "newer version of posapp")


def test_read_only_file_is_refused_and_untouched(tmp_path: Path) -> None:
    db = tmp_path / "posapp.sqlite3"
    upgrade_database(db, backups=tmp_path / "setup")
    db.chmod(stat.S_IRUSR | stat.S_IRGRP)
    try:
        _expect_refusal(db, tmp_path / "backups", "read-only")
    finally:
        db.chmod(stat.S_IRUSR | stat.S_IWUSR)


def test_foreign_sqlite_file_is_refused(tmp_path: Path) -> None:
    db = tmp_path / "posapp.sqlite3"
    with sqlite3.connect(db) as con:
        con.execute("CREATE TABLE notes (x)")
    _expect_refusal(db, tmp_path / "backups", "not a posapp database")
