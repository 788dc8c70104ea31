"""The customer-search hot path: plain sqlite3 on a per-thread, query-only connection.

Every value is bound as a parameter and FTS5 terms are quoted, so no input can change a query's meaning or
raise a syntax error. Returns plain tuples; the lookup service turns them into DTOs.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

DETAILS_SQL = """
SELECT c.rowid, c.id, c.first_name, c.last_name, c.phone_digits, c.city, c.state,
       a.id, a.kind, a.account_number, a.business_name, m.role
FROM customer c
LEFT JOIN account_member m ON m.customer_id = c.id
LEFT JOIN account a ON a.id = m.account_id
WHERE c.rowid IN ({marks})
"""

NAME_SQL = "SELECT rowid FROM customer_fts WHERE customer_fts MATCH ? ORDER BY rank LIMIT ?"
PHONE_SQL = "SELECT rowid FROM customer WHERE phone_digits >= ? AND phone_digits < ? ORDER BY phone_digits LIMIT ?"
EMAIL_SQL = "SELECT rowid FROM customer WHERE email >= ? AND email < ? ORDER BY email LIMIT ?"
MSISDN_SQL = """
SELECT l.account_id FROM line l WHERE l.msisdn >= ? AND l.msisdn < ? ORDER BY l.msisdn LIMIT ?
"""
ACCOUNT_SQL = "SELECT id FROM account WHERE account_number = ?"
IMEI_SQL = "SELECT account_id FROM device WHERE imei = ? AND account_id IS NOT NULL"
ICCID_SQL = "SELECT account_id FROM line WHERE iccid = ?"
MEMBERS_SQL = """
SELECT c.rowid FROM account_member m JOIN customer c ON c.id = m.customer_id
WHERE m.account_id IN ({marks})
ORDER BY CASE m.role WHEN 'primary' THEN 0 WHEN 'master' THEN 0 ELSE 1 END
LIMIT ?
"""


@dataclass(frozen=True)
class Row:
    rowid: int
    customer_id: str
    first_name: str
    last_name: str
    phone_digits: str | None
    city: str | None
    state: str | None
    account_id: str | None
    account_kind: str | None
    account_number: str | None
    business_name: str | None
    role: str | None


def fts_prefix_query(tokens: Sequence[str]) -> str:
    """``ana lop`` → ``"ana"* "lop"*`` with every term quoted (quotes inside doubled)."""
    return " ".join('"' + t.replace('"', '""') + '"*' for t in tokens if t)


def upper_bound(prefix: str) -> str:
    """The smallest string greater than every string that starts with ``prefix``."""
    return prefix[:-1] + chr(ord(prefix[-1]) + 1)


class SearchIndex:
    def __init__(self, path: Path) -> None:
        self._path = path
        self._local = threading.local()

    def _con(self) -> sqlite3.Connection:
        con: sqlite3.Connection | None = getattr(self._local, "con", None)
        if con is None:
            con = sqlite3.connect(self._path, timeout=5, check_same_thread=True)
            con.execute("PRAGMA query_only = 1")
            con.execute("PRAGMA cache_size = -32768")
            self._local.con = con
        return con

    def close(self) -> None:
        con = getattr(self._local, "con", None)
        if con is not None:
            con.close()
            self._local.con = None

    # -- primitive searches returning customer rowids ---------------------------------------------------
    def by_name(self, tokens: Sequence[str], limit: int) -> list[int]:
        match = fts_prefix_query(tokens)
        if not match:
            return []
        return [r[0] for r in self._con().execute(NAME_SQL, (match, limit))]

    def by_phone_prefix(self, digits: str, limit: int) -> list[int]:
        rows = [r[0] for r in self._con().execute(PHONE_SQL, (digits, upper_bound(digits), limit))]
        prefix = "+1" + digits
        accounts = [r[0] for r in self._con().execute(MSISDN_SQL, (prefix, upper_bound(prefix), limit))]
        return _merge(rows, self.members(accounts, limit), limit)

    def by_email_prefix(self, text: str, limit: int) -> list[int]:
        return [r[0] for r in self._con().execute(EMAIL_SQL, (text, upper_bound(text), limit))]

    def accounts_by(self, kind: str, value: str) -> list[str]:
        sql = {"account": ACCOUNT_SQL, "imei": IMEI_SQL, "iccid": ICCID_SQL}[kind]
        return [r[0] for r in self._con().execute(sql, (value,))]

    def members(self, account_ids: Sequence[str], limit: int) -> list[int]:
        if not account_ids:
            return []
        sql = MEMBERS_SQL.format(marks=",".join("?" * len(account_ids)))
        return [r[0] for r in self._con().execute(sql, (*account_ids, limit))]

    def details(self, rowids: Sequence[int]) -> list[Row]:
        if not rowids:
            return []
        sql = DETAILS_SQL.format(marks=",".join("?" * len(rowids)))
        return [Row(*r) for r in self._con().execute(sql, tuple(rowids))]


def _merge(first: list[int], second: list[int], limit: int) -> list[int]:
    seen = dict.fromkeys(first)
    for r in second:
        seen.setdefault(r)
    return list(seen)[:limit]
