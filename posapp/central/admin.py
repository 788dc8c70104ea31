"""Head-office administration of a PostgreSQL central store: one login role per store (row-level security)."""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass

from sqlalchemy import text

from posapp.central.models import store_role
from posapp.central.schema import make_engines
from posapp.errors import ValidationError

STORE_GROUP = "posapp_store"
_STORE_RE = re.compile(r"^[A-Za-z0-9_-]{1,10}$")


@dataclass(frozen=True)
class StoreLogin:
    store_id: str
    role: str
    password: str


def store_role_name(store_id: str) -> str:
    """The PostgreSQL role of a store: ``posapp_store_<id>`` (lower case, '-' as '_')."""
    if not _STORE_RE.match(store_id):
        raise ValidationError(f"Not a store id: {store_id!r} (1-10 letters, digits, '-' or '_').")
    return f"{STORE_GROUP}_{store_id.lower().replace('-', '_')}"


def add_store(url: str, store_id: str, *, password: str | None = None) -> StoreLogin:
    """Create (or re-key) the store's login role and map it to the store. Needs a role that may create roles."""
    import psycopg.sql as psql

    role = store_role_name(store_id)
    password = password or secrets.token_urlsafe(24)
    write, _ = make_engines(url)
    if write.dialect.name != "postgresql":
        write.dispose()
        raise ValidationError("Store logins exist on PostgreSQL only; an SQLite central store is one store's file.")
    try:
        with write.begin() as conn:
            exists = conn.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": role}).first()
            ident, secret = psql.Identifier(role), psql.Literal(password)
            verb = "ALTER" if exists else "CREATE"
            stmt = psql.SQL("{} ROLE {} LOGIN PASSWORD {}").format(psql.SQL(verb), ident, secret)
            raw = conn.connection.driver_connection
            assert raw is not None
            with raw.cursor() as cur:
                cur.execute(stmt)
                cur.execute(psql.SQL("GRANT {} TO {}").format(psql.Identifier(STORE_GROUP), ident))
            other = conn.execute(text("SELECT store_id FROM central_store_role WHERE role_name = :r"),
                                 {"r": role}).scalar()
            if other is not None and other != store_id:
                raise ValidationError(f"Role {role} already belongs to store {other}.")
            if other is None:
                conn.execute(store_role.insert().values(role_name=role, store_id=store_id))
    finally:
        write.dispose()
    return StoreLogin(store_id=store_id, role=role, password=password)


#: keyring entry of a store's central-store login: (store id, STORE_SCOPE, STORE_SECRET) -> password
STORE_SCOPE = "central"
STORE_SECRET = "db-password"


def save_store_password(login: StoreLogin) -> None:
    """Keep the store's password in the OS keyring (never in a file); terminals read it with store_password."""
    from posapp.security.secrets import set_secret

    set_secret(login.store_id, STORE_SCOPE, STORE_SECRET, login.password)


def store_password(store_id: str) -> str | None:
    """The store's central-store password from the OS keyring (None when not there)."""
    from posapp.security.secrets import get_secret

    return get_secret(store_id, STORE_SCOPE, STORE_SECRET)
