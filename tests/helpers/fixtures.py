"""Fixtures shared by the whole suite. Registered in tests/conftest.py via ``pytest_plugins``.

Nothing here changes a module global: environment changes go through ``monkeypatch`` and every
fixture that opens something closes it.

Databases are built once per session and copied per test (:class:`tests.helpers.templates.Templates`): a
terminal database as ``Services.open`` leaves a new one (migrated, store rows, catalog), the same with the three
staff of tests/helpers/staff.py, and demo data sets. Each test gets its own copy; no test opens a template.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from posapp.paths import ENV_DATA_DIR, DataPaths
from posapp.services.registry import Services
from tests.helpers import staff
from tests.helpers.env import secret_service_problem, skip_or_fail
from tests.helpers.templates import Templates, add_staff, sign_in_staff


@pytest.fixture(autouse=True)
def _no_real_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Code that falls back to the default data folder writes under tmp_path, never into the user's."""
    monkeypatch.setenv(ENV_DATA_DIR, str(tmp_path / "default-data-dir"))


@pytest.fixture
def data_paths(tmp_path: Path) -> DataPaths:
    return DataPaths.resolve(tmp_path / "data")


@pytest.fixture(scope="session")
def templates(tmp_path_factory: pytest.TempPathFactory) -> Templates:
    """The session's template databases (each built on first use, then only copied)."""
    return Templates(tmp_path_factory.mktemp("templates"))


@pytest.fixture
def services(request: pytest.FixtureRequest, data_paths: DataPaths, templates: Templates) -> Iterator[Services]:
    """The services on a new SQLite database in tmp_path: a copy of the session's migrated template, or, when the
    test also asks for ``employees``, of the template where the three staff were added and signed in."""
    if "employees" in request.fixturenames:
        template, actors = templates.signed_in()
        request.node.stash[_SIGNED_IN] = actors
    else:
        template = templates.migrated()
    templates.install(template, data_paths)
    svc = Services.open(data_paths)
    try:
        yield svc
    finally:
        svc.close()


_SIGNED_IN = pytest.StashKey[staff.Staff]()


@pytest.fixture
def employees(request: pytest.FixtureRequest, services: Services) -> staff.Staff:
    """A rep (1001/2580), a manager (2001/3691) and an admin (9001/4826), added and signed in: already so in the
    database ``services`` copied for this test, else (asked for late, by getfixturevalue) added and signed in now."""
    actors = request.node.stash.get(_SIGNED_IN, None)
    if actors is not None:
        return actors
    add_staff(services)
    return sign_in_staff(services)


# --- Secret Service -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SecretScope:
    """A store/terminal id pair of its own, so a test's keyring entries never meet anyone else's."""

    store_id: str
    terminal_id: str

    @property
    def prefix(self) -> str:
        return f"{self.store_id}/{self.terminal_id}/"


@pytest.fixture
def secret_service() -> Iterator[SecretScope]:
    """A real Secret Service (gnome-keyring under dbus-run-session, see scripts/with-keyring.sh).

    Skips when there is none, except under CI (CI=true), where it fails: CI must exercise the real keyring.
    Entries the test created under its scope are deleted afterwards.
    """
    problem = secret_service_problem()
    if problem is not None:
        skip_or_fail(problem)
    import keyring
    from keyring.backends import SecretService

    backend = keyring.get_keyring()
    if not isinstance(backend, SecretService.Keyring):
        pytest.fail(f"keyring chose {type(backend).__module__}.{type(backend).__name__}, not the Secret Service "
                    "backend (is keyrings.alt installed, or PYTHON_KEYRING_BACKEND set?)", pytrace=False)
    scope = SecretScope(store_id=f"T{uuid.uuid4().hex[:8]}", terminal_id="01")
    try:
        yield scope
    finally:
        _delete_scope(scope)


def _delete_scope(scope: SecretScope) -> None:
    from contextlib import closing

    import secretstorage

    from posapp.security.secrets import SERVICE

    with closing(secretstorage.dbus_init()) as conn:
        collection = secretstorage.get_default_collection(conn)
        for item in collection.search_items({"service": SERVICE}):
            if item.get_attributes().get("username", "").startswith(scope.prefix):
                item.delete()


# --- PostgreSQL -------------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A throwaway PostgreSQL server on 127.0.0.1 for this test session; its SQLAlchemy URL (psycopg 3).

    Started by :func:`posapp.bench.pgcluster.throwaway_cluster` (initdb + pg_ctl; as root the server runs as the
    ``postgres`` system user). Skips when PostgreSQL is not installed, except under CI, where it fails.
    """
    from posapp.bench.pgcluster import ClusterUnavailable, pg_bindir, throwaway_cluster

    if pg_bindir() is None:
        skip_or_fail("PostgreSQL is not installed (apt-get install postgresql)")
    try:
        with throwaway_cluster() as url:
            yield url
    except ClusterUnavailable as exc:
        if "no 'postgres' user" in str(exc):
            skip_or_fail(str(exc))
        pytest.fail(str(exc), pytrace=False)
