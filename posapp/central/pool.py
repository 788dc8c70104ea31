"""Head office assigns phone numbers to a store's number pool (issue 11, "Number").

A pool number is an ordinary store row of the ``pool_number`` entity, authored by head office: written into the
central store with :func:`posapp.central.seed.load_store_rows` (one transaction, the store's sequence, origin
``HQ``), so only that store's terminals pull it, like any other row of the store. Its terminals then reserve it for
an activation line (a profile edit that syncs back). Each number is claimed ``pool_msisdn`` for its store
(``central_claim``), which is how a number already assigned to another store is refused here, and how a number a
terminal added to its own pool by hand (``posapp-admin pool add``) is flagged when another store has it.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

import phonenumbers
from sqlalchemy import select

from posapp.central import models as m
from posapp.central.seed import SeedRow, load_store_rows
from posapp.central.store import CentralStore
from posapp.domain.activation import PoolStatus
from posapp.domain.validate import Invalid, validate_msisdn
from posapp.errors import ValidationError

ENTITY = "pool_number"
CLAIM = "pool_msisdn"
ORIGIN = "HQ"
MAX_RANGE = 10_000


@dataclass(frozen=True)
class PoolAssignment:
    store_id: str
    added: tuple[str, ...]      # E.164, new to the store's pool
    already: tuple[str, ...]    # already in this store's pool: left as they are


def display(msisdn: str) -> str:
    """``+12065550142`` -> ``+1 206-555-0142``."""
    return str(phonenumbers.format_number(phonenumbers.parse(msisdn, None),
                                          phonenumbers.PhoneNumberFormat.INTERNATIONAL))


def normalise(numbers: Iterable[str]) -> list[str]:
    """E.164 of every number, in order, each once; a ValidationError names the first bad one."""
    out: dict[str, None] = {}
    for text in numbers:
        result = validate_msisdn(text)
        if isinstance(result, Invalid):
            raise ValidationError(f"{text.strip()!r}: {result.reason}")
        out[result.value] = None
    return list(out)


def number_range(first: str, last: str) -> list[str]:
    """Every number from ``first`` to ``last`` (E.164, same country and length), at most :data:`MAX_RANGE`."""
    a, b = normalise([first, last]) if first != last else normalise([first]) * 2
    pa, pb = phonenumbers.parse(a, None), phonenumbers.parse(b, None)
    na, nb = phonenumbers.national_significant_number(pa), phonenumbers.national_significant_number(pb)
    if pa.country_code != pb.country_code or len(na) != len(nb):
        raise ValidationError(f"{display(a)} and {display(b)} are not one range (country and length differ).")
    lo, hi = int(na), int(nb)
    if hi < lo:
        raise ValidationError(f"The range ends before it starts: {display(b)} < {display(a)}.")
    if hi - lo + 1 > MAX_RANGE:
        raise ValidationError(f"{hi - lo + 1} numbers is more than {MAX_RANGE} at once: split the range.")
    return normalise(f"+{pa.country_code}{n:0{len(na)}d}" for n in range(lo, hi + 1))


def holders(central: CentralStore, numbers: Sequence[str]) -> dict[str, str]:
    """The store each of ``numbers`` is assigned to (live ``pool_msisdn`` claims), number -> store."""
    cc = m.claim.c
    found: dict[str, str] = {}
    with central.engine.connect() as conn:
        for i in range(0, len(numbers), 500):
            part = list(numbers[i:i + 500])
            for key, store in conn.execute(select(cc.claim_key, cc.store_id).where(
                    cc.kind == CLAIM, cc.claim_key.in_(part), cc.released.is_(False))):
                found.setdefault(str(key), str(store))
    return found


def _row(store_id: str, msisdn: str, hlc: str, now: datetime) -> SeedRow:
    import json

    row_id = str(uuid.uuid4())
    data = {"id": row_id, "msisdn": msisdn, "status": PoolStatus.AVAILABLE.value,
            "reserved_by_line_id": None, "reserved_at": None, "store_id": store_id, "origin_terminal_id": ORIGIN,
            "created_at": now.isoformat(timespec="microseconds"), "updated_hlc": hlc}
    return ENTITY, row_id, json.dumps(data, sort_keys=True, separators=(",", ":")), hlc, ORIGIN


def assign(central: CentralStore, store_id: str, numbers: Iterable[str]) -> PoolAssignment:
    """Add ``numbers`` (any human format) to ``store_id``'s pool at the centre. All or nothing: a number assigned
    to another store refuses the whole request, naming it; numbers already in this store's pool are skipped."""
    wanted = normalise(numbers)
    if not wanted:
        raise ValidationError("No numbers given.")
    taken = holders(central, wanted)
    elsewhere = sorted(n for n, s in taken.items() if s != store_id)
    if elsewhere:
        shown = ", ".join(f"{display(n)} (store {taken[n]})" for n in elsewhere[:5])
        more = f" and {len(elsewhere) - 5} more" if len(elsewhere) > 5 else ""
        raise ValidationError(f"Assigned to another store: {shown}{more}; nothing was added.")
    new = [n for n in wanted if n not in taken]
    if new:
        hlc, now = str(central.clock.now()), datetime.now(UTC)
        load_store_rows(central, store_id, [[_row(store_id, n, hlc, now) for n in new]])
    return PoolAssignment(store_id=store_id, added=tuple(new), already=tuple(n for n in wanted if n in taken))


def listing(central: CentralStore, store_id: str) -> list[dict[str, object]]:
    """The store's pool at the centre (merged rows), lowest number first."""
    rows = central.rows(store_id, ENTITY)
    return sorted(({"msisdn": d.get("msisdn"), "status": d.get("status"),
                    "reserved_by_line_id": d.get("reserved_by_line_id")} for d in rows.values()),
                  key=lambda d: str(d["msisdn"]))


__all__ = ["PoolAssignment", "assign", "display", "holders", "listing", "normalise", "number_range"]
