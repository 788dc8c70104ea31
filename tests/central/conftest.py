"""Central store fixtures: a fresh, migrated central store per test on SQLite and on PostgreSQL.

PostgreSQL: the session's throwaway server (``postgres_url``); the schema is migrated once into a template
database and every test gets ``CREATE DATABASE ... TEMPLATE`` of it (fast, isolated), dropped afterwards.
SQLite: the migrated template file is copied per test.
"""

from __future__ import annotations

import shutil
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, make_url, text

from posapp.central import CentralStore, init_central
from posapp.central.schema import default_url

Factory = Callable[[], CentralStore]


@pytest.fixture(scope="session")
def _sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("central-template")
    init_central(default_url(folder))
    return folder / "central.sqlite"


@pytest.fixture(scope="session")
def pg_admin_url(postgres_url: str) -> str:
    return postgres_url


@pytest.fixture(scope="session")
def _pg_template(pg_admin_url: str) -> str:
    name = "central_template"
    admin = create_engine(pg_admin_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f"DROP DATABASE IF EXISTS {name}"))
            conn.execute(text(f"CREATE DATABASE {name}"))
    finally:
        admin.dispose()
    init_central(make_url(pg_admin_url).set(database=name).render_as_string(hide_password=False))
    return name


class PgDatabases:
    """Fresh databases cloned from the migrated template; all dropped at the end."""

    def __init__(self, admin_url: str, template: str) -> None:
        self.admin_url = admin_url
        self.template = template
        self.names: list[str] = []

    def create(self) -> str:
        name = f"central_{uuid.uuid4().hex[:12]}"
        admin = create_engine(self.admin_url, isolation_level="AUTOCOMMIT")
        try:
            with admin.connect() as conn:
                conn.execute(text(f"CREATE DATABASE {name} TEMPLATE {self.template}"))
        finally:
            admin.dispose()
        self.names.append(name)
        return make_url(self.admin_url).set(database=name).render_as_string(hide_password=False)

    def drop_all(self) -> None:
        admin = create_engine(self.admin_url, isolation_level="AUTOCOMMIT")
        try:
            with admin.connect() as conn:
                for name in self.names:
                    conn.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        finally:
            admin.dispose()


@pytest.fixture
def pg_databases(pg_admin_url: str, _pg_template: str) -> Iterator[PgDatabases]:
    dbs = PgDatabases(pg_admin_url, _pg_template)
    try:
        yield dbs
    finally:
        dbs.drop_all()


@pytest.fixture(params=["sqlite", "postgres"])
def central_factory(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Factory]:
    """Makes fresh, migrated central stores (each call a new empty one) on the parametrised backend."""
    opened: list[CentralStore] = []
    if request.param == "sqlite":
        template: Path = request.getfixturevalue("_sqlite_template")

        def make() -> CentralStore:
            folder = tmp_path / f"central-{len(opened)}"
            folder.mkdir()
            shutil.copyfile(template, folder / "central.sqlite")
            opened.append(CentralStore.open(default_url(folder)))
            return opened[-1]
    else:
        dbs: PgDatabases = request.getfixturevalue("pg_databases")

        def make() -> CentralStore:
            opened.append(CentralStore.open(dbs.create()))
            return opened[-1]
    try:
        yield make
    finally:
        for c in opened:
            c.close()


@pytest.fixture
def central(central_factory: Factory) -> CentralStore:
    return central_factory()
