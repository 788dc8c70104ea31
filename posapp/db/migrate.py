"""Create or upgrade the local database with Alembic, safely.

* A database that cannot be opened (not a database, corrupt, written by a newer posapp, read-only, locked)
  raises :class:`DatabaseUnavailable` naming the file and the fix. The file is never overwritten or deleted.
* Before an upgrade the file is copied aside (SQLite online backup) into ``backups/``.
"""

from __future__ import annotations

import os
import sqlite3
import stat
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from posapp.errors import DatabaseUnavailable

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


@dataclass(frozen=True)
class MigrationResult:
    path: Path
    created: bool
    from_revision: str | None
    to_revision: str
    backup: Path | None


def _alembic_config(url: str):  # type: ignore[no-untyped-def]
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.set_main_option("sqlalchemy.url", url)
    return cfg


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(_alembic_config("sqlite://"))
    head = script.get_current_head()
    assert head is not None
    return head


def known_revisions() -> set[str]:
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(_alembic_config("sqlite://"))
    return {rev.revision for rev in script.walk_revisions()}


def _check_file(path: Path) -> str | None:
    """Open the existing file read-only and return its schema revision (None if it has no schema yet)."""
    fix_corrupt = (
        "Restore the newest copy from the backups folder next to it, or move this file away and run "
        "`posapp-admin init` to start a new database (the file has not been changed)."
    )
    if not os.access(path, os.R_OK):
        raise DatabaseUnavailable("The database file cannot be read (permission denied).", path=str(path),
                                  fix="Give the user running posapp read and write access to the file.")
    mode = path.stat().st_mode
    if not (mode & stat.S_IWUSR) or not os.access(path, os.W_OK):
        raise DatabaseUnavailable("The database file is read-only.", path=str(path),
                                  fix="Clear the read-only flag on the file (and its folder) and start again.")
    try:
        con = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True, timeout=5)
    except sqlite3.Error as exc:
        raise DatabaseUnavailable(f"The database file cannot be opened: {exc}.", path=str(path),
                                  fix=fix_corrupt) from exc
    con.text_factory = lambda b: b.decode("utf-8", errors="replace")
    try:
        result = con.execute("PRAGMA quick_check").fetchone()
        if result is None or result[0] != "ok":
            raise DatabaseUnavailable(f"The database file is damaged ({result[0] if result else 'no answer'}).",
                                      path=str(path), fix=fix_corrupt)
        has_version = con.execute(
            "SELECT 1 FROM sqlite_master WHERE type='table' AND name='alembic_version'").fetchone()
        if not has_version:
            tables = con.execute("SELECT count(*) FROM sqlite_master WHERE type='table'").fetchone()[0]
            if tables:
                raise DatabaseUnavailable("The file is an SQLite database but not a posapp database.",
                                          path=str(path),
                                          fix="Point --data-dir (or POSAPP_DATA_DIR) at a posapp data folder.")
            return None
        row = con.execute("SELECT version_num FROM alembic_version").fetchone()
        return str(row[0]) if row else None
    except sqlite3.OperationalError as exc:
        if "locked" in str(exc):
            raise DatabaseUnavailable("The database is locked by another program.", path=str(path),
                                      fix="Close the other posapp window or program using it, then retry.") from exc
        raise DatabaseUnavailable(f"The database file cannot be read: {exc}.", path=str(path),
                                  fix=fix_corrupt) from exc
    except (sqlite3.DatabaseError, UnicodeDecodeError) as exc:
        raise DatabaseUnavailable(f"The file is not a readable database: {exc}.", path=str(path),
                                  fix=fix_corrupt) from exc
    finally:
        con.close()


def backup_database(path: Path, backups: Path, label: str) -> Path:
    """Copy the database aside with SQLite's online backup (consistent even in WAL mode)."""
    backups.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    target = backups / f"{path.stem}-{stamp}-{label}.sqlite3"
    n = 1
    while target.exists():
        n += 1
        target = backups / f"{path.stem}-{stamp}-{label}-{n}.sqlite3"
    src = sqlite3.connect(path)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()
    return target


def upgrade_database(path: Path, *, backups: Path, target: str = "head") -> MigrationResult:
    """Create the database if missing, or upgrade it to ``target``, copying it aside first."""
    from alembic import command

    from posapp.db.session import create_sqlite_engine, set_wal, sqlite_url

    created = not path.exists() or path.stat().st_size == 0
    current: str | None = None
    if not created:
        current = _check_file(path)
        if current is not None and current not in known_revisions():
            raise DatabaseUnavailable(
                f"The database was written by a newer version of posapp (schema {current}).",
                path=str(path),
                fix="Install the newer posapp version, or point --data-dir at another folder. "
                    "The file has not been changed.")
    else:
        path.parent.mkdir(parents=True, exist_ok=True)
    head = head_revision() if target == "head" else target
    backup: Path | None = None
    if current is not None and current != head:
        backup = backup_database(path, backups, f"before-{head}")
    if current != head:
        # Transactional DDL (SQLAlchemy emits BEGIN): a failed migration leaves the file as it was.
        engine = create_sqlite_engine(path, immediate=True, foreign_keys=False)
        try:
            with engine.begin() as conn:
                cfg = _alembic_config(sqlite_url(path))
                cfg.attributes["connection"] = conn
                command.upgrade(cfg, target)
        except Exception as exc:
            raise DatabaseUnavailable(
                f"Upgrading the database failed: {exc}.", path=str(path),
                fix="Nothing was changed; a copy was also made in the backups folder. "
                    "Report this message to IT.") from exc
        finally:
            engine.dispose()
    set_wal(path)
    return MigrationResult(path=path, created=created, from_revision=current, to_revision=head, backup=backup)
