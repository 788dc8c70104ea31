"""Central-store commands of ``posapp-admin``: ``central init | add-store | load-catalog | pool`` and ``bench sync``.

URLs: ``--url`` is a SQLAlchemy URL (``sqlite:///FILE`` or ``postgresql+psycopg://USER@HOST:PORT/DB``); without it
the embedded central store of the data directory is used (``<data dir>/central.sqlite``). A PostgreSQL password is
never taken from the command line: ``--password-stdin``, or the OS keyring entry written by ``central login``.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import Any

from posapp.errors import ValidationError

Emit = Callable[[argparse.Namespace, Any, str], None]
Add = Callable[[Any, str, Callable[[argparse.Namespace], Any], str], argparse.ArgumentParser]

ADMIN_SCOPE = "central"          # keyring: (ADMIN_SCOPE, <database user>, ADMIN_SECRET) = head office's password
ADMIN_SECRET = "admin-password"


def _url(args: argparse.Namespace) -> str:
    from posapp.central.schema import default_url, parse_url
    from posapp.paths import DataPaths

    if args.url:
        parse_url(args.url)
        return str(args.url)
    paths = DataPaths.resolve(args.data_dir)
    paths.ensure()
    return default_url(paths.root)


def _password(args: argparse.Namespace, url: str) -> str | None:
    """The head-office password for a PostgreSQL URL: --password-stdin, else the keyring, else none (trust/peer)."""
    from sqlalchemy import make_url

    u = make_url(url)
    if u.get_backend_name() != "postgresql":
        return None
    if u.password is not None:
        raise ValidationError("Do not put a password in the URL (it ends up in shell history and files); use "
                              "--password-stdin or `posapp-admin central login`.")
    if getattr(args, "password_stdin", False):
        line = sys.stdin.readline().rstrip("\n")
        if not line:
            raise ValidationError("--password-stdin: no password on standard input")
        return line
    from posapp.security.secrets import SecretStoreUnavailable, get_secret

    try:
        return get_secret(ADMIN_SCOPE, u.username or "", ADMIN_SECRET)
    except SecretStoreUnavailable:
        return None


def _with_password(url: str, password: str | None) -> str:
    from sqlalchemy import make_url

    if password is None:
        return url
    return make_url(url).set(password=password).render_as_string(hide_password=False)


def cmd_central_init(args: argparse.Namespace, *, emit: Emit) -> None:
    from posapp.central.schema import init_central

    url = _url(args)
    result = init_central(url, password=_password(args, url))
    if result.created:
        text = f"Created the central store at {result.url} (schema {result.to_revision})."
    elif result.from_revision != result.to_revision:
        text = f"Upgraded the central store at {result.url} from {result.from_revision} to {result.to_revision}."
    else:
        text = f"The central store at {result.url} is up to date (schema {result.to_revision})."
    emit(args, result, text)


def cmd_central_login(args: argparse.Namespace, *, emit: Emit) -> None:
    """Keep head office's PostgreSQL password in the OS keyring (read from standard input)."""
    from sqlalchemy import make_url

    from posapp.security.secrets import set_secret

    u = make_url(args.url)
    if u.get_backend_name() != "postgresql" or not u.username:
        raise ValidationError("central login needs a PostgreSQL URL with a user name")
    args.password_stdin = True
    password = _password(args, args.url)
    assert password is not None
    set_secret(ADMIN_SCOPE, u.username, ADMIN_SECRET, password)
    emit(args, {"user": u.username, "stored": "keyring"}, f"Password of {u.username} kept in the OS keyring.")


def cmd_central_add_store(args: argparse.Namespace, *, emit: Emit) -> None:
    from posapp.central.admin import add_store, save_store_password

    url = _url(args)
    login = add_store(_with_password(url, _password(args, url)), args.store)
    save_store_password(login)
    emit(args, {"store_id": login.store_id, "role": login.role, "password": "in the OS keyring"},
         f"Store {login.store_id} logs in as PostgreSQL role {login.role}; its password is in the OS keyring "
         "(row-level security confines it to the store's rows).")


def cmd_central_load_catalog(args: argparse.Namespace, *, emit: Emit) -> None:
    from pathlib import Path

    from posapp.central.catalog import catalog_rows
    from posapp.central.store import CentralStore

    url = _url(args)
    rows = catalog_rows(Path(args.folder) if args.folder else None)
    central = CentralStore.open(url, password=_password(args, url))
    try:
        changed = central.load_catalog(rows)
    finally:
        central.close()
    counts = {k: {"rows": len(v), "changed": changed.get(k, 0)} for k, v in rows.items()}
    emit(args, counts, "Catalog loaded into the central store: " + ", ".join(
        f"{k} {c['rows']} ({c['changed']} new or changed)" for k, c in counts.items()))


def cmd_bench_sync(args: argparse.Namespace, *, emit: Emit) -> None:
    from posapp.bench import sync as bench

    if args.changes < 100 or args.batch < 1:
        raise ValidationError("--changes must be at least 100 and --batch at least 1")
    url = None
    if args.url:
        url = _with_password(args.url, _password(args, args.url))
    result = bench.run(url, changes=args.changes, batch=args.batch)
    where = "a throwaway PostgreSQL cluster" if url is None else "the server of --url (a fresh database)"
    emit(args, result.as_dict(),
         f"Pushing {result.changes:,} outbox changes (sales of 8 changes) in batches of {result.batch} into "
         f"PostgreSQL on {where}\nours = CentralStore.push (ledger + merged rows + claims, one transaction per "
         "batch); raw = the same change rows into a bare table with a primary key\n" + result.table())


def add_commands(sub: Any, bench: Any, add: Add, *, emit: Emit) -> None:
    cen = sub.add_parser("central", help="the central store (head office)").add_subparsers(dest="action",
                                                                                          required=True)
    url_help = "SQLAlchemy URL of the central store (default: <data dir>/central.sqlite)"
    i = add(cen, "init", lambda a: cmd_central_init(a, emit=emit), "create or upgrade the central store's schema")
    i.add_argument("--url", help=url_help)
    i.add_argument("--password-stdin", action="store_true", help="read the database password from standard input")
    lg = add(cen, "login", lambda a: cmd_central_login(a, emit=emit),
             "keep head office's PostgreSQL password in the OS keyring (read from standard input)")
    lg.add_argument("--url", required=True, help="postgresql+psycopg://USER@HOST:PORT/DB")
    s = add(cen, "add-store", lambda a: cmd_central_add_store(a, emit=emit),
            "create a store's PostgreSQL login (row-level security) and keep its password in the OS keyring")
    s.add_argument("--url", required=True, help="postgresql+psycopg://USER@HOST:PORT/DB (head office's login)")
    s.add_argument("--store", required=True)
    s.add_argument("--password-stdin", action="store_true", help="read head office's password from standard input")
    c = add(cen, "load-catalog", lambda a: cmd_central_load_catalog(a, emit=emit),
            "load the chain-wide catalog (plans, device models, accessories) into the central store")
    c.add_argument("--url", help=url_help)
    c.add_argument("--folder", help="folder with plans.json, device_models.json, accessories.json "
                                    "(default: the bundled resources/data)")
    c.add_argument("--password-stdin", action="store_true", help="read the database password from standard input")
    from posapp.cli.pool import add_central_commands

    add_central_commands(cen, add, emit=emit, url=_url, password=_password)
    b = add(bench, "sync", lambda a: cmd_bench_sync(a, emit=emit),
            "changes/s pushed into PostgreSQL vs a raw COPY / executemany of the same rows")
    b.add_argument("--url", help="a PostgreSQL server URL (a fresh database is created on it and dropped); "
                                 "default: a throwaway cluster")
    b.add_argument("--changes", type=int, default=100_000)
    b.add_argument("--batch", type=int, default=500, help="changes per push request")
    b.add_argument("--password-stdin", action="store_true", help="read the database password from standard input")
