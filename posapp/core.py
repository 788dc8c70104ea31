"""The pieces every service shares: paths, database, settings snapshot, clock and event bus.

It sits below the services, sync and demo layers (all of them take a ``Core``) and above db/config/events/paths
and the clock; ``posapp.services.core`` re-exports it for older imports.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from posapp.config import Settings, settings_from_values
from posapp.db.migrate import MigrationResult, upgrade_database
from posapp.db.models import OutboxEntry, Setting
from posapp.db.session import Database
from posapp.events import EventBus
from posapp.hlc import HybridLogicalClock, Stamp
from posapp.paths import DataPaths


@dataclass
class Core:
    paths: DataPaths
    db: Database
    clock: HybridLogicalClock
    events: EventBus
    migration: MigrationResult
    _settings: Settings
    _lock: threading.Lock

    @classmethod
    def open(cls, paths: DataPaths) -> Core:
        """Create or upgrade the database and load settings. Raises DatabaseUnavailable with a clear message."""
        paths.ensure()
        migration = upgrade_database(paths.database, backups=paths.backups)
        db = Database.open(paths.database)
        with db.read_sessions() as s:
            values = {row.key: _json_value(row.value) for row in s.scalars(select(Setting))}
            last = _last_stamp(s)
        settings = settings_from_values(values)
        node = f"{settings.store_id}-{settings.terminal_id}"
        clock = HybridLogicalClock(node, last=Stamp.parse(last) if last else None)
        return cls(paths=paths, db=db, clock=clock, events=EventBus(), migration=migration,
                   _settings=settings, _lock=threading.Lock())

    @property
    def settings(self) -> Settings:
        with self._lock:
            return self._settings

    def replace_settings(self, settings: Settings) -> None:
        with self._lock:
            self._settings = settings

    def close(self) -> None:
        self.db.dispose()


def _last_stamp(session: Session) -> str | None:
    """The newest clock stamp this terminal wrote (as ``posapp.sync.outbox.last_hlc``, read here one layer down)."""
    return session.scalar(select(func.max(OutboxEntry.hlc)))


def _json_value(text: str) -> object:
    import json

    return json.loads(text)
