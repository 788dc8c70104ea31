"""Reconnect storm: many terminals, each with a backlog, all sync at once against one PostgreSQL central store.

Set-up (not timed): a fresh central database; per store, the first terminal receives stock and staff
(``simulate sales``) and syncs; the other terminals of the store join by an initial fill (staff and stock pulled);
then every terminal sells ``sales`` sales offline (the backlog). The storm (timed): one ``posapp-admin sync
--once --json`` process per terminal, all started at once. Reported: the time until the last process has
finished (drain time, Python start-up of every process included), each run's own sync time, the changes
pushed, and the checks: every process exited 0, no change was answered ``duplicate`` (nothing was sent twice),
the central ledger holds exactly the terminals' changes, and every outbox is empty.
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from posapp.bench.pgcluster import fresh_database
from posapp.stats import percentile


@dataclass(frozen=True)
class StormResult:
    terminals: int
    stores: int
    sales_per_terminal: int
    changes: int                      # outbox changes pushed in the storm
    drain_s: float                    # first process started -> last process finished
    run_s: tuple[float, ...]          # each terminal's own run time (SyncReport.seconds)
    duplicates: int
    failures: int
    ledger: int                       # changes in the central ledger after the storm
    expected_ledger: int              # outbox changes of every terminal (set-up + storm)
    pending_after: int
    errors: tuple[str, ...] = field(default=())

    @property
    def ok(self) -> bool:
        return (self.failures == 0 and self.duplicates == 0 and self.pending_after == 0
                and self.ledger == self.expected_ledger)

    def as_dict(self) -> dict[str, Any]:
        return {"terminals": self.terminals, "stores": self.stores, "sales_per_terminal": self.sales_per_terminal,
                "changes": self.changes, "drain_s": round(self.drain_s, 2),
                "run_p50_s": round(percentile(self.run_s, 50), 2), "run_p95_s": round(percentile(self.run_s, 95), 2),
                "run_max_s": round(max(self.run_s, default=0.0), 2), "changes_per_s": round(self.changes_per_s),
                "duplicates": self.duplicates, "failures": self.failures, "ledger": self.ledger,
                "expected_ledger": self.expected_ledger, "pending_after": self.pending_after, "ok": self.ok}

    @property
    def changes_per_s(self) -> float:
        return self.changes / self.drain_s if self.drain_s else 0.0

    def text(self) -> str:
        d = self.as_dict()
        lines = [f"Reconnect storm: {self.terminals} terminal processes in {self.stores} stores, "
                 f"{self.sales_per_terminal} sales each offline, all `posapp-admin sync --once` at once "
                 "against one PostgreSQL",
                 f"  changes pushed      {self.changes:>10,}",
                 f"  drain time          {d['drain_s']:>10.2f} s   (start of the first process -> end of the last, "
                 "Python start-up included)",
                 f"  run time per term.  p50 {d['run_p50_s']:.2f} s, p95 {d['run_p95_s']:.2f} s, "
                 f"max {d['run_max_s']:.2f} s",
                 f"  throughput          {d['changes_per_s']:>10,} changes/s over the drain",
                 f"  exit != 0           {self.failures:>10}",
                 f"  duplicates          {self.duplicates:>10}",
                 f"  central ledger      {self.ledger:>10,} (expected {self.expected_ledger:,})",
                 f"  unsynced after      {self.pending_after:>10}",
                 f"  result              {'OK' if self.ok else 'FAILED'}"]
        lines += [f"  error: {e}" for e in self.errors[:5]]
        return "\n".join(lines)




def _terminal(root: Path, store: str, terminal: str, central_url: str) -> Any:
    import json as _json

    from posapp.db.migrate import upgrade_database
    from posapp.paths import DataPaths
    from posapp.services.registry import Services

    paths = DataPaths.resolve(root)
    paths.ensure()
    upgrade_database(paths.database, backups=paths.backups)
    with sqlite3.connect(paths.database) as con:
        con.executemany("INSERT INTO setting (key, value, updated_at) VALUES (?, ?, '2026-01-01 00:00:00')",
                        [(k, _json.dumps(v)) for k, v in (("store_id", store), ("terminal_id", terminal),
                                                          ("central_url", central_url))])
    con.close()
    return Services.open(paths)


def _outbox(db: Path) -> tuple[int, int]:
    """(changes sent and not rejected, still pending)."""
    with sqlite3.connect(db) as con:
        sent = con.execute("SELECT count(*) FROM sync_outbox WHERE coalesce(ack_status, '') "
                           "NOT IN ('rejected', 'local_only')").fetchone()[0]
        pending = con.execute("SELECT count(*) FROM sync_outbox WHERE acked_at IS NULL").fetchone()[0]
    con.close()
    return int(sent), int(pending)


def run_on_server(server_url: str, workdir: Path, *, terminals: int, stores: int, sales: int,
                  log: Callable[[str], None] = lambda _m: None) -> StormResult:
    from posapp.central.store import CentralStore
    from posapp.demo.sales import simulate

    with fresh_database(server_url, prefix="posapp_storm") as url:
        central = CentralStore.open(url, create=True)
        names = [(f"S{1 + i % stores:03d}", f"T{1 + i // stores:02d}") for i in range(terminals)]
        roots = {n: workdir / f"{n[0]}-{n[1]}" for n in names}
        try:
            log(f"set-up: {terminals} terminals in {stores} stores, {sales} sales each ...")
            for store, term in sorted(names, key=lambda n: (n[1], n[0])):     # T01 of every store first
                services = _terminal(roots[(store, term)], store, term, url)
                try:
                    if term == "T01":
                        simulate(services, count=1, seed=hash(store) % 10_000)     # stock + staff
                    services.sync.run_now(trigger="bench-setup")
                finally:
                    services.close()
            for i, n in enumerate(names):
                services = _terminal(roots[n], *n, url) if not roots[n].exists() else None
                if services is None:
                    from posapp.paths import DataPaths
                    from posapp.services.registry import Services

                    services = Services.open(DataPaths.resolve(roots[n]))
                try:
                    simulate(services, count=sales, seed=1000 + i)
                finally:
                    services.close()
                if (i + 1) % 10 == 0:
                    log(f"  backlog on {i + 1}/{terminals} terminals")
            before = {n: _outbox(roots[n] / "posapp.sqlite3") for n in names}
            backlog = sum(p for _, p in before.values())
            log(f"storm: {terminals} processes, {backlog:,} changes ...")
            cmd = [sys.executable, "-m", "posapp.cli", "sync", "--once", "--json"]
            t0 = time.perf_counter()
            procs = {n: subprocess.Popen([*cmd, "--data-dir", str(roots[n])], stdout=subprocess.PIPE,
                                         stderr=subprocess.PIPE, text=True) for n in names}
            outputs = {n: p.communicate(timeout=3600) for n, p in procs.items()}
            drain = time.perf_counter() - t0
            run_s: list[float] = []
            duplicates = failures = 0
            errors: list[str] = []
            for n, (out, err) in outputs.items():
                if procs[n].returncode != 0:
                    failures += 1
                    errors.append(f"{n[0]}/{n[1]}: exit {procs[n].returncode}: {err.strip()[-200:]}")
                    continue
                doc = json.loads(out)
                run_s.append(float(doc["seconds"]))
                duplicates += int(doc["duplicates"])
            after = {n: _outbox(roots[n] / "posapp.sqlite3") for n in names}
            ledger = central.change_count()
        finally:
            central.close()
    return StormResult(terminals=terminals, stores=stores, sales_per_terminal=sales, changes=backlog, drain_s=drain,
                       run_s=tuple(run_s), duplicates=duplicates, failures=failures, ledger=ledger,
                       expected_ledger=sum(s for s, _ in after.values()),
                       pending_after=sum(p for _, p in after.values()), errors=tuple(errors))


def run(url: str | None, workdir: Path, *, terminals: int = 50, stores: int = 10, sales: int = 20,
        log: Callable[[str], None] = lambda _m: None) -> StormResult:
    """Against the PostgreSQL server of ``url`` (a fresh database there), or a throwaway cluster when None."""
    if url is not None:
        return run_on_server(url, workdir, terminals=terminals, stores=stores, sales=sales, log=log)
    from posapp.bench.pgcluster import throwaway_cluster

    with throwaway_cluster() as server:
        return run_on_server(server, workdir, terminals=terminals, stores=stores, sales=sales, log=log)
