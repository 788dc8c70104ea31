"""The customer-search hot path: plain sqlite3 on a per-thread, query-only connection.

Every value is bound as a parameter and FTS5 terms are quoted, so no input can change a query's meaning or
raise a syntax error. Returns plain tuples, already masked; the lookup service wraps them in DTOs.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

# Display-ready, masked rows: masking happens in SQL, so unmasked values never reach Python on this path. The
# columns after rowid are exactly posapp.services.lookup.LookupHit's fields (the last one is bound: matched_by).
DETAILS_SQL = """
SELECT c.rowid, c.id, a.id,
       c.first_name || ' ' || c.last_name || COALESCE(' · ' || a.business_name, ''),
       CASE WHEN length(c.phone_digits) >= 4 THEN '•••-•••-' || substr(c.phone_digits, -4) ELSE '—' END,
       COALESCE(c.city || ', ' || c.state, c.city, c.state, '—'),
       COALESCE(a.kind, '—'),
       CASE WHEN a.account_number IS NULL THEN 'no account' ELSE '•••••' || substr(a.account_number, -4) END,
       COALESCE(m.role, '—'),
       ?
FROM customer c
LEFT JOIN account_member m ON m.customer_id = c.id
LEFT JOIN account a ON a.id = m.account_id
WHERE c.rowid IN ({marks})
"""

# No ORDER BY rank: ranking every match of a short prefix costs tens of ms on a million customers. Instead whole-
# word matches come first (an exact query), then prefix matches, each in index order with an early LIMIT.
NAME_SQL = "SELECT rowid FROM customer_fts WHERE customer_fts MATCH ? LIMIT ?"
PHONE_SQL = "SELECT rowid FROM customer WHERE phone_digits >= ? AND phone_digits < ? ORDER BY phone_digits LIMIT ?"
EMAIL_SQL = "SELECT rowid FROM customer WHERE email >= ? AND email < ? ORDER BY email LIMIT ?"
MSISDN_SQL = """
SELECT l.account_id FROM line l WHERE l.msisdn >= ? AND l.msisdn < ? ORDER BY l.msisdn LIMIT ?
"""
ACCOUNT_SQL = "SELECT id FROM account WHERE account_number = ?"
IMEI_SQL = "SELECT account_id FROM device WHERE imei = ? AND account_id IS NOT NULL"
ICCID_SQL = "SELECT account_id FROM line WHERE iccid = ?"
RECEIPT_SQL = "SELECT account_id FROM sale WHERE receipt_no = ? AND account_id IS NOT NULL"
RECEIPT_EXISTS_SQL = "SELECT 1 FROM sale WHERE receipt_no = ?"
MEMBERS_SQL = """
SELECT c.rowid FROM account_member m JOIN customer c ON c.id = m.customer_id
WHERE m.account_id IN ({marks})
ORDER BY CASE m.role WHEN 'primary' THEN 0 WHEN 'master' THEN 0 ELSE 1 END
LIMIT ?
"""


def fts_prefix_query(tokens: Sequence[str]) -> str:
    """``ana lop`` → ``"ana"* "lop"*`` with every term quoted (quotes inside doubled)."""
    return " ".join('"' + t.replace('"', '""') + '"*' for t in tokens if t)


def fts_exact_query(tokens: Sequence[str]) -> str:
    """``ana lopez`` → ``"ana" "lopez"``: whole words only."""
    return " ".join('"' + t.replace('"', '""') + '"' for t in tokens if t)


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
        """Whole-word matches first, then prefix matches."""
        if not any(tokens):
            return []
        con = self._con()
        exact = [r[0] for r in con.execute(NAME_SQL, (fts_exact_query(tokens), limit))]
        if len(exact) >= limit:
            return exact
        prefix = [r[0] for r in con.execute(NAME_SQL, (fts_prefix_query(tokens), limit))]
        return _merge(exact, prefix, limit)

    def by_phone_prefix(self, digits: str, limit: int) -> list[int]:
        rows = [r[0] for r in self._con().execute(PHONE_SQL, (digits, upper_bound(digits), limit))]
        prefix = "+1" + digits
        accounts = [r[0] for r in self._con().execute(MSISDN_SQL, (prefix, upper_bound(prefix), limit))]
        return _merge(rows, self.members(accounts, limit), limit)

    def by_email_prefix(self, text: str, limit: int) -> list[int]:
        return [r[0] for r in self._con().execute(EMAIL_SQL, (text, upper_bound(text), limit))]

    def accounts_by(self, kind: str, value: str) -> list[str]:
        sql = {"account": ACCOUNT_SQL, "imei": IMEI_SQL, "iccid": ICCID_SQL, "receipt": RECEIPT_SQL}[kind]
        return [r[0] for r in self._con().execute(sql, (value,))]

    def receipt_exists(self, receipt_no: str) -> bool:
        return self._con().execute(RECEIPT_EXISTS_SQL, (receipt_no,)).fetchone() is not None

    def members(self, account_ids: Sequence[str], limit: int) -> list[int]:
        if not account_ids:
            return []
        sql = MEMBERS_SQL.format(marks=",".join("?" * len(account_ids)))
        return [r[0] for r in self._con().execute(sql, (*account_ids, limit))]

    def details(self, rowids: Sequence[int], matched_by: str) -> list[tuple[Any, ...]]:
        """Masked display rows (rowid first) for the given customers; one row per account membership."""
        if not rowids:
            return []
        sql = DETAILS_SQL.format(marks=",".join("?" * len(rowids)))
        return self._con().execute(sql, (matched_by, *rowids)).fetchall()


def _merge(first: list[int], second: list[int], limit: int) -> list[int]:
    seen = dict.fromkeys(first)
    for r in second:
        seen.setdefault(r)
    return list(seen)[:limit]
