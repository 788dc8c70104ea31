"""``posapp-admin simulate activations`` and ``posapp-admin bench activation`` (issue 11).

* ``simulate activations --count N --seed S [--json]`` — activation orders of every kind through the real services
  and the provisioning queue (:mod:`posapp.demo.activations`); prints counts, never a code or a PIN. Exit 2 for a
  bad argument; exit 1, saying so, outside training mode or when the carrier link, card terminal or SMS gateway is
  not a simulator.
* ``bench activation --orders N`` — N activations start -> ... -> sale completed -> queued, and the queue's send +
  answers per request, against the same number of bare write transactions on the same SQLite file
  (:mod:`posapp.bench.activation`), in a private data folder ``<data dir>/bench/activation``.
"""

from __future__ import annotations

import argparse
import shutil
import sys
from collections.abc import Callable
from dataclasses import asdict
from typing import Any

Emit = Callable[[argparse.Namespace, Any, str], None]
Add = Callable[[Any, str, Callable[[argparse.Namespace], Any], str], argparse.ArgumentParser]
OpenServices = Callable[[argparse.Namespace], Any]

MAX_COUNT = 500  # the simulated pool range (555-0100..0199 of six area codes) holds 600 numbers
MAX_BENCH = 500


def _usage(message: str) -> int:
    print(f"posapp-admin: {message}", file=sys.stderr)
    return 2


def cmd_simulate_activations(args: argparse.Namespace, *, open_services: OpenServices, emit: Emit) -> int:
    from posapp.demo.activations import simulate_activations, summary_text

    if not 1 <= args.count <= MAX_COUNT:
        return _usage(f"--count must be between 1 and {MAX_COUNT} (got {args.count})")
    services = open_services(args)
    try:
        report = simulate_activations(services, count=args.count, seed=args.seed)
    finally:
        services.close()
    emit(args, asdict(report), summary_text(report))
    return 0


def cmd_bench_activation(args: argparse.Namespace, *, emit: Emit) -> int:
    from posapp.bench import activation as bench
    from posapp.paths import DataPaths
    from posapp.services.registry import Services
    from posapp.stats import table

    if not 2 <= args.orders <= MAX_BENCH:
        return _usage(f"--orders must be between 2 and {MAX_BENCH} (got {args.orders})")
    base = DataPaths.resolve(args.data_dir)
    root = base.root / "bench" / "activation"
    shutil.rmtree(root, ignore_errors=True)  # a fresh database each run: the same work every time
    paths = DataPaths.resolve(root)
    paths.ensure()
    services = Services.open(paths)
    try:
        result = bench.run(services, orders=args.orders)
    finally:
        services.close()
    rows = [result.activation, result.queue]
    emit(args, {"orders": args.orders, "requests": result.requests, "write_tx_per_activation":
                result.tx_per_activation, "write_tx_per_request": result.tx_per_request,
                "rows": [r.as_dict() for r in rows]},
         f"Activation through the services on a real SQLite file ({args.orders} orders, {result.requests} "
         "requests; WAL, synchronous=FULL)\n"
         f"ours = start -> device -> SIM -> number -> plan -> cart -> cash -> sale completed (queued), "
         f"{result.tx_per_activation:.1f} write transactions each; and the queue's send + answers per request, "
         f"{result.tx_per_request:.1f} write transactions each\n"
         "raw = the same number of bare sqlite3 write transactions (one small insert each) on the same file\n"
         + table(rows))
    return 0


def add_commands(sim: Any, bench: Any, add: Add, *, open_services: OpenServices, emit: Emit) -> None:
    s = add(sim, "activations", lambda a: cmd_simulate_activations(a, open_services=open_services, emit=emit),
            "activation orders of every kind through the real services and the provisioning queue (simulators, "
            "training mode only)")
    s.add_argument("--count", type=int, default=50, help=f"orders (1..{MAX_COUNT}, default 50)")
    s.add_argument("--seed", type=int, default=1)
    b = add(bench, "activation", lambda a: cmd_bench_activation(a, emit=emit),
            "p50/p95 of an activation (start to queued) and of the queue per request vs bare write transactions")
    b.add_argument("--orders", type=int, default=100, help=f"activations to time (2..{MAX_BENCH}, default 100)")
