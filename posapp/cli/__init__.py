"""posapp-admin: the admin CLI, built on the same services as the app (guide §8).

Exit codes: 0 success, 1 rejected input (one-line reason on stderr), 2 usage error.
"""

from __future__ import annotations

import argparse
import getpass
import json
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, is_dataclass
from typing import Any

from posapp import __version__
from posapp.cli import activation as cli_activation
from posapp.cli import central as cli_central
from posapp.cli import plan_change as cli_plan_change
from posapp.cli import pool as cli_pool
from posapp.cli import receipts as cli_receipts
from posapp.cli import register as cli_register
from posapp.cli import reports as cli_reports
from posapp.cli import sync as cli_sync
from posapp.cli import tradein as cli_tradein
from posapp.cli import unlock as cli_unlock
from posapp.cli import validate as cli_validate
from posapp.errors import PosError

Handler = Callable[[argparse.Namespace], Any]


class Rejected(Exception):
    """A command's input was rejected (exit 1)."""


def _jsonable(value: Any) -> Any:
    if is_dataclass(value) and not isinstance(value, type):
        return _jsonable(asdict(value))
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_jsonable(v) for v in value]
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    return str(value)


def _emit(args: argparse.Namespace, data: Any, text: str) -> None:
    if args.json:
        print(json.dumps(_jsonable(data), indent=2, sort_keys=True))
    else:
        print(text)


def _open(args: argparse.Namespace) -> Any:
    from posapp.logs import setup_logging
    from posapp.paths import DataPaths
    from posapp.services.registry import Services

    paths = DataPaths.resolve(args.data_dir)
    paths.ensure()
    setup_logging(paths.logs)
    return Services.open(paths)


def _read_pin(args: argparse.Namespace, prompt: str = "PIN: ") -> str:
    if args.pin is not None:
        return str(args.pin)
    if args.pin_stdin:
        return sys.stdin.readline().strip()
    if not sys.stdin.isatty():
        raise Rejected("no PIN given: use --pin-stdin and write the PIN on standard input")
    first = getpass.getpass(prompt)
    if getpass.getpass("Again: ") != first:
        raise Rejected("the two PINs differ")
    return first


# -- commands -------------------------------------------------------------------------------------------------

def cmd_init(args: argparse.Namespace) -> None:
    services = _open(args)
    try:
        m = services.core.migration
        s = services.settings.current()
        data = {"database": str(m.path), "created": m.created, "from_revision": m.from_revision,
                "revision": m.to_revision, "backup": str(m.backup) if m.backup else None,
                "store_id": s.store_id, "terminal_id": s.terminal_id}
        if m.created:
            text = f"Created {m.path} (schema {m.to_revision})."
        elif m.from_revision != m.to_revision:
            text = f"Upgraded {m.path} from {m.from_revision} to {m.to_revision}; copy kept at {m.backup}."
        else:
            text = f"{m.path} is up to date (schema {m.to_revision})."
        data["terminal_key"] = _terminal_key_state(s.store_id, s.terminal_id)
        _emit(args, data, f"{text}\nStore {s.store_id}, terminal {s.terminal_id}. "
                          f"Terminal key: {data['terminal_key']}.")
    finally:
        services.close()


def _terminal_key_state(store_id: str, terminal_id: str) -> str:
    """Create the terminal's key in the OS keyring on first init (never in a file)."""
    from posapp.security.secrets import SecretStoreUnavailable, ensure_terminal_key

    try:
        ensure_terminal_key(store_id, terminal_id)
    except SecretStoreUnavailable as exc:
        return f"not stored ({str(exc).rstrip('.')})"
    return "in the OS keyring"


def cmd_demo(args: argparse.Namespace) -> None:
    from posapp.cli import demo as cli_demo
    from posapp.demo.loader import DemoAlreadyLoaded, load_demo
    from posapp.demo.publish import can_publish

    if args.customers < 1:
        raise Rejected("--customers must be at least 1")
    if not 0.0 <= args.history_share <= 1.0:
        raise Rejected("--history-share must be between 0 and 1")
    services = _open(args)
    last = [0.0]

    def progress(phase: str, done: int, total: int) -> None:
        now = time.monotonic()
        if done >= total or now - last[0] > 1.0:
            last[0] = now
            pct = 100 * done // max(total, 1)
            print(f"  {phase:<28} {done:>10,}/{total:,} ({pct}%)", file=sys.stderr, flush=True)

    try:
        try:
            report = load_demo(services, customers=args.customers, seed=args.seed,
                               history_share=args.history_share, progress=None if args.json else progress)
        except DemoAlreadyLoaded:  # loaded: publish only (resume, or to the central store named by --central)
            if args.no_central or not can_publish(services.core, explicit=args.central is not None):
                raise
            published = cli_demo.publish(args, services, None if args.json else progress)
            _emit(args, {"central": published}, cli_demo.summary(published))
            return
        published = None if args.no_central else cli_demo.publish(args, services, None if args.json else progress)
    finally:
        services.close()
    lines = [f"Loaded demo data in {report.seconds:.1f} s:"]
    lines += [f"  {table:<22} {count:>10,}" for table, count in report.counts.items()]
    lines.append(cli_demo.summary(published))
    lines.append("Demo sign-in (employee number / PIN):")
    lines += [f"  {e.role:<8} {e.number} / {e.pin}   {e.name}" for e in report.employees]
    lines.append("Demo account PINs (each demo account has one of these; the one-time code by the SMS simulator "
                 "works for every account): " + ", ".join(report.account_pins))
    _emit(args, {**_jsonable(report), "central": published}, "\n".join(lines))


def cmd_employee_add(args: argparse.Namespace) -> None:
    from posapp.services.dto import SYSTEM_ACTOR

    pin = _read_pin(args)
    services = _open(args)
    try:
        e = services.employees.add(SYSTEM_ACTOR, number=args.number, name=args.name, role=args.role, pin=pin)
    finally:
        services.close()
    _emit(args, e, f"Added {e.role.value} {e.name} (#{e.number}).")


def cmd_employee_list(args: argparse.Namespace) -> None:
    from posapp.services.dto import SYSTEM_ACTOR

    services = _open(args)
    try:
        rows = services.employees.list(SYSTEM_ACTOR)
    finally:
        services.close()
    text = "\n".join(f"{e.number:<8} {e.role.value:<8} {'active' if e.active else 'inactive':<9}"
                     f"{' LOCKED' if e.locked_until else '':<8} {e.name}" for e in rows) or "No employees."
    _emit(args, rows, text)


def cmd_employee_reset_pin(args: argparse.Namespace) -> None:
    from posapp.services.dto import SYSTEM_ACTOR

    pin = _read_pin(args, "New PIN: ")
    services = _open(args)
    try:
        e = services.employees.reset_pin(SYSTEM_ACTOR, number=args.number, pin=pin)
    finally:
        services.close()
    _emit(args, e, f"New PIN set for {e.name} (#{e.number}); lockout cleared.")


def cmd_employee_renumber(args: argparse.Namespace) -> None:
    from posapp.services.dto import SYSTEM_ACTOR

    services = _open(args)
    try:
        e = services.employees.renumber(SYSTEM_ACTOR, old=args.old, new=args.new)
    finally:
        services.close()
    _emit(args, e, f"{e.name} is now #{e.number} (was #{args.old}); the change syncs with the next run.")


def cmd_config_get(args: argparse.Namespace) -> None:
    services = _open(args)
    try:
        if args.key:
            value = services.settings.get(args.key)
            _emit(args, {args.key: value}, str(value))
        else:
            values = services.settings.current().as_dict()
            problems = [f"! {p}" for p in services.device_problems()]  # which device is not configured
            _emit(args, values, "\n".join([*(f"{k} = {v}" for k, v in values.items()), *problems]))
    finally:
        services.close()


def cmd_config_set(args: argparse.Namespace) -> None:
    from posapp.services.dto import SYSTEM_ACTOR

    changes: dict[str, str] = {}
    for item in args.assignments:
        if "=" not in item:
            raise Rejected(f"expected KEY=VALUE, got {item!r}")
        key, value = item.split("=", 1)
        changes[key.strip()] = value
    services = _open(args)
    try:
        after = services.settings.update(SYSTEM_ACTOR, changes).as_dict()
    finally:
        services.close()
    _emit(args, {k: after[k] for k in changes}, "\n".join(f"{k} = {after[k]}" for k in changes))


def cmd_audit_verify(args: argparse.Namespace) -> int:
    from posapp.security.audit import verify_chain

    services = _open(args)
    try:
        with services.uow.read() as session:
            report = verify_chain(session)
    finally:
        services.close()
    if report.ok:
        _emit(args, report, f"Audit chain intact: {report.entries} entries.")
        return 0
    _emit(args, report, f"Audit chain BROKEN at entry {report.first_bad_seq}: {report.problem}")
    if not args.json:
        print(f"audit chain broken at entry {report.first_bad_seq}: {report.problem}", file=sys.stderr)
    return 1


def cmd_lookup(args: argparse.Namespace) -> None:
    from posapp.services.dto import SYSTEM_ACTOR

    if not 1 <= args.limit <= 100:
        raise Rejected("--limit must be between 1 and 100")
    services = _open(args)
    try:
        result = services.lookup.search(SYSTEM_ACTOR, args.query, limit=args.limit)
    finally:
        services.close()
    lines = [f"{result.query.kind.value} search: {len(result.hits)} hit(s) in {result.elapsed_ms:.1f} ms"]
    if result.message:
        lines.append(result.message)
    lines += [f"  {h.display_name:<36} {h.masked_phone:<14} {h.city:<24} {h.account_kind:<9} {h.masked_account}"
              for h in result.hits]
    data = {"kind": result.query.kind.value, "message": result.message, "elapsed_ms": result.elapsed_ms,
            "hits": [{"customer_id": h.customer_id, "account_id": h.account_id, "name": h.display_name,
                      "phone": h.masked_phone, "city": h.city, "account_kind": h.account_kind,
                      "account": h.masked_account, "role": h.role, "matched_by": h.matched_by}
                     for h in result.hits]}
    _emit(args, data, "\n".join(lines))


def cmd_bench_lookup(args: argparse.Namespace) -> None:
    from posapp.bench import lookup as bench
    from posapp.demo.loader import load_demo
    from posapp.paths import DataPaths
    from posapp.services.dto import SYSTEM_ACTOR
    from posapp.services.registry import Services
    from posapp.stats import table

    if args.customers < 100:
        raise Rejected("--customers must be at least 100")
    base = DataPaths.resolve(args.data_dir)
    paths = DataPaths.resolve(base.root / "bench" / f"lookup-{args.customers}-seed{args.seed}")
    fresh = not paths.database.exists()
    services = Services.open(paths)
    try:
        if fresh:
            print(f"Loading {args.customers:,} demo customers into {paths.root} (kept for later runs)...",
                  file=sys.stderr, flush=True)
            load_demo(services, customers=args.customers, seed=args.seed, history_share=0.0)
        result = bench.run(db=paths.database, search=lambda a, t: services.lookup.search(a, t, limit=20),
                           actor=SYSTEM_ACTOR, customers=args.customers, per_kind=args.per_kind, seed=args.seed)
    finally:
        services.close()
    data = {"customers": result.customers, "queries": result.queries,
            "kinds": [r.as_dict() for r in result.rows], "overall": result.overall.as_dict()}
    text = (f"Lookup on {result.customers:,} customers, {result.queries} queries "
            f"(ours = LookupService.search; raw = the same SQL on a bare sqlite3 connection)\n"
            + table([*result.rows, result.overall], label="queries"))
    _emit(args, data, text)


def cmd_bench_receipt(args: argparse.Namespace) -> None:
    from posapp.receipts import bench
    from posapp.stats import table

    if args.runs < 10:
        raise Rejected("--runs must be at least 10")
    rows = [bench.run(args.runs, fmt, prebuilt_images=prebuilt) for fmt in ("thermal", "letter")
            for prebuilt in (False, True)]
    text = ("Receipt with Code128, QR and signature (ours) vs a bare ReportLab canvas drawing the same barcode and "
            "QR images (raw; 'draw-only' = images made once up front)\n" + table(rows))
    _emit(args, [r.as_dict() for r in rows], text)


def cmd_bench_startup(args: argparse.Namespace) -> int:
    cmd = [sys.executable, "-m", "ui.bench_startup", "--runs", str(args.runs)]
    if args.data_dir:
        cmd += ["--data-dir", str(args.data_dir)]
    if args.json:
        cmd.append("--json")
    if args.xvfb:
        cmd.append("--xvfb")
    return subprocess.call(cmd)


# -- parser ---------------------------------------------------------------------------------------------------

def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--data-dir", default=argparse.SUPPRESS,
                        help="data folder (default: $POSAPP_DATA_DIR or the platform's user data folder)")
    common.add_argument("--json", action="store_true", default=argparse.SUPPRESS, help="print one JSON document")

    p = argparse.ArgumentParser(prog="posapp-admin", description="Administer a posapp terminal.",
                                parents=[common])
    p.add_argument("--version", action="version", version=f"posapp {__version__}")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def add(parent: Any, name: str, handler: Handler, help_: str) -> argparse.ArgumentParser:
        sp: argparse.ArgumentParser = parent.add_parser(name, help=help_, parents=[common], description=help_)
        sp.set_defaults(handler=handler)
        return sp

    add(sub, "init", cmd_init, "create or upgrade the local database")
    d = add(sub, "demo", cmd_demo, "load deterministic demo data")
    d.add_argument("--customers", type=int, default=2000)
    d.add_argument("--seed", type=int, default=1)
    d.add_argument("--history-share", type=float, default=0.10,
                   help="share of accounts that get 12 months of bills, payments and interactions")
    from posapp.cli.demo import add_arguments as add_demo_arguments

    add_demo_arguments(d)

    emp = sub.add_parser("employee", help="manage employees").add_subparsers(dest="action", required=True)
    for name, handler, help_ in (("add", cmd_employee_add, "add an employee"),
                                 ("reset-pin", cmd_employee_reset_pin, "set a new PIN and clear lockout")):
        sp = add(emp, name, handler, help_)
        if name == "add":
            sp.add_argument("number", nargs="?", help="default: the next free number of this terminal's block")
        else:
            sp.add_argument("number")
        if name == "add":
            sp.add_argument("--name", required=True)
            sp.add_argument("--role", required=True, choices=["rep", "manager", "admin"])
        sp.add_argument("--pin", help="the PIN (visible in shell history; prefer --pin-stdin or the prompt)")
        sp.add_argument("--pin-stdin", action="store_true", help="read the PIN from standard input")
    add(emp, "list", cmd_employee_list, "list employees")
    rn = add(emp, "renumber", cmd_employee_renumber,
             "give an employee another number (e.g. two terminals created the same one)")
    rn.add_argument("old")
    rn.add_argument("new")

    cfg = sub.add_parser("config", help="read and change settings").add_subparsers(dest="action", required=True)
    g = add(cfg, "get", cmd_config_get, "print one setting, or all")
    g.add_argument("key", nargs="?")
    st = add(cfg, "set", cmd_config_set, "change settings (all or nothing)")
    st.add_argument("assignments", nargs="+", metavar="KEY=VALUE")

    aud = sub.add_parser("audit", help="audit log").add_subparsers(dest="action", required=True)
    add(aud, "verify", cmd_audit_verify, "check the hash chain (exit 1 naming the first bad entry)")

    lk = add(sub, "lookup", cmd_lookup, "search customers like the search box (masked output)")
    lk.add_argument("query")
    lk.add_argument("--limit", type=int, default=20)

    bench = sub.add_parser("bench", help="benchmarks").add_subparsers(dest="action", required=True)
    bl = add(bench, "lookup", cmd_bench_lookup, "search latency vs raw sqlite3 FTS5/index queries")
    bl.add_argument("--customers", type=int, default=100_000)
    bl.add_argument("--seed", type=int, default=1)
    bl.add_argument("--per-kind", type=int, default=400, help="queries of each kind")
    br = add(bench, "receipt", cmd_bench_receipt, "receipt PDF render vs a bare ReportLab canvas")
    br.add_argument("--runs", type=int, default=200)
    bs = add(bench, "startup", cmd_bench_startup, "time to the login window vs a bare QMainWindow")
    bs.add_argument("--runs", type=int, default=7)
    bs.add_argument("--xvfb", action="store_true",
                    help="on a real X server: start Xvfb (and openbox if installed) instead of offscreen")
    cli_register.add_commands(sub, bench, add, open_services=_open, emit=_emit)
    cli_central.add_commands(sub, bench, add, emit=_emit)
    cli_reports.add_commands(sub, add, open_services=_open, emit=_emit)
    cli_receipts.add_commands(sub, add, open_services=_open, emit=_emit)
    cli_sync.add_commands(sub, add, open_services=_open, emit=_emit, bench=bench)
    cli_activation.add_commands(sub, add, open_services=_open, emit=_emit)
    cli_validate.add_commands(sub, add, emit=_emit)
    cli_pool.add_commands(sub, add, open_services=_open, emit=_emit)
    cli_plan_change.add_commands(sub, add, open_services=_open, emit=_emit)
    cli_tradein.add_commands(sub, add, open_services=_open, emit=_emit)
    cli_unlock.add_commands(sub, add, open_services=_open, emit=_emit)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    for name, default in (("data_dir", None), ("json", False)):
        if not hasattr(args, name):
            setattr(args, name, default)
    try:
        result = args.handler(args)
    except (PosError, Rejected) as exc:
        print(f"posapp-admin: {' '.join(str(exc).split())}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("posapp-admin: interrupted", file=sys.stderr)
        return 130
    return int(result) if isinstance(result, int) else 0


if __name__ == "__main__":
    sys.exit(main())
