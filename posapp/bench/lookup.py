"""`posapp-admin bench lookup`: our search service against raw sqlite3 running the same SQL, same run.

Queries are drawn from the data itself (seeded): phone-digit prefixes and whole numbers, 3+ letter name
prefixes, account numbers, IMEIs and e-mails. Each query runs through ``LookupService.search`` (classification,
permission check, search, details, DTOs) and, interleaved, as the raw statements on a plain sqlite3 connection.
"""

from __future__ import annotations

import random
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from posapp.db import search as sql
from posapp.domain.query import Query, classify
from posapp.services.dto import Actor
from posapp.stats import Comparison, compare


@dataclass(frozen=True)
class LookupBench:
    customers: int
    queries: int
    rows: tuple[Comparison, ...]
    overall: Comparison


def sample_queries(db: Path, *, per_kind: int, seed: int) -> list[tuple[str, str]]:
    """(kind, text) pairs drawn from the database."""
    con = sqlite3.connect(db)
    rng = random.Random(seed)
    total = con.execute("SELECT max(rowid) FROM customer").fetchone()[0] or 0
    out: list[tuple[str, str]] = []

    def pick(query: str) -> list[tuple[object, ...]]:
        rows: list[tuple[object, ...]] = []
        while len(rows) < per_kind and total:
            start = rng.randint(1, total)
            rows += con.execute(query, (start,)).fetchall()
        return rows[:per_kind]

    for (digits,) in pick("SELECT phone_digits FROM customer WHERE rowid >= ? AND phone_digits IS NOT NULL LIMIT 1"):
        d = str(digits)
        out.append(("phone", d[: rng.choice((3, 6, 7, 10, 10))]))
    for first, last in pick("SELECT first_name, last_name FROM customer WHERE rowid >= ? LIMIT 1"):
        f, ln = str(first), str(last)
        out.append(("name", rng.choice((ln[: max(3, len(ln) - 2)], f"{f} {ln[:3]}", f"{f[:3]} {ln}", ln))))
    for (number,) in pick("SELECT account_number FROM account WHERE rowid >= ? LIMIT 1"):
        out.append(("account", str(number)))
    for (imei,) in pick("SELECT imei FROM device WHERE rowid >= ? AND account_id IS NOT NULL LIMIT 1"):
        out.append(("imei", str(imei)))
    for (email,) in pick("SELECT email FROM customer WHERE rowid >= ? AND email IS NOT NULL LIMIT 1"):
        out.append(("email", str(email)))
    con.close()
    rng.shuffle(out)
    return out


def raw_search(con: sqlite3.Connection, q: Query, limit: int) -> list[tuple[object, ...]]:
    """The same statements the service runs, on a plain connection; the query is classified beforehand
    (outside the timing), and rows are returned as tuples (no DTOs)."""
    kind = q.kind.value
    if kind == "name":
        ids = [r[0] for r in con.execute(sql.NAME_SQL, (sql.fts_exact_query(q.tokens), limit))]
        if len(ids) < limit:
            ids += [r[0] for r in con.execute(sql.NAME_SQL, (sql.fts_prefix_query(q.tokens), limit))]
    elif kind == "phone":
        ids = [r[0] for r in con.execute(sql.PHONE_SQL, (q.value, sql.upper_bound(q.value), limit))]
        p = "+1" + q.value
        accts = [r[0] for r in con.execute(sql.MSISDN_SQL, (p, sql.upper_bound(p), limit))]
        if accts:
            ids += [r[0] for r in con.execute(sql.MEMBERS_SQL.format(marks=",".join("?" * len(accts))),
                                              (*accts, limit))]
    elif kind == "email":
        ids = [r[0] for r in con.execute(sql.EMAIL_SQL, (q.value, sql.upper_bound(q.value), limit))]
    else:
        stmt = {"account": sql.ACCOUNT_SQL, "imei": sql.IMEI_SQL, "iccid": sql.ICCID_SQL}[kind]
        accts = [r[0] for r in con.execute(stmt, (q.value,))]
        ids = [r[0] for r in con.execute(sql.MEMBERS_SQL.format(marks=",".join("?" * len(accts))),
                                         (*accts, limit))] if accts else []
        if kind == "account":
            ids += [r[0] for r in con.execute(sql.PHONE_SQL, (q.value, sql.upper_bound(q.value), limit))]
    ids = list(dict.fromkeys(ids))[:limit]
    if not ids:
        return []
    return con.execute(sql.DETAILS_SQL.format(marks=",".join("?" * len(ids))), (kind, *ids)).fetchall()


def run(*, db: Path, search: Callable[[Actor, str], object], actor: Actor, customers: int, per_kind: int = 400,
        seed: int = 7, limit: int = 20, warmup: int = 200) -> LookupBench:
    queries = sample_queries(db, per_kind=per_kind, seed=seed)
    con = sqlite3.connect(db)
    con.execute("PRAGMA query_only = 1")
    con.execute("PRAGMA cache_size = -32768")
    classified = [classify(text) for _, text in queries]
    for (_, text), q in list(zip(queries, classified, strict=True))[:warmup]:
        search(actor, text)
        raw_search(con, q, limit)
    ours: dict[str, list[float]] = {}
    raw: dict[str, list[float]] = {}
    clock = time.perf_counter
    for i, ((kind, text), q) in enumerate(zip(queries, classified, strict=True)):
        order = (0, 1) if i % 2 == 0 else (1, 0)
        for which in order:
            t0 = clock()
            if which == 0:
                search(actor, text)
                ours.setdefault(kind, []).append((clock() - t0) * 1000)
            else:
                raw_search(con, q, limit)
                raw.setdefault(kind, []).append((clock() - t0) * 1000)
    con.close()
    rows = tuple(compare(kind, ours[kind], raw[kind]) for kind in sorted(ours))
    overall = compare("all", [x for v in ours.values() for x in v], [x for v in raw.values() for x in v])
    return LookupBench(customers=customers, queries=len(queries), rows=rows, overall=overall)
