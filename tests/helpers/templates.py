"""Template databases: built once per test session, copied for every test that needs one.

Building a terminal database costs the Alembic migrations (~0.2 s), adding the three staff their PIN hashes
(~0.2 s), a demo data set seconds. A copy (SQLite's online backup API, so a consistent copy even of a WAL file)
costs a few milliseconds. The templates live in the session's temporary folder; nothing but :meth:`install`
reads them after they are built, and it only reads them.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import date
from pathlib import Path

from posapp.paths import DataPaths
from posapp.services.dto import SYSTEM_ACTOR
from posapp.services.registry import Services
from tests.helpers import staff

_Fill = Callable[[Services], None]

def copy_database(src: Path, dst: Path) -> None:
    """Copy the SQLite database ``src`` to ``dst`` (a new file) with the online backup API."""
    dst.parent.mkdir(parents=True, exist_ok=True)
    source = sqlite3.connect(f"{src.as_uri()}?mode=ro", uri=True)
    target = sqlite3.connect(dst)
    try:
        source.backup(target)
    finally:
        target.close()
        source.close()


class Templates:
    """The session's template terminal databases, each made on first use."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._made: dict[str, Path] = {}

    def migrated(self) -> Path:
        """A database as ``Services.open`` leaves a new one: migrated to head, store rows, catalog."""
        return self._get("migrated", lambda services: None)

    def staffed(self) -> Path:
        """:meth:`migrated` plus the rep, manager and admin of tests/helpers/staff.py."""
        return self._get("staffed", add_staff)

    def demo(self, *, customers: int, seed: int, history_share: float, as_of: date | None = None) -> Path:
        """:meth:`migrated` with ``load_demo`` run once (serially) with these arguments."""
        from posapp.demo.loader import load_demo

        def load(services: Services) -> None:
            load_demo(services, customers=customers, seed=seed, history_share=history_share, as_of=as_of,
                      parallel=False)

        return self._get(f"demo-{customers}-{seed}-{history_share}-{as_of}", load)

    @staticmethod
    def install(template: Path, paths: DataPaths) -> DataPaths:
        """Make ``paths`` a data folder whose database is a copy of ``template`` (the folder must have none)."""
        if paths.database.exists():
            raise FileExistsError(f"{paths.database} exists; a template is only copied into a new data folder")
        paths.ensure()
        copy_database(template, paths.database)
        return paths

    @staticmethod
    def has_staff(services: Services) -> bool:
        """True when every member of tests/helpers/staff.py is an employee of this database."""
        numbers = {m.number for m in staff.ALL}
        with sqlite3.connect(services.core.paths.database) as con:
            found = {r[0] for r in con.execute(
                f"SELECT number FROM employee WHERE number IN ({','.join('?' * len(numbers))})", sorted(numbers))}
        con.close()
        return found == numbers

    def _get(self, name: str, fill: _Fill) -> Path:
        if name not in self._made:
            paths = DataPaths.resolve(self.root / name)
            services = Services.open(paths)
            try:
                fill(services)
            finally:
                services.close()
            self._made[name] = paths.database
        return self._made[name]


def add_staff(services: Services) -> None:
    """Add the rep, manager and admin of tests/helpers/staff.py (as ``posapp-admin`` would, by the system)."""
    for m in staff.ALL:
        services.employees.add(SYSTEM_ACTOR, number=m.number, name=m.name, role=m.role, pin=m.pin)

