"""``posapp-admin demo``: publishing the loaded demo rows to the central store (:mod:`posapp.demo.publish`).

* ``--central URL`` — the central store to publish to (default: this terminal's ``central_url``; empty = the
  embedded ``<data dir>/central.sqlite``). PostgreSQL: the password from ``--password-stdin``, else the keyring
  (head office's entry of ``central login``, else this terminal's entry of ``terminal register``).
* ``--no-central`` — load locally only (the demo stays *pending*: ``posapp-admin demo`` again publishes it).
* Run again on a database whose demo is loaded but not yet published, ``demo`` only publishes (resume).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import Any

from posapp.errors import ValidationError

Progress = Callable[[str, int, int], None]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--central", default=None, metavar="URL",
                        help="central store to publish the demo rows to as head-office data (default: this "
                             "terminal's central_url; 'embedded' = <data dir>/central.sqlite)")
    parser.add_argument("--no-central", action="store_true",
                        help="do not publish to the central store (syncs then report divergence until "
                             "`posapp-admin demo` is run again)")
    parser.add_argument("--password-stdin", action="store_true",
                        help="read the PostgreSQL central store's password from standard input")


def _password(args: argparse.Namespace, url: str, store_id: str, terminal_id: str) -> str | None:
    from sqlalchemy import make_url

    u = make_url(url)
    if u.get_backend_name() != "postgresql":
        return None
    if u.password is not None:
        raise ValidationError("Do not put a password in the URL; use --password-stdin or the OS keyring.")
    if args.password_stdin:
        line = sys.stdin.readline().rstrip("\n")
        if not line:
            raise ValidationError("--password-stdin: no password on standard input")
        return line
    from posapp.cli.central import ADMIN_SCOPE, ADMIN_SECRET
    from posapp.security.secrets import SecretStoreUnavailable, get_secret
    from posapp.sync.connect import central_password

    try:
        found = get_secret(ADMIN_SCOPE, u.username or "", ADMIN_SECRET)
    except SecretStoreUnavailable:
        found = None
    return found if found is not None else central_password(store_id, terminal_id)


def publish(args: argparse.Namespace, services: Any, progress: Progress | None) -> Any:
    """Publish the demo rows of ``services``' database to the central store the arguments name."""
    from posapp.central.schema import default_url, parse_url
    from posapp.central.store import CentralStore
    from posapp.demo.publish import publish_demo

    core = services.core
    s = core.settings
    url = s.central_url if args.central is None else ("" if args.central in ("", "embedded") else args.central)
    if url:
        parse_url(url)
        central = CentralStore.open(url, password=_password(args, url, s.store_id, s.terminal_id))
    else:
        central = CentralStore.open(default_url(core.paths.root), create=True)
    try:
        return publish_demo(core, central, progress=progress)
    finally:
        central.close()


def summary(published: Any) -> str:
    if published is None:
        return ("Not published to the central store (--no-central): syncs report these rows as missing there "
                "until `posapp-admin demo` is run again.")
    moved = "pull cursor moved past them" if published.cursor_moved else "the next pull applies them as no-ops"
    return (f"Published to the central store {published.central} as head-office data: {published.rows:,} rows "
            f"({published.inserted:,} new, {published.existing:,} already there) in {published.seconds:.1f} s; "
            f"{moved}.")


__all__ = ["add_arguments", "publish", "summary"]
