"""Register commands of ``posapp-admin``: ``simulate sales`` and ``bench commit``."""

from __future__ import annotations

import argparse
import contextlib
from collections.abc import Callable
from typing import Any

from posapp.cli import activation_sim as cli_activation_sim
from posapp.domain.money import format_cents
from posapp.errors import ValidationError

Emit = Callable[[argparse.Namespace, Any, str], None]
Add = Callable[[Any, str, Callable[[argparse.Namespace], Any], str], argparse.ArgumentParser]


def cmd_simulate_sales(args: argparse.Namespace, *, open_services: Callable[[argparse.Namespace], Any],
                       emit: Emit) -> None:
    from posapp.demo.sales import simulate

    if args.count <= 0:
        raise ValidationError("--count must be at least 1")
    services = open_services(args)
    try:
        report = simulate(services, count=args.count, seed=args.seed)
    finally:
        services.close()
    counts = ", ".join(f"{k} {v}" for k, v in sorted(report.counts.items()))
    emit(args, report, f"Simulated {report.sales} sales ({format_cents(report.total_cents)}) and "
                       f"{report.refunds} refunds ({format_cents(report.refunded_cents)}) through the register "
                       f"services, card terminal SIMULATOR.\n{counts}")


def cmd_bench_commit(args: argparse.Namespace, *, emit: Emit) -> None:
    from posapp.bench import commit as bench
    from posapp.demo.sales import SIM_REP, _actor
    from posapp.domain.enums import Role
    from posapp.paths import DataPaths
    from posapp.services.registry import Services
    from posapp.stats import table

    base = DataPaths.resolve(args.data_dir)
    paths = DataPaths.resolve(base.root / "bench" / "commit")
    paths.ensure()
    services = Services.open(paths)
    try:
        rep = _actor(services, SIM_REP, "Sim Rep", Role.REP)
        with contextlib.suppress(ValidationError):  # already open from an earlier run
            services.register.drawer.open_session(rep, float_cents=20_000)
        result = bench.run(services, rep, sales=args.sales, raw_path=paths.root / "raw-commit.sqlite3")
    finally:
        services.close()
    c = result.comparison
    emit(args, {"sales": args.sales, "lines_per_sale": result.lines_per_sale, **c.as_dict()},
         f"Committing a sale ({result.lines_per_sale} lines, cash + card; synchronous=FULL)\n"
         "ours = TenderService.complete; raw = one sqlite3 transaction inserting the same sale, lines, tax lines "
         "and tenders\n" + table([c]))


def add_commands(sub: Any, bench: Any, add: Add, *, open_services: Callable[[argparse.Namespace], Any],
                 emit: Emit) -> None:
    sim = sub.add_parser("simulate", help="simulated counter activity").add_subparsers(dest="action",
                                                                                       required=True)
    s = add(sim, "sales", lambda a: cmd_simulate_sales(a, open_services=open_services, emit=emit),
            "sales through the real register services (cash, card incl. declines/timeouts, split, refunds)")
    s.add_argument("--count", type=int, default=100)
    s.add_argument("--seed", type=int, default=1)
    cli_activation_sim.add_commands(sim, bench, add, open_services=open_services, emit=emit)
    b = add(bench, "commit", lambda a: cmd_bench_commit(a, emit=emit),
            "p50/p95 of committing a sale vs a raw sqlite3 insert of the same rows")
    b.add_argument("--sales", type=int, default=300)
