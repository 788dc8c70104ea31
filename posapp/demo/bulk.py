"""Bulk insert into the local SQLite database: one transaction, secondary indexes dropped first and built
again at the end (bulk insert, then index build), ``executemany`` with row tuples.

The whole load -- index drops, rows, index builds and the audit event -- is one SQLite transaction on a
connection of the app's own write engine: a failure or a crash midway leaves the database as it was
(SQLite's DDL is transactional too). Only for that connection and only for the duration of the load,
``synchronous`` is OFF (a power cut loses the load, never the database's consistency: the WAL keeps
commits atomic) and ``foreign_keys`` is OFF (the generator makes every reference itself; the tests run
``PRAGMA foreign_key_check``). Both are restored before the connection goes back to the pool.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from operator import itemgetter
from typing import Any

from sqlalchemy.orm import Session

from posapp.db.session import Database
from posapp.demo.schema import COLUMNS, OPTIONAL

LOAD_CACHE_KIB = 1_048_576  # 1 GiB page cache while loading (pages are only allocated as used)
APP_CACHE_KIB = 65_536  # what posapp.db.session sets for every connection
_FTS_CONTENT = re.compile(r"USING\s+fts5\s*\(.*\bcontent\s*=\s*'?\"?(\w+)", re.IGNORECASE | re.DOTALL)
_AFTER_INSERT = re.compile(r"\bAFTER\s+INSERT\s+ON\b", re.IGNORECASE)


@contextmanager
def bulk_transaction(db: Database) -> Iterator[tuple[Session, sqlite3.Connection]]:
    """A write transaction (BEGIN IMMEDIATE) whose raw connection is tuned for bulk loading; commits on
    success, rolls everything back on any exception."""
    with db.write_engine.connect() as conn:
        raw = conn.connection.dbapi_connection
        assert isinstance(raw, sqlite3.Connection)
        raw.execute("PRAGMA foreign_keys = OFF")
        raw.execute("PRAGMA synchronous = OFF")
        raw.execute(f"PRAGMA cache_size = -{LOAD_CACHE_KIB}")
        raw.execute("PRAGMA threads = 2")  # CREATE INDEX may sort with a helper thread
        try:
            with Session(bind=conn) as session, session.begin():
                session.connection()  # begins now: BEGIN IMMEDIATE (posapp.db.session) takes the write lock
                if not raw.in_transaction:
                    raise RuntimeError("the bulk load must run inside one transaction")
                yield session, raw
        finally:
            raw.execute("PRAGMA threads = 0")
            raw.execute(f"PRAGMA cache_size = -{APP_CACHE_KIB}")
            raw.execute("PRAGMA synchronous = FULL")
            raw.execute("PRAGMA foreign_keys = ON")


@dataclass(frozen=True)
class SavedIndex:
    name: str
    table: str
    sql: str


class BulkWriter:
    """Inserts generated row tuples into the tables named in :data:`posapp.demo.schema.COLUMNS`."""

    def __init__(self, raw: sqlite3.Connection) -> None:
        self.raw = raw
        self.counts: dict[str, int] = dict.fromkeys(COLUMNS, 0)
        self._sql: dict[str, str] = {}
        self._project: dict[str, Callable[[Any], tuple[Any, ...]] | None] = {}
        for table, columns in COLUMNS.items():
            present = {r[1]: r for r in raw.execute(f"PRAGMA table_info({table})")}
            keep = [c for c in columns if c in present or (table, c) not in OPTIONAL]
            missing = [c for c in keep if c not in present]
            if missing:
                raise RuntimeError(f"the demo loader writes {table}.{missing[0]}, which the database lacks")
            required = [name for name, (_, _, _, notnull, default, pk) in present.items()
                        if notnull and default is None and not pk and name not in keep]
            if required:
                raise RuntimeError(f"the demo loader does not fill the required column {table}.{required[0]}")
            self._sql[table] = (f"INSERT INTO {table} ({', '.join(keep)}) "
                                f"VALUES ({', '.join('?' * len(keep))})")
            if len(keep) == len(columns):
                self._project[table] = None
            else:
                self._project[table] = itemgetter(*[columns.index(c) for c in keep])

    def is_empty(self) -> bool:
        return all(self.raw.execute(f"SELECT 1 FROM {t} LIMIT 1").fetchone() is None for t in COLUMNS)

    def drop_indexes(self) -> list[SavedIndex]:
        """Drop the secondary (non-constraint) indexes of the bulk tables; returns what rebuilds them."""
        names = ", ".join(f"'{t}'" for t in COLUMNS)
        saved = [SavedIndex(n, t, s) for n, t, s in self.raw.execute(
            "SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
            f"AND tbl_name IN ({names}) ORDER BY name")]
        for index in saved:
            self.raw.execute(f'DROP INDEX "{index.name}"')
        return saved

    def suspend_fts(self) -> tuple[list[str], list[SavedIndex]]:
        """Drop the AFTER INSERT triggers that keep FTS5 external-content indexes of the bulk tables in step;
        returns the FTS tables (rebuilt in one pass at the end) and the triggers (created again as they were).
        Any other trigger stays in place and runs as usual."""
        fts: dict[str, str] = {}
        for name, sql in self.raw.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'table' AND sql LIKE 'CREATE VIRTUAL TABLE%'"):
            m = _FTS_CONTENT.search(sql)
            if m and m.group(1) in COLUMNS:
                fts[name] = m.group(1)
        triggers = []
        for name, table, sql in self.raw.execute(
                "SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'trigger' ORDER BY name"):
            if table in fts.values() and _AFTER_INSERT.search(sql) and any(
                    re.search(rf"\bINSERT\s+INTO\s+{re.escape(f)}\b", sql) for f in fts):
                triggers.append(SavedIndex(name, table, sql))
        for trigger in triggers:
            self.raw.execute(f'DROP TRIGGER "{trigger.name}"')
        return sorted(fts), triggers

    def create_indexes(self, saved: Sequence[SavedIndex], progress: Callable[[int, int], None], *,
                       fts: Sequence[str] = (), triggers: Sequence[SavedIndex] = ()) -> None:
        """Rebuild dropped indexes and triggers with their original SQL text (so ``sqlite_master`` ends up as
        it was) and rebuild the FTS indexes from their content tables."""
        total = len(saved) + len(fts)
        for i, index in enumerate(saved):
            progress(i, total)
            self.raw.execute(index.sql)
        for trigger in triggers:
            self.raw.execute(trigger.sql)
        for i, name in enumerate(fts):
            progress(len(saved) + i, total)
            self.raw.execute(f'INSERT INTO "{name}"("{name}") VALUES (\'rebuild\')')
        progress(total, total)

    def insert(self, rows: Mapping[str, Sequence[tuple[Any, ...]]]) -> None:
        cur = self.raw.cursor()
        try:
            for table, batch in rows.items():
                if not batch:
                    continue
                project = self._project[table]
                cur.executemany(self._sql[table], batch if project is None else map(project, batch))
                self.counts[table] += len(batch)
        finally:
            cur.close()
