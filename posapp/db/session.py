"""Engine and session factories for the local SQLite database.

SQLite is set up as the guide asks (§2): WAL, ``foreign_keys=ON``, ``synchronous=FULL``, a busy timeout, and
SQLAlchemy's documented recipe for the pysqlite driver's legacy transaction handling (the driver's own
implicit BEGIN is switched off and SQLAlchemy emits BEGIN itself). Writers use a second engine that begins
with ``BEGIN IMMEDIATE``, so two writers never deadlock on a read-to-write lock upgrade.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

BUSY_TIMEOUT_MS = 5000


def _install_sqlite_pragmas(engine: Engine, *, begin: str, foreign_keys: bool, busy_timeout_ms: int) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # let SQLAlchemy emit BEGIN itself
        cur = dbapi_connection.cursor()
        try:
            cur.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
            cur.execute(f"PRAGMA foreign_keys = {'ON' if foreign_keys else 'OFF'}")
            cur.execute("PRAGMA synchronous = FULL")
            cur.execute("PRAGMA temp_store = MEMORY")
            cur.execute("PRAGMA cache_size = -65536")
        finally:
            cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        conn.exec_driver_sql(begin)


def sqlite_url(path: Path) -> str:
    return f"sqlite+pysqlite:///{path.as_posix()}"


def create_sqlite_engine(path: Path, *, immediate: bool = False, foreign_keys: bool = True,
                         busy_timeout_ms: int = BUSY_TIMEOUT_MS) -> Engine:
    """An engine on the file with the pragmas above; ``foreign_keys=False`` only for migrations."""
    engine = create_engine(sqlite_url(path), connect_args={"timeout": busy_timeout_ms / 1000,
                                                           "check_same_thread": False})
    _install_sqlite_pragmas(engine, begin="BEGIN IMMEDIATE" if immediate else "BEGIN", foreign_keys=foreign_keys,
                            busy_timeout_ms=busy_timeout_ms)
    return engine


def set_wal(path: Path) -> None:
    """Switch the file to WAL (a persistent property of the database file)."""
    con = sqlite3.connect(path)
    try:
        con.execute("PRAGMA journal_mode = WAL")
    finally:
        con.close()


@dataclass(frozen=True)
class Database:
    """The local database: one engine for reads, one for writes (BEGIN IMMEDIATE)."""

    path: Path
    read_engine: Engine
    write_engine: Engine
    read_sessions: sessionmaker[Session]
    write_sessions: sessionmaker[Session]

    @classmethod
    def open(cls, path: Path) -> Database:
        read = create_sqlite_engine(path)
        write = create_sqlite_engine(path, immediate=True)
        return cls(
            path=path,
            read_engine=read,
            write_engine=write,
            read_sessions=sessionmaker(read, expire_on_commit=False, autoflush=False),
            write_sessions=sessionmaker(write, expire_on_commit=False, autoflush=True),
        )

    def dispose(self) -> None:
        self.read_engine.dispose()
        self.write_engine.dispose()
