"""Sync commands of ``posapp-admin`` (guide §4).

* ``sync [--once] [--json]`` — push, pull and check convergence now; without ``--once`` keep doing it every
  ``sync_interval_seconds`` (longer after failures) until interrupted. Prints pushed, pulled, duplicate, rejected,
  conflicts. Exit 0 when the (last) run succeeded, 1 when the central store could not be reached or an entity
  still differs.
* ``sync status [--json]`` — local only: online?, unsynced count, oldest unsynced age, last successful sync, cursor.
* ``sync conflicts [--json]`` — local only: the open conflicts, in a manager's words (a pulled row held back by a
  local unique key collision, e.g. two employees with one number: renumber one with ``employee renumber``).
* ``sync verify [--json]`` — exit 0 when this terminal and the central store agree, 1 otherwise (naming the
  differing entities).
* ``terminal register --store S --terminal T [--central URL] [--password-stdin]`` — set this terminal's identity
  and central store, then the initial fill (progress on stderr; resumable: run it again after an interruption)
  and a first sync.

Killing a sync at any point (even ``kill -9``) is safe: every step commits with its own bookkeeping in one local
transaction, and whatever is sent again is answered ``duplicate``.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from posapp.errors import ValidationError

Emit = Callable[[argparse.Namespace, Any, str], None]
Add = Callable[[Any, str, Callable[[argparse.Namespace], Any], str], argparse.ArgumentParser]
OpenServices = Callable[[argparse.Namespace], Any]


def _age(seconds: float | None) -> str:
    if seconds is None:
        return "-"
    s = int(seconds)
    if s < 120:
        return f"{s} s"
    if s < 7200:
        return f"{s // 60} min"
    if s < 172_800:
        return f"{s // 3600} h {s % 3600 // 60} min"
    return f"{s // 86400} d {s % 86400 // 3600} h"


def _progress(args: argparse.Namespace) -> Callable[[int, int], None] | None:
    if args.json:
        return None
    last = [0.0]

    def show(done: int, remaining: int) -> None:
        now = time.monotonic()
        if remaining == 0 or now - last[0] > 1.0:
            last[0] = now
            total = done + remaining
            pct = 100 * done // max(total, 1)
            print(f"  pulled {done:>10,} of ~{total:,} ({pct}%)", file=sys.stderr, flush=True)

    return show


def _report_text(r: Any) -> str:
    line = (f"pushed {r.pushed}, pulled {r.pulled}, duplicate {r.duplicates}, rejected {r.rejected}, "
            f"conflicts {r.conflicts} ({r.new_conflicts} new); {r.pending} unsynced; {r.seconds:.2f} s")
    if r.held:
        line += (f"\n{r.held} pulled row(s) held back: the same number as a row here (see `posapp-admin sync "
                 "conflicts`)")
    if r.rebuilt:
        line += f"\nrebuilt after a convergence mismatch: {', '.join(r.rebuilt)}"
    if r.diverged:
        line += f"\nSTILL DIFFERENT from the central store: {', '.join(r.diverged)}"
    return line


def cmd_sync(args: argparse.Namespace, *, open_services: OpenServices, emit: Emit) -> int:
    from posapp.services.sync import SyncUnavailable

    services = open_services(args)
    try:
        services.sync.configure(batch_size=args.batch_size, page_size=args.page_size)
        failures = 0
        while True:
            try:
                report = services.sync.run_now(trigger="cli")
            except SyncUnavailable as exc:
                failures += 1
                if args.once:
                    emit(args, {"ok": False, "error": str(exc)}, f"Sync failed: {exc}")
                    if not args.json:
                        print(f"posapp-admin: central store not reachable: {exc}", file=sys.stderr)
                    return 1
                print(f"sync failed ({exc}); retrying", file=sys.stderr, flush=True)
            else:
                failures = 0
                emit(args, report_json(report), _report_text(report))
                if args.once:
                    return 0 if report.ok else 1
            interval = float(getattr(services.core.settings, "sync_interval_seconds", 60))
            time.sleep(min(300.0, interval * (2 ** min(failures, 6))))
    finally:
        services.close()


def cmd_sync_status(args: argparse.Namespace, *, open_services: OpenServices, emit: Emit) -> None:
    services = open_services(args)
    try:
        st = services.sync.status(runs=5)
        cursor = services.sync.cursor()
    finally:
        services.close()
    age = st.oldest_age()
    online = {None: "never synced", True: "online", False: "offline"}[st.online]
    data = {"online": st.online, "unsynced": st.unsynced, "oldest_unsynced_at": st.oldest_unsynced_at,
            "oldest_unsynced_age_seconds": age.total_seconds() if age else None,
            "last_success_at": st.last_success_at, "last_error": st.last_error, "cursor": cursor,
            "central": st.central_label, "conflicts": len(st.conflicts), "problems": len(st.problems),
            "recent_runs": [{"started_at": r.started_at, "ok": r.ok, "pushed": r.pushed, "pulled": r.pulled,
                             "duplicates": r.duplicates, "rejected": r.rejected, "error": r.error}
                            for r in st.recent_runs]}
    last = st.last_success_at.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S UTC") if st.last_success_at else "never"
    lines = [f"Central store: {st.central_label} ({online})",
             f"Unsynced changes: {st.unsynced}" + (f", oldest {_age(age.total_seconds())} old" if age else ""),
             f"Last successful sync: {last}", f"Cursor: {cursor or '(none: initial fill not done)'}"]
    if st.last_error:
        lines.append(f"Last error: {st.last_error}")
    if st.conflicts:
        lines.append(f"Conflicts flagged for a manager: {len(st.conflicts)}")
    if st.problems:
        lines.append(f"Changes rejected / rows not applied: {len(st.problems)}")
    emit(args, data, "\n".join(lines))


def conflict_json(c: Any) -> dict[str, Any]:
    """A conflict for ``sync conflicts --json``: never a profile field's value (a ``field_lww`` conflict's losing
    value may be a customer's contact data; it stays in the central conflict log)."""
    import json

    detail = c.detail
    if c.kind == "field_lww":
        try:
            d = json.loads(c.detail)
            detail = json.dumps({k: v for k, v in d.items() if k != "loser"}, sort_keys=True) \
                if isinstance(d, dict) else ""
        except ValueError:
            detail = ""
    return {"conflict_id": c.conflict_id, "kind": c.kind, "entity": c.entity, "entity_id": c.entity_id,
            "store_id": c.store_id, "detected_at": c.detected_at, "detail": detail, "summary": c.summary}


def cmd_sync_conflicts(args: argparse.Namespace, *, open_services: OpenServices, emit: Emit) -> None:
    services = open_services(args)
    try:
        rows = services.sync.conflicts(limit=500)
    finally:
        services.close()
    text = "\n".join(f"{c.detected_at[:19].replace('T', ' ')}  {c.kind:<12} "
                     f"{c.summary or f'{c.entity} {c.entity_id}'}" for c in rows) or "No open conflicts."
    emit(args, [conflict_json(c) for c in rows], text)


def cmd_sync_verify(args: argparse.Namespace, *, open_services: OpenServices, emit: Emit) -> int:
    from posapp.services.sync import SyncUnavailable

    services = open_services(args)
    try:
        try:
            check = services.sync.verify()
        except SyncUnavailable as exc:
            raise ValidationError(f"cannot verify: the central store is not reachable ({exc})") from exc
    finally:
        services.close()
    data = {"ok": check.ok, "cursor": check.cursor, "pending": check.pending, "differing": list(check.differing),
            "entities": [{"entity": e, "local": a, "central": b} for e, a, b in check.entities]}
    if check.ok:
        emit(args, data, f"In agreement with the central store: {len(check.entities)} entities, "
                         f"{sum(a for _, a, _ in check.entities):,} rows (cursor {check.cursor}).")
        return 0
    detail = ", ".join(f"{e} (here {a}, central {b})" for e, a, b in check.entities if e in check.differing)
    emit(args, data, f"DIFFERENT from the central store: {detail}")
    if not args.json:
        print(f"posapp-admin: terminal and central store differ: {', '.join(check.differing)}", file=sys.stderr)
    return 1


def report_json(report: Any) -> dict[str, Any]:
    """A sync run's report (``SyncReport``) as JSON values (``sync --json``)."""
    import dataclasses
    import json

    out = {f.name: getattr(report, f.name) for f in dataclasses.fields(report)}
    out["ok"] = report.ok
    out["rebuilt"], out["diverged"] = list(report.rebuilt), list(report.diverged)
    loaded: dict[str, Any] = json.loads(json.dumps(out))
    return loaded


def cmd_terminal_register(args: argparse.Namespace, *, open_services: OpenServices, emit: Emit) -> int:
    from posapp.services.dto import SYSTEM_ACTOR
    from posapp.services.sync import SyncUnavailable

    password = sys.stdin.readline().strip() if args.password_stdin else None
    services = open_services(args)
    try:
        current = services.settings.current()
        changes: dict[str, object] = {"store_id": args.store, "terminal_id": args.terminal}
        if args.central is not None:
            changes["central_url"] = "" if args.central in ("", "embedded") else args.central
        moving = (current.store_id, current.terminal_id) != (args.store, args.terminal)
        if moving and services.sync.status(runs=1, conflicts=0).last_success_at is not None:
            raise ValidationError(f"this terminal already syncs as {current.store_id}/{current.terminal_id}; "
                                  "a registered terminal keeps its identity (set up a new data folder instead)")
        services.settings.update(SYSTEM_ACTOR, changes)
        services.settings.ensure_store_rows()
        kept = services.sync.keep_local(store_id=args.store) if moving else 0
        if password:
            from posapp.central.admin import STORE_SCOPE, STORE_SECRET
            from posapp.security.secrets import set_secret

            set_secret(args.store, STORE_SCOPE, STORE_SECRET, password)     # the store's central-store login
        started = datetime.now(UTC)
        try:
            filled = services.sync.initial_fill(progress=_progress(args))
            report = services.sync.run_now(trigger="register")
        except SyncUnavailable as exc:
            raise ValidationError(f"registered as {args.store}/{args.terminal}, but the central store is not "
                                  f"reachable ({exc}); run `posapp-admin terminal register` again to resume") from exc
    finally:
        services.close()
    seconds = (datetime.now(UTC) - started).total_seconds()
    data = {"store_id": args.store, "terminal_id": args.terminal, "filled_rows": filled, "ok": report.ok,
            "pushed": report.pushed, "pulled": report.pulled, "kept_local": kept, "seconds": seconds}
    kept_text = (f"\n{kept} change(s) recorded before this terminal joined store {args.store} (set-up audit events) "
                 "stay in this terminal's audit log and are not sent" if kept else "")
    emit(args, data, f"Registered as store {args.store}, terminal {args.terminal}: {filled:,} rows from the "
                     f"central store, then {_report_text(report)}{kept_text}")
    return 0 if report.ok else 1


def cmd_bench_sync_storm(args: argparse.Namespace, *, emit: Emit) -> int:
    import tempfile
    from pathlib import Path

    from posapp.bench import sync_storm

    if not 1 <= args.stores <= args.terminals:
        raise ValidationError("--stores must be between 1 and --terminals")
    if args.sales < 1:
        raise ValidationError("--sales must be at least 1")
    with tempfile.TemporaryDirectory(prefix="posapp-storm-") as tmp:
        result = sync_storm.run(args.url, Path(tmp), terminals=args.terminals, stores=args.stores, sales=args.sales,
                                log=lambda m: print(m, file=sys.stderr, flush=True))
    emit(args, result.as_dict(), result.text())
    return 0 if result.ok else 1


def add_commands(sub: Any, add: Add, *, open_services: OpenServices, emit: Emit, bench: Any = None) -> None:
    sy = add(sub, "sync", lambda a: cmd_sync(a, open_services=open_services, emit=emit),
             "sync with the central store now (push, pull, convergence check)")
    sy.add_argument("--once", action="store_true", help="one run, then exit (default: every sync interval)")
    sy.add_argument("--batch-size", type=int, default=None, help="outbox changes per push request (default 200)")
    sy.add_argument("--page-size", type=int, default=None, help="rows per pull page (default 500)")
    actions = sy.add_subparsers(dest="action", required=False, metavar="ACTION")
    add(actions, "status", lambda a: cmd_sync_status(a, open_services=open_services, emit=emit),
        "online?, unsynced changes, oldest unsynced age, last successful sync (local, no network)")
    add(actions, "conflicts", lambda a: cmd_sync_conflicts(a, open_services=open_services, emit=emit),
        "the open conflicts, in a manager's words (local, no network)")
    add(actions, "verify", lambda a: cmd_sync_verify(a, open_services=open_services, emit=emit),
        "compare this terminal with the central store (exit 1 when they differ)")
    term = sub.add_parser("terminal", help="this terminal's identity").add_subparsers(dest="action", required=True)
    reg = add(term, "register", lambda a: cmd_terminal_register(a, open_services=open_services, emit=emit),
              "set store, terminal and central store; initial fill (resumable) and a first sync")
    reg.add_argument("--store", required=True)
    reg.add_argument("--terminal", required=True)
    reg.add_argument("--central", help="central store URL ('embedded' or empty: the SQLite file in the data folder)")
    reg.add_argument("--password-stdin", action="store_true",
                     help="read the central store password from standard input (kept in the OS keyring)")
    if bench is not None:
        st = add(bench, "sync-storm", lambda a: cmd_bench_sync_storm(a, emit=emit),
                 "reconnect storm: N terminal processes with a backlog sync at once against one PostgreSQL")
        st.add_argument("--url", help="PostgreSQL server URL (a fresh database is made there); default: a "
                                      "throwaway cluster")
        st.add_argument("--terminals", type=int, default=50)
        st.add_argument("--stores", type=int, default=10)
        st.add_argument("--sales", type=int, default=20, help="sales per terminal made offline before the storm")
