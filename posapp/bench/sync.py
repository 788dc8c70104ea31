"""``posapp-admin bench sync``: changes/s of CentralStore.push into PostgreSQL vs a raw bulk insert of the same rows.

Workload: realistic sales as a terminal's outbox holds them (sale, two lines, a tax line, a tender, the tender
approved, the sale completed, an audit event: 8 changes per sale, JSON payloads of real column sets), pushed in
batches of ``batch`` changes by several terminals of several stores, one request at a time (a server's view of one
connection). Raw: the same change rows (id, store, terminal, seq, entity, entity id, op, payload, hlc) into a bare
table with the same columns and a primary key on the change id — by COPY and by executemany (psycopg pipeline) —
in the same run, on the same server.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from typing import Any

from sqlalchemy import make_url

from posapp.bench.pgcluster import fresh_database
from posapp.central.schema import init_central
from posapp.central.store import CentralStore
from posapp.ids import uuid7
from posapp.sync.protocol import Change, ChangeStatus, PushRequest


@dataclass(frozen=True)
class SyncBenchResult:
    changes: int
    batch: int
    ours_s: float
    copy_s: float
    executemany_s: float

    @property
    def ours_per_s(self) -> float:
        return self.changes / self.ours_s

    @property
    def copy_per_s(self) -> float:
        return self.changes / self.copy_s

    @property
    def executemany_per_s(self) -> float:
        return self.changes / self.executemany_s

    @property
    def ratio_copy(self) -> float:
        return self.ours_s / self.copy_s

    @property
    def ratio_executemany(self) -> float:
        return self.ours_s / self.executemany_s

    def as_dict(self) -> dict[str, float | int]:
        return {"changes": self.changes, "batch": self.batch, "ours_s": self.ours_s, "ours_per_s": self.ours_per_s,
                "copy_s": self.copy_s, "copy_per_s": self.copy_per_s, "executemany_s": self.executemany_s,
                "executemany_per_s": self.executemany_per_s, "ratio_vs_copy": self.ratio_copy,
                "ratio_vs_executemany": self.ratio_executemany}

    def table(self) -> str:
        head = f"{'case':<34}{'changes':>9}{'seconds':>10}{'changes/s':>12}{'ours/raw':>10}"
        rows = [head, "-" * len(head)]
        rows.append(f"{'ours: CentralStore.push':<34}{self.changes:>9}{self.ours_s:>10.3f}{self.ours_per_s:>12,.0f}"
                    f"{'':>10}")
        rows.append(f"{'raw: COPY into a bare table':<34}{self.changes:>9}{self.copy_s:>10.3f}"
                    f"{self.copy_per_s:>12,.0f}{self.ratio_copy:>10.2f}")
        rows.append(f"{'raw: executemany (pipeline)':<34}{self.changes:>9}{self.executemany_s:>10.3f}"
                    f"{self.executemany_per_s:>12,.0f}{self.ratio_executemany:>10.2f}")
        return "\n".join(rows)


def _uid() -> str:
    return str(uuid7())  # as a terminal makes them (time-ordered)


def _hlc(ms: int, counter: int, node: str) -> str:
    return f"{ms:013d}.{counter:05d}.{node}"


def workload(n: int, *, stores: int = 2, terminals: int = 2, seed_ms: int = 1_763_800_000_000
             ) -> list[tuple[str, str, list[Change]]]:
    """About ``n`` changes as (store, terminal, outbox changes in order)."""
    outboxes: list[tuple[str, str, list[Change]]] = [(f"B{s}", f"{t + 1:02d}", []) for s in range(stores)
                                                     for t in range(terminals)]
    made, sale_no, ms = 0, 0, seed_ms
    while made < n:
        store, term, out = outboxes[sale_no % len(outboxes)]
        node = f"{store}-{term}"
        seq = len(out)
        sale_no += 1
        ms += 7
        c = 0

        def add(entity: str, entity_id: str, op: str, payload: dict[str, Any], *, _out: list[Change] = out,
                _node: str = node, _ms: int = ms) -> None:
            nonlocal c, seq
            c += 1
            seq += 1
            hlc = _hlc(_ms, c, _node)
            if op == "update":
                payload = {**payload, "updated_hlc": hlc}
            _out.append(Change(_uid(), seq, entity, entity_id, op,
                               json.dumps(payload, sort_keys=True, separators=(",", ":")), hlc))

        common = {"store_id": store, "origin_terminal_id": term, "created_at": "2026-11-22T10:00:00.000000+00:00",
                  "updated_hlc": _hlc(ms, 0, node)}
        sale, tender = _uid(), _uid()
        emp = "0190d3b2-0000-7000-8000-000000000001"
        add("sale", sale, "insert", {**common, "id": sale, "receipt_no": None, "kind": "sale", "status": "open",
                                     "original_sale_id": None, "employee_id": emp, "account_id": None,
                                     "customer_id": None, "jurisdiction": "US-WA-SEA", "subtotal_cents": 0,
                                     "discount_cents": 0, "tax_cents": 0, "fee_cents": 0, "restocking_cents": 0,
                                     "total_cents": 0, "completed_at": None})
        for line_no in (1, 2):
            line = _uid()
            add("sale_line", line, "insert", {
                **common, "id": line, "sale_id": sale, "line_no": line_no, "category": "accessory",
                "sku": f"ACC-{line_no}", "description": "Clear case, 6.1-inch", "upc": "840244700010", "imei": None,
                "inventory_id": None, "qty": 1, "unit_price_cents": 2999, "full_retail_cents": None,
                "discount_cents": 0, "price_overridden": False, "original_line_id": None,
                "restocking_fee_cents": 0, "removed": False})
        tax = _uid()
        add("sale_tax_line", tax, "insert", {**common, "id": tax, "sale_id": sale, "kind": "tax",
                                             "code": "WA-SALES", "label": "Sales tax 10.35%", "base_cents": 5998,
                                             "amount_cents": 621})
        add("tender", tender, "insert", {**common, "id": tender, "sale_id": sale, "kind": "card",
                                         "state": "pending", "amount_cents": 6619, "tendered_cents": None,
                                         "change_cents": None, "idempotency_key": _uid(),
                                         "card_token": None, "card_brand": None, "card_last4": None,
                                         "auth_code": None, "decline_reason": None, "original_tender_id": None,
                                         "resolved_at": None})
        add("tender", tender, "update", {"state": "approved", "card_token": "tok_" + tender[:20],
                                         "card_brand": "visa", "card_last4": "4242", "auth_code": "A1B2C3",
                                         "resolved_at": "2026-11-22T10:00:01.000000+00:00"})
        add("sale", sale, "update", {"status": "completed", "receipt_no": f"{store}-{term}-{sale_no:06d}",
                                     "subtotal_cents": 5998, "tax_cents": 621, "total_cents": 6619,
                                     "completed_at": "2026-11-22T10:00:01.000000+00:00"})
        audit = _uid()
        add("audit_event", audit, "insert", {"seq": sale_no, "id": audit, "at": "2026-11-22T10:00:01+00:00",
                                             "store_id": store, "terminal_id": term, "employee_id": emp,
                                             "override_by": None, "action": "sale.completed", "entity": "sale",
                                             "entity_id": sale, "details": "{\"total_cents\":6619}",
                                             "prev_hash": "0" * 64, "hash": "f" * 64})
        made += 8
    return outboxes


RAW_DDL = ("CREATE TABLE {name} (change_id varchar(36) PRIMARY KEY, store_id varchar(10) NOT NULL, "
           "terminal_id varchar(10) NOT NULL, terminal_seq bigint NOT NULL, entity varchar(40) NOT NULL, "
           "entity_id varchar(60) NOT NULL, op varchar(10) NOT NULL, payload text NOT NULL, hlc varchar(60) NOT NULL)")




def _conninfo(url: str) -> str:
    import psycopg

    u = make_url(url)
    return psycopg.conninfo.make_conninfo(host=u.host or "", port=u.port or 5432, user=u.username or "",
                                          password=u.password or "", dbname=u.database or "")


def run_on_server(server_url: str, *, changes: int, batch: int, rounds: int = 5) -> SyncBenchResult:
    """Bench in a fresh database created on the server (dropped afterwards).

    The work is split into ``rounds``; each round pushes its share through CentralStore, then COPYs and
    executemanys the same rows, so that the three see the same machine load (the sums are reported).
    """
    import psycopg

    with fresh_database(server_url, prefix="posapp_bench_sync") as url:
        init_central(url)
        outboxes = workload(changes)
        requests: list[PushRequest] = []
        rows: list[list[tuple[Any, ...]]] = []
        for store, term, out in outboxes:
            for i in range(0, len(out), batch):
                chunk = out[i:i + batch]
                requests.append(PushRequest(store, term, _uid(), tuple(chunk)))
                rows.append([(c.change_id, store, term, c.seq, c.entity, c.entity_id, c.op, c.payload, c.hlc)
                             for c in chunk])
        total = sum(len(r) for r in rows)
        ours_s = copy_s = many_s = 0.0
        central = CentralStore.open(url)
        try:
            with psycopg.connect(_conninfo(url)) as raw:
                raw.execute(RAW_DDL.format(name="bench_raw_copy"))
                raw.execute(RAW_DDL.format(name="bench_raw_many"))
                raw.commit()
                # warm up the pool and prepared statements with a store of its own
                warm = workload(64, stores=1, terminals=1)[0]
                central.push(PushRequest("W0", "01", "warm", tuple(warm[2])))
                per_round = -(-len(requests) // rounds)
                for r in range(0, len(requests), per_round):
                    start = time.perf_counter()
                    for req in requests[r:r + per_round]:
                        response = central.push(req)
                        bad = [x for x in response.results if x.status is not ChangeStatus.APPLIED]
                        if bad:
                            raise RuntimeError(f"bench change not applied: {bad[0]}")
                    ours_s += time.perf_counter() - start
                    start = time.perf_counter()
                    for part in rows[r:r + per_round]:
                        with raw.cursor().copy("COPY bench_raw_copy FROM STDIN") as copy:
                            for row in part:
                                copy.write_row(row)
                        raw.commit()
                    copy_s += time.perf_counter() - start
                    start = time.perf_counter()
                    for part in rows[r:r + per_round]:
                        with raw.cursor() as cur:
                            cur.executemany("INSERT INTO bench_raw_many VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)",
                                            part)
                        raw.commit()
                    many_s += time.perf_counter() - start
        finally:
            central.close()
    return SyncBenchResult(changes=total, batch=batch, ours_s=ours_s, copy_s=copy_s, executemany_s=many_s)


def run(url: str | None, *, changes: int, batch: int) -> SyncBenchResult:
    """Against the server of ``url`` (a fresh database is created there), or a throwaway cluster when None."""
    if url is not None:
        return run_on_server(url, changes=changes, batch=batch)
    from posapp.bench.pgcluster import throwaway_cluster

    with throwaway_cluster() as server:
        return run_on_server(server, changes=changes, batch=batch)
