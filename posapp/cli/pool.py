"""The number pool from ``posapp-admin``.

* ``central pool add --store S NUMBER... | --range FIRST LAST`` (head office): assigns numbers to a store's pool
  in the central store; the store's terminals pull them (only that store's). Refused, with nothing added, when a
  number is assigned to another store. ``central pool list --store S [--json]``.
* ``pool add NUMBER... | --range FIRST LAST`` and ``pool list [--all] [--json]`` (this terminal): the local pool,
  for the embedded / offline default where no head office assigns numbers (synced like any pool change).

Exit 0, 1 with the reason (a bad number, a number taken), 2 for a usage error.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any

from posapp.errors import ValidationError

Emit = Callable[[argparse.Namespace, Any, str], None]
Add = Callable[[Any, str, Callable[[argparse.Namespace], Any], str], argparse.ArgumentParser]
OpenServices = Callable[[argparse.Namespace], Any]
Password = Callable[[argparse.Namespace, str], str | None]
Url = Callable[[argparse.Namespace], str]


def _numbers(args: argparse.Namespace) -> list[str]:
    from posapp.central.pool import normalise, number_range

    if args.range and args.numbers:
        raise ValidationError("Give numbers or --range FIRST LAST, not both.")
    if args.range:
        return number_range(*args.range)
    if not args.numbers:
        raise ValidationError("No numbers given: NUMBER... or --range FIRST LAST.")
    return normalise(args.numbers)


def _added_text(where: str, added: list[str] | tuple[str, ...], already: tuple[str, ...] = ()) -> str:
    from posapp.central.pool import display

    text = f"Added {len(added)} number(s) to {where}"
    if added:
        text += ": " + ", ".join(display(n) for n in added[:10]) + (" ..." if len(added) > 10 else "")
    if already:
        text += f"; {len(already)} already there"
    return text + "."


# -- head office ----------------------------------------------------------------------------------------------

def cmd_central_pool_add(args: argparse.Namespace, *, emit: Emit, url: Url, password: Password) -> None:
    from posapp.central.pool import assign
    from posapp.central.store import CentralStore

    numbers = _numbers(args)
    target = url(args)
    central = CentralStore.open(target, password=password(args, target))
    try:
        result = assign(central, args.store, numbers)
    finally:
        central.close()
    emit(args, {"store_id": result.store_id, "added": list(result.added), "already": list(result.already)},
         _added_text(f"store {result.store_id}'s pool", result.added, result.already))


def cmd_central_pool_list(args: argparse.Namespace, *, emit: Emit, url: Url, password: Password) -> None:
    from posapp.central.pool import display, listing
    from posapp.central.store import CentralStore

    target = url(args)
    central = CentralStore.open(target, password=password(args, target))
    try:
        rows = listing(central, args.store)
    finally:
        central.close()
    emit(args, rows, "\n".join(f"{display(str(r['msisdn']))}  {r['status']}" for r in rows)
         or f"Store {args.store} has no pool numbers at the central store.")


# -- this terminal --------------------------------------------------------------------------------------------

def cmd_pool_add(args: argparse.Namespace, *, open_services: OpenServices, emit: Emit) -> None:
    from posapp.services.activation import pool
    from posapp.services.dto import SYSTEM_ACTOR

    numbers = _numbers(args)
    services = open_services(args)
    try:
        with services.uow.write(SYSTEM_ACTOR) as tx:
            rows = pool.add_numbers(tx, numbers)
            tx.audit("pool.add", entity="pool_number", entity_id="pool", details={"count": len(rows)})
            added = [r.msisdn for r in rows]
    finally:
        services.close()
    emit(args, {"added": added}, _added_text("this store's pool", added))


def cmd_pool_list(args: argparse.Namespace, *, open_services: OpenServices, emit: Emit) -> None:
    from sqlalchemy import select

    from posapp.central.pool import display
    from posapp.db.models import PoolNumber
    from posapp.domain.activation import PoolStatus

    services = open_services(args)
    try:
        with services.uow.read() as session:
            q = select(PoolNumber).order_by(PoolNumber.msisdn)
            if not args.all:
                q = q.where(PoolNumber.status == PoolStatus.AVAILABLE)
            rows = [{"msisdn": r.msisdn, "status": r.status.value,
                     "reserved_by_line_id": str(r.reserved_by_line_id) if r.reserved_by_line_id else None}
                    for r in session.scalars(q)]
    finally:
        services.close()
    emit(args, rows, "\n".join(f"{display(str(r['msisdn']))}  {r['status']}" for r in rows)
         or ("The pool is empty." if args.all else "No available numbers in the pool."))


def _number_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("numbers", nargs="*", metavar="NUMBER", help="phone numbers in any format (stored E.164)")
    p.add_argument("--range", nargs=2, metavar=("FIRST", "LAST"), help="every number from FIRST to LAST")


def add_central_commands(cen: Any, add: Add, *, emit: Emit, url: Url, password: Password) -> None:
    """``central pool add|list`` under the ``central`` command group."""
    grp = cen.add_parser("pool", help="assign numbers to a store's pool").add_subparsers(dest="pool_action",
                                                                                        required=True)
    url_help = "SQLAlchemy URL of the central store (default: <data dir>/central.sqlite)"
    a = add(grp, "add", lambda x: cmd_central_pool_add(x, emit=emit, url=url, password=password),
            "assign numbers to a store (its terminals pull them); refused if another store has one")
    a.add_argument("--store", required=True)
    _number_args(a)
    lst = add(grp, "list", lambda x: cmd_central_pool_list(x, emit=emit, url=url, password=password),
              "a store's pool numbers at the central store")
    lst.add_argument("--store", required=True)
    for p in (a, lst):
        p.add_argument("--url", help=url_help)
        p.add_argument("--password-stdin", action="store_true", help="read the database password from stdin")


def add_commands(sub: Any, add: Add, *, open_services: OpenServices, emit: Emit) -> None:
    grp = sub.add_parser("pool", help="this store's number pool (this terminal)").add_subparsers(
        dest="action", required=True)
    a = add(grp, "add", lambda x: cmd_pool_add(x, open_services=open_services, emit=emit),
            "add numbers to this terminal's pool (embedded / offline set-ups)")
    _number_args(a)
    lst = add(grp, "list", lambda x: cmd_pool_list(x, open_services=open_services, emit=emit),
              "the pool's available numbers (--all: every status)")
    lst.add_argument("--all", action="store_true")
