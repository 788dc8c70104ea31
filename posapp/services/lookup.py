"""One search box: classify the input, search the right way, return masked hits (no private data)."""

from __future__ import annotations

import logging
import time
import uuid
from dataclasses import dataclass

from posapp.db.search import Row, SearchIndex
from posapp.domain.query import ACCOUNT_DIGITS, Query, QueryKind, classify
from posapp.security.permissions import Permission
from posapp.services.dto import Actor
from posapp.services.uow import UnitOfWork

log = logging.getLogger(__name__)
MIN_PHONE_DIGITS = 3
MAX_LIMIT = 100


@dataclass(frozen=True)
class LookupHit:
    customer_id: uuid.UUID
    account_id: uuid.UUID | None
    display_name: str
    masked_phone: str
    city: str
    account_kind: str
    masked_account: str
    role: str
    matched_by: str


@dataclass(frozen=True)
class LookupResult:
    query: Query
    hits: tuple[LookupHit, ...]
    message: str
    elapsed_ms: float


def mask_phone(digits: str | None) -> str:
    return f"•••-•••-{digits[-4:]}" if digits and len(digits) >= 4 else "—"


def mask_account(number: str | None) -> str:
    return f"•••••{number[-4:]}" if number else "no account"


def _hit(row: Row, matched_by: str) -> LookupHit:
    name = f"{row.first_name} {row.last_name}"
    if row.business_name:
        name = f"{name} · {row.business_name}"
    place = ", ".join(p for p in (row.city, row.state) if p)
    return LookupHit(
        customer_id=uuid.UUID(row.customer_id), account_id=uuid.UUID(row.account_id) if row.account_id else None,
        display_name=name, masked_phone=mask_phone(row.phone_digits), city=place or "—",
        account_kind=row.account_kind or "—", masked_account=mask_account(row.account_number),
        role=row.role or "—", matched_by=matched_by)


class LookupService:
    def __init__(self, *, uow: UnitOfWork, index: SearchIndex) -> None:
        self._uow = uow
        self._index = index

    def search(self, actor: Actor, raw: str, *, limit: int = 20) -> LookupResult:
        """Never raises on any input: bad or hostile text gives hits or a clean 'no match'."""
        self._uow.check(actor, Permission.CUSTOMER_LOOKUP)
        started = time.perf_counter()
        limit = max(1, min(limit, MAX_LIMIT))
        q = classify(raw)
        rowids, message = self._rowids(q, limit)
        rows = self._index.details(rowids)
        order = {r: i for i, r in enumerate(rowids)}
        rows.sort(key=lambda r: order.get(r.rowid, len(order)))
        hits = tuple(_hit(r, q.kind.value) for r in rows[:limit])
        if not hits and not message:
            message = f"No customer matches {_describe(q)}."
        log.debug("lookup kind=%s hits=%d", q.kind.value, len(hits))
        return LookupResult(q, hits, message, (time.perf_counter() - started) * 1000)

    def _rowids(self, q: Query, limit: int) -> tuple[list[int], str]:
        ix = self._index
        if q.kind is QueryKind.EMPTY:
            return [], "Type a phone number, name, account number, IMEI, ICCID or e-mail."
        if q.kind is QueryKind.NAME:
            if not q.tokens:
                return [], "Type letters of a name (or use p: for a phone number)."
            return ix.by_name(q.tokens, limit), ""
        if q.kind is QueryKind.PHONE:
            if len(q.value) < MIN_PHONE_DIGITS:
                return [], f"Type at least {MIN_PHONE_DIGITS} digits of the phone number."
            return ix.by_phone_prefix(q.value[:10], limit), ""
        if q.kind is QueryKind.EMAIL:
            return (ix.by_email_prefix(q.value, limit), "") if q.value else ([], "Type an e-mail address.")
        if q.kind is QueryKind.RECEIPT:
            return [], f"No sale with receipt number {q.value} on this terminal."
        if q.kind is QueryKind.IMEI and q.note.startswith("not a valid"):
            return [], f"{q.value or 'That'} is {q.note}."
        found = ix.members(ix.accounts_by(q.kind.value, q.value), limit)
        if q.kind is QueryKind.ACCOUNT and not q.forced and len(q.value) == ACCOUNT_DIGITS:
            phone = ix.by_phone_prefix(q.value, limit)
            found = list(dict.fromkeys(found + phone))[:limit]
        return found, ""


def _describe(q: Query) -> str:
    what = {QueryKind.NAME: "the name", QueryKind.PHONE: "the phone number", QueryKind.ACCOUNT: "account",
            QueryKind.IMEI: "IMEI", QueryKind.ICCID: "ICCID", QueryKind.EMAIL: "the e-mail"}.get(q.kind, "")
    shown = q.value if len(q.value) <= 40 else q.value[:40] + "…"
    return f"{what} “{shown}”"
