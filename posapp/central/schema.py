"""Connecting to the central store and creating / upgrading its schema (its own Alembic migrations).

A URL is a SQLAlchemy URL: ``sqlite:///path/central.sqlite`` (embedded default, one file in the data directory)
or ``postgresql+psycopg://user@host:port/db`` (production; the password comes from the OS keyring or is passed in,
never written in the URL on disk).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, create_engine, inspect, make_url, text
from sqlalchemy.engine import URL

from posapp.central.models import VERSION_TABLE
from posapp.errors import ValidationError

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
CENTRAL_FILE = "central.sqlite"
CENTRAL_BUSY_TIMEOUT_MS = 30_000


class NotACentralStore(ValidationError):
    """The database at the URL holds something else; nothing was changed."""


@dataclass(frozen=True)
class InitResult:
    url: str
    created: bool
    from_revision: str | None
    to_revision: str


def default_url(data_dir: Path) -> str:
    """The embedded central store: a SQLite file in the data directory."""
    return f"sqlite+pysqlite:///{(data_dir / CENTRAL_FILE).as_posix()}"


def safe_url(url: str | URL) -> str:
    """The URL with any password hidden, for messages and logs."""
    return make_url(url).render_as_string(hide_password=True)


def parse_url(url: str) -> URL:
    try:
        u = make_url(url)
    except Exception as exc:
        raise ValidationError(f"Not a database URL: {url!r} (use sqlite:///FILE or "
                              "postgresql+psycopg://USER@HOST:PORT/DB).") from exc
    if u.get_backend_name() not in ("sqlite", "postgresql"):
        raise ValidationError(f"The central store runs on SQLite or PostgreSQL, not {u.get_backend_name()}.")
    if u.get_backend_name() == "postgresql":
        u = u.set(drivername="postgresql+psycopg")
    elif not u.database or u.database == ":memory:":
        raise ValidationError("The SQLite central store needs a file: sqlite:///PATH/central.sqlite")
    return u


def make_engines(url: str, *, password: str | None = None, role: str | None = None) -> tuple[Engine, Engine]:
    """(write engine, read engine). On SQLite the writer begins with BEGIN IMMEDIATE; on PostgreSQL they are one."""
    u = parse_url(url)
    if u.get_backend_name() == "sqlite":
        from posapp.db.session import create_sqlite_engine, set_wal

        assert u.database is not None
        path = Path(u.database)
        path.parent.mkdir(parents=True, exist_ok=True)
        # pushes of several terminals take turns at SQLite's one write lock, and its busy handler is not fair: a
        # push could wait out the terminal database's 5 s (seen in tests with four pushers and a puller); sync runs
        # in the background, so waiting longer is fine
        write = create_sqlite_engine(path, immediate=True, foreign_keys=False, busy_timeout_ms=CENTRAL_BUSY_TIMEOUT_MS)
        read = create_sqlite_engine(path, foreign_keys=False, busy_timeout_ms=CENTRAL_BUSY_TIMEOUT_MS)
        set_wal(path)
        return write, read
    if role is not None:
        u = u.set(username=role)
    if password is not None:
        u = u.set(password=password)
    engine = create_engine(u, pool_size=5, max_overflow=10)
    return engine, engine


def _check_database(engine: Engine) -> str | None:
    """The central schema revision, None for an empty database; refuses anything else."""
    with engine.connect() as conn:
        names = set(inspect(conn).get_table_names())
        if VERSION_TABLE in names:
            row = conn.execute(text(f"SELECT version_num FROM {VERSION_TABLE}")).first()
            return str(row[0]) if row else None
        if "alembic_version" in names and "sync_outbox" in names:
            raise NotACentralStore("This is a terminal's local posapp database, not a central store; "
                                   "give the URL of an empty database (or an existing central store).")
        if names:
            raise NotACentralStore(f"The database is not a posapp central store (it has {len(names)} other "
                                   "tables, e.g. " + ", ".join(sorted(names)[:3]) + "); nothing was changed.")
        return None


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    head = ScriptDirectory(str(MIGRATIONS_DIR)).get_current_head()
    assert head is not None
    return head


def init_central(url: str, *, password: str | None = None) -> InitResult:
    """Create the central schema in an empty database, or upgrade it. Refuses a database that is not ours."""
    from alembic import command
    from alembic.config import Config

    from posapp.central.models import metadata  # noqa: F401  (env.py imports it too)

    write, read = make_engines(url, password=password)
    try:
        current = _check_database(write)
        head = head_revision()
        if current is not None and current != head:
            from alembic.script import ScriptDirectory

            known = {r.revision for r in ScriptDirectory(str(MIGRATIONS_DIR)).walk_revisions()}
            if current not in known:
                raise NotACentralStore(f"The central store was written by a newer posapp (schema {current}).")
        if current != head:
            cfg = Config()
            cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
            with write.begin() as conn:
                cfg.attributes["connection"] = conn
                command.upgrade(cfg, "head")
        return InitResult(url=safe_url(url), created=current is None, from_revision=current, to_revision=head)
    finally:
        write.dispose()
        if read is not write:
            read.dispose()
