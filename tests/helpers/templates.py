"""Template databases: built once per test session, copied for every test that needs one.

Building a terminal database costs the Alembic migrations (~0.2 s), adding the three staff their PIN hashes
(~0.2 s), signing them in their PIN checks (~0.2 s), a demo data set seconds. A copy (SQLite's online backup
API, so a consistent copy even of a WAL file) costs a few milliseconds. The templates live in the session's
temporary folder; nothing but :meth:`install` reads them after they are built, and it only reads them.
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

_Fill = Callable[[Services], object]

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
        self._filled: dict[str, object] = {}

    def migrated(self) -> Path:
        """A database as ``Services.open`` leaves a new one: migrated to head, store rows, catalog."""
        return self._get("migrated", lambda services: None)

    def staffed(self) -> Path:
        """:meth:`migrated` plus the rep, manager and admin of tests/helpers/staff.py."""
        return self._get("staffed", add_staff)

    def signed_in(self) -> tuple[Path, staff.Staff]:
        """:meth:`staffed`, then each of the three signed in once (what the ``employees`` fixture does: one audit
        entry each); and their actors, valid on every copy (an Actor is the employee's id, number, name, role)."""
        path = self._get("signed-in", add_and_sign_in)
        actors = self._filled["signed-in"]
        assert isinstance(actors, staff.Staff)
        return path, actors

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

    def _get(self, name: str, fill: _Fill) -> Path:
        if name not in self._made:
            paths = DataPaths.resolve(self.root / name)
            services = Services.open(paths)
            try:
                self._filled[name] = fill(services)
            finally:
                services.close()
            self._made[name] = paths.database
        return self._made[name]


def add_staff(services: Services) -> None:
    """Add the rep, manager and admin of tests/helpers/staff.py (as ``posapp-admin`` would, by the system)."""
    for m in staff.ALL:
        services.employees.add(SYSTEM_ACTOR, number=m.number, name=m.name, role=m.role, pin=m.pin)


def sign_in_staff(services: Services) -> staff.Staff:
    """Sign the rep, manager and admin in with their PINs."""
    rep, manager, admin = (services.auth.sign_in(m.number, m.pin) for m in staff.ALL)
    return staff.Staff(rep=rep, manager=manager, admin=admin)


def add_and_sign_in(services: Services) -> staff.Staff:
    add_staff(services)
    return sign_in_staff(services)

