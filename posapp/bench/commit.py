"""``posapp-admin bench commit``: time of committing a sale (TenderService.complete: totals, tax lines, devices,
receipt number, audit and outbox in one synchronous=FULL transaction) against a bare sqlite3 transaction that
inserts the same completed sale — its sale row, lines, tax lines and tenders — into a copy of those tables
(WAL, synchronous=FULL)."""

from __future__ import annotations

import random
import sqlite3
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

from posapp.demo.signature import sign_if_required
from posapp.domain.tax import Category
from posapp.services.dto import Actor
from posapp.services.registry import Services
from posapp.stats import Comparison, compare

TABLES = ("sale", "sale_line", "sale_tax_line", "tender")


@dataclass(frozen=True)
class CommitBench:
    comparison: Comparison
    lines_per_sale: int


def _raw_db(source: Path, target: Path) -> sqlite3.Connection:
    src = sqlite3.connect(source)
    ddl = [row[0] for row in src.execute(
        f"SELECT sql FROM sqlite_master WHERE type = 'table' AND name IN ({','.join('?' * len(TABLES))})", TABLES)]
    src.close()
    target.unlink(missing_ok=True)
    con = sqlite3.connect(target, isolation_level=None)
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("PRAGMA synchronous=FULL")
    for sql in ddl:  # REFERENCES clauses stay, but foreign keys are off on a bare connection
        con.execute(sql)
    return con


def _copy_rows(src: sqlite3.Connection, sale_id: str) -> dict[str, list[tuple[object, ...]]]:
    rows: dict[str, list[tuple[object, ...]]] = {}
    rows["sale"] = src.execute("SELECT * FROM sale WHERE id = ?", (sale_id,)).fetchall()
    for t in TABLES[1:]:
        rows[t] = src.execute(f"SELECT * FROM {t} WHERE sale_id = ?", (sale_id,)).fetchall()
    return rows


def run(services: Services, actor: Actor, *, sales: int, raw_path: Path) -> CommitBench:
    reg = services.register
    upcs = [a["upc"] for a in reg.data.accessories][:3]
    ours: list[float] = []
    ids: list[uuid.UUID] = []
    rng = random.Random(1)
    for i in range(sales):
        sale = reg.cart.open(actor)
        for upc in upcs:
            reg.cart.add_accessory(actor, sale.id, upc)
        view = reg.cart.add_item(actor, sale.id, sku="BILLPAY", description="Bill payment",
                                 category=Category.SERVICE, price_cents=5_000 + i)
        due = view.due_cents
        cash = due // 2
        reg.tenders.pay_cash(actor, sale.id, amount_cents=cash, tendered_cents=cash)
        card = due - cash
        if card % 100 in (13, 57, 58):
            reg.tenders.pay_cash(actor, sale.id, amount_cents=card, tendered_cents=card)
        else:
            reg.tenders.pay_card(actor, sale.id, amount_cents=card)
        sign_if_required(services, actor, sale.id, rng)  # the customer signs before the timed commit
        start = time.perf_counter()
        reg.tenders.complete(actor, sale.id)
        ours.append((time.perf_counter() - start) * 1000)
        ids.append(sale.id)
    db = services.core.paths.database
    src = sqlite3.connect(db)
    raw = _raw_db(db, raw_path)
    raw_times: list[float] = []
    try:
        for sale_id in ids:
            rows = _copy_rows(src, sale_id.hex)  # SQLAlchemy's Uuid is 32 hex characters in SQLite
            assert rows["sale"], "sale row not found"
            start = time.perf_counter()
            raw.execute("BEGIN")
            for table, values in rows.items():
                if values:
                    marks = ",".join("?" * len(values[0]))
                    raw.executemany(f"INSERT INTO {table} VALUES ({marks})", values)
            raw.execute("COMMIT")
            raw_times.append((time.perf_counter() - start) * 1000)
    finally:
        src.close()
        raw.close()
    return CommitBench(comparison=compare("commit", ours, raw_times), lines_per_sale=len(upcs) + 1)
