"""Classifying what a rep typed or a scanner sent into the search box (pure, no I/O).

The rep can force a kind with a prefix: ``p:`` phone, ``n:`` name, ``a:`` account, ``i:`` IMEI, ``s:`` ICCID,
``e:`` e-mail, ``r:`` receipt. Without a prefix the shape decides. Input is cleaned first: control characters
are dropped and anything past 200 characters is ignored, so no input can raise.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum

from posapp.domain.identifiers import luhn_check_digit, luhn_is_valid

MAX_QUERY = 200
ACCOUNT_DIGITS = 9


class QueryKind(StrEnum):
    EMPTY = "empty"
    PHONE = "phone"
    NAME = "name"
    ACCOUNT = "account"
    IMEI = "imei"
    ICCID = "iccid"
    EMAIL = "email"
    RECEIPT = "receipt"


PREFIXES = {"p": QueryKind.PHONE, "n": QueryKind.NAME, "a": QueryKind.ACCOUNT, "i": QueryKind.IMEI,
            "s": QueryKind.ICCID, "e": QueryKind.EMAIL, "r": QueryKind.RECEIPT}

_RECEIPT = re.compile(r"^[A-Z0-9]{2,10}-[A-Z0-9]{2,10}-\d{4,10}$", re.IGNORECASE)
_PHONEISH = re.compile(r"^\+?[\d\s().\-/]+$")
_FORCED = re.compile(r"^([a-zA-Z]):\s*(.*)$")
_NAME_TOKEN = re.compile(r"[^\W\d_]+(?:['’\-][^\W\d_]+)*", re.UNICODE)


@dataclass(frozen=True)
class Query:
    kind: QueryKind
    value: str  # normalised: digits for numbers, lower-case for e-mail, space-joined tokens for names
    tokens: tuple[str, ...] = ()
    forced: bool = False
    note: str = ""  # e.g. "IMEISV: software version dropped"


def clean(raw: str) -> str:
    text = raw[: MAX_QUERY * 4]
    if not text.isprintable():  # the common case (typed or scanned text) skips the per-character filter
        text = "".join(ch for ch in text if unicodedata.category(ch)[0] != "C" or ch == " ")
    return " ".join(text.split())[:MAX_QUERY]


_NON_DIGIT = re.compile(r"[^0-9]+")


def digits_of(text: str) -> str:
    return _NON_DIGIT.sub("", text)


def _national_phone_digits(text: str) -> str:
    d = digits_of(text)
    if text.lstrip().startswith("+"):
        return d[1:] if d.startswith("1") else ""
    if len(d) == 11 and d.startswith("1"):
        return d[1:]
    return d


def _name_tokens(text: str) -> tuple[str, ...]:
    return tuple(t.casefold() for t in _NAME_TOKEN.findall(text))[:4]


def _imei_from_digits(d: str) -> tuple[str, str] | None:
    if len(d) == 15 and luhn_is_valid(d):
        return d, ""
    if len(d) == 16:  # IMEISV: TAC + serial + 2-digit SVN, no check digit; rebuild the IMEI deliberately
        body = d[:14]
        return body + luhn_check_digit(body), "IMEISV: software version dropped"
    return None


def classify(raw: str) -> Query:
    text = clean(raw)
    forced = False
    kind: QueryKind | None = None
    m = _FORCED.match(text)
    if m and m.group(1).lower() in PREFIXES:
        kind, text, forced = PREFIXES[m.group(1).lower()], m.group(2), True
    if not text:
        return Query(QueryKind.EMPTY, "")
    if kind is None:
        kind, imei = _guess(text)
        if imei is not None:
            return Query(QueryKind.IMEI, imei[0], note=imei[1])
    return _normalise(kind, text, forced)


def _guess(text: str) -> tuple[QueryKind, tuple[str, str] | None]:
    """The kind the text looks like; for an IMEI also the normalised IMEI and its note (computed once)."""
    if "@" in text:
        return QueryKind.EMAIL, None
    if _RECEIPT.match(text) and not text.replace("-", "").isdigit():
        return QueryKind.RECEIPT, None
    if _PHONEISH.match(text):
        d = digits_of(text)
        if d.startswith("89") and 18 <= len(d) <= 22:
            return QueryKind.ICCID, None
        if not text.startswith("+"):
            imei = _imei_from_digits(d)
            if imei is not None:
                return QueryKind.IMEI, imei
        if len(d) == ACCOUNT_DIGITS and d == text:
            return QueryKind.ACCOUNT, None
        return QueryKind.PHONE, None
    return QueryKind.NAME, None


def _normalise(kind: QueryKind, text: str, forced: bool) -> Query:
    if kind is QueryKind.PHONE:
        return Query(kind, _national_phone_digits(text), forced=forced)
    if kind is QueryKind.ACCOUNT:
        return Query(kind, digits_of(text), forced=forced)
    if kind is QueryKind.IMEI:
        found = _imei_from_digits(digits_of(text))
        if found is None:
            return Query(kind, digits_of(text), forced=forced, note="not a valid IMEI (15 digits, Luhn)")
        return Query(kind, found[0], forced=forced, note=found[1])
    if kind is QueryKind.ICCID:
        return Query(kind, digits_of(text), forced=forced)
    if kind is QueryKind.EMAIL:
        return Query(kind, text.replace(" ", "").casefold(), forced=forced)
    if kind is QueryKind.RECEIPT:
        return Query(kind, text.upper().replace(" ", ""), forced=forced)
    tokens = _name_tokens(text)
    return Query(QueryKind.NAME, " ".join(tokens), tokens=tokens, forced=forced)
