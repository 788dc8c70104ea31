"""One search box: classify the input, search the right way, return masked hits (no private data)."""

from __future__ import annotations

import logging
import time
import uuid
from dataclasses import dataclass
from typing import NamedTuple

from posapp.db.search import SearchIndex
from posapp.domain.query import ACCOUNT_DIGITS, Query, QueryKind, classify
from posapp.security.permissions import Permission
from posapp.services.dto import Actor
from posapp.services.uow import UnitOfWork

log = logging.getLogger(__name__)
MIN_PHONE_DIGITS = 3
MAX_LIMIT = 100


class LookupHit(NamedTuple):
    """One masked search hit. Immutable like every DTO; a NamedTuple built straight from the masked SQL row
    because up to 20 are built per keystroke. Ids are kept as stored (32 hex digits) and parsed on access."""

    customer_key: str
    account_key: str | None
    display_name: str
    masked_phone: str
    city: str
    account_kind: str
    masked_account: str
    role: str
    matched_by: str

    @property
    def customer_id(self) -> uuid.UUID:
        return uuid.UUID(hex=self.customer_key)

    @property
    def account_id(self) -> uuid.UUID | None:
        return uuid.UUID(hex=self.account_key) if self.account_key else None


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
        rows = self._index.details(rowids, q.kind.value)
        if len(rows) > 1:
            order = {r: i for i, r in enumerate(rowids)}
            rows.sort(key=lambda r: order[r[0]])
        make = LookupHit._make
        hits = tuple([make(r[1:]) for r in rows[:limit]])
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
            found = ix.members(ix.accounts_by("receipt", q.value), limit)
            if found:
                return found, ""
            if ix.receipt_exists(q.value):
                return [], f"Receipt {q.value} is a sale without a customer account."
            return [], f"No sale with receipt number {q.value} in this store's records."
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
