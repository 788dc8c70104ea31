"""What the central store does with each entity a terminal can push (guide §4, conflict rules by kind).

One table, :data:`POLICIES`, maps an entity name (the local table name, as written to ``sync_outbox``) to its
:class:`EntityPolicy`. Both sides use it: the central store to merge, validate and serve rows; the terminal engine
to know which entities it pulls and applies. Every entity the local database can put in the outbox has a policy
(``tests/sync/test_entities.py`` walks the Syncable models).

Kinds:

* ``event`` — money and events (sales, tenders, drawer, audit, ...): inserted once; later updates (an open sale
  completed, a pending tender approved) are accepted only from the row's origin terminal; never merged across
  terminals.
* ``profile`` — mutable records (customer, account, line, ...): last writer wins per field by HLC (HLC text order
  includes the node as the tie-break); a value that loses to another terminal's goes to the conflict log.
* ``stock`` — movement rows (a signed ``qty`` per ``sku``), summed per store; a negative on-hand is flagged
  ``oversell``.
* ``shared`` — chain-wide catalog owned by head office (plan, device_model, accessory): a store's push of it is
  rejected; every terminal pulls it. ``key`` names its id field (``code`` / ``upc``).

``pulled=False`` marks push-only entities (audit, verification attempts, one-time codes: secrets stay local).

:class:`UniqueKey` s are the local unique keys a pulled row can collide with (an employee number, a line's phone
number, an IMEI): two terminals of a store may each create a row with the same value before either has seen the
other's. A pulled row that collides is held back and flagged for a manager (:mod:`posapp.sync.held`) instead of
failing every pull; ``tests/sync/test_entities.py`` checks that every single-column unique key of a pulled profile
table is declared here.

Uniqueness :class:`Claim` s (an IMEI sold, an IMEI activated) are checked centrally across stores and terminals: a
second claimant of the same key is kept and a ``uniqueness`` conflict is flagged for a manager.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any


class Kind(StrEnum):
    EVENT = "event"
    PROFILE = "profile"
    STOCK = "stock"
    SHARED = "shared"


@dataclass(frozen=True)
class Claim:
    """A claim that ``row[field]`` is unique chain-wide for ``kind`` when the row (and its parent) qualify.

    ``when`` are equality conditions on the row (``None`` = the field is empty/absent). ``parent`` =
    (parent entity, the row's field holding the parent id, equality conditions on the parent): the claim only holds
    once the parent qualifies (e.g. a sale line's IMEI is "sold" once its sale is a completed sale, not a refund).
    ``release_via`` names a row field that points at an earlier claimant this row releases (a refund line's
    ``original_line_id``) when the same parent conditions hold with ``release_parent``.
    """

    kind: str
    field: str
    when: Mapping[str, Any] = dataclasses.field(default_factory=dict)
    parent: tuple[str, str, Mapping[str, Any]] | None = None
    release_via: str | None = None
    release_when: Mapping[str, Any] = dataclasses.field(default_factory=dict)
    release_parent: Mapping[str, Any] = dataclasses.field(default_factory=dict)
    #: a row whose field holds one of these values claims nothing and releases its own claim (a cancelled line)
    released_by: Mapping[str, tuple[Any, ...]] = dataclasses.field(default_factory=dict)
    #: a row claims one key at a time: claiming a new value releases the row's claims of other values (a line
    #: given another number)
    rekey: bool = False


@dataclass(frozen=True)
class UniqueKey:
    """A local unique column that a row pulled from another terminal can collide with.

    ``noun`` / ``what`` name it for a manager ("Two *employees* have *number* 8001"), ``label`` is a column that
    tells the two rows apart on screen (never a secret or a customer's contact data; None = show none), ``fix``
    says how to resolve it.
    """

    field: str
    noun: str
    what: str
    fix: str
    label: str | None = None


@dataclass(frozen=True)
class EntityPolicy:
    name: str
    kind: Kind
    pulled: bool = True
    key: str = "id"
    claims: tuple[Claim, ...] = ()
    unique: tuple[UniqueKey, ...] = ()     # local unique keys a pulled row can collide with
    stock_sku: str = "sku"           # stock kind: the item field and the signed quantity field
    stock_qty: str = "qty"

    @property
    def shared(self) -> bool:
        return self.kind is Kind.SHARED


_SOLD = Claim(
    kind="imei_sold", field="imei", when={"removed": False, "original_line_id": None},
    parent=("sale", "sale_id", {"kind": "sale", "status": "completed"}),
    release_via="original_line_id", release_when={"removed": False},
    release_parent={"kind": "refund", "status": "completed"},
)
_ACTIVATED = Claim(kind="imei_activated", field="imei")
_ENDED = {"status": ("cancelled", "failed")}
#: a pool number given to an activation line; the same number given at two terminals (offline) is flagged, and the
#: later line is put on hold at its terminal (posapp.services.activation.collisions)
_POOL_ASSIGNED = Claim(kind="msisdn_assigned", field="msisdn", when={"number_source": "pool"}, released_by=_ENDED,
                       rekey=True)
#: a store device or the customer's own device activated on a line (a kept device, SIM change, claims nothing)
_LINE_IMEI = tuple(Claim(kind="imei_activation", field="imei", when={"device_source": source}, released_by=_ENDED,
                         rekey=True) for source in ("store", "own"))
#: a number head office assigned to a store's pool: one store at a time
_POOL_NUMBER = Claim(kind="pool_msisdn", field="msisdn")
_IMEI = UniqueKey("imei", noun="devices", what="IMEI", fix="check the device and correct one record")


def _p(name: str, kind: Kind, **kw: Any) -> EntityPolicy:
    return EntityPolicy(name=name, kind=kind, **kw)


POLICIES: dict[str, EntityPolicy] = {p.name: p for p in (
    # money and events
    _p("sale", Kind.EVENT),
    _p("sale_line", Kind.EVENT, claims=(_SOLD,)),
    _p("sale_tax_line", Kind.EVENT),
    _p("sale_signature", Kind.EVENT),
    _p("tender", Kind.EVENT),
    _p("drawer_session", Kind.EVENT),
    _p("drawer_event", Kind.EVENT),
    _p("bill_payment", Kind.EVENT),
    _p("store_credit_entry", Kind.EVENT),
    _p("offline_forward", Kind.EVENT),
    _p("sale_eip_snapshot", Kind.EVENT),
    _p("interaction_note", Kind.EVENT),
    _p("activation", Kind.EVENT),
    _p("activation_line", Kind.EVENT, claims=(_POOL_ASSIGNED, *_LINE_IMEI)),
    _p("port_in", Kind.EVENT),
    _p("provisioning_event", Kind.EVENT),
    _p("plan_change", Kind.EVENT),
    _p("audit_event", Kind.EVENT, pulled=False),
    _p("verification_attempt", Kind.EVENT, pulled=False),
    _p("one_time_code", Kind.EVENT, pulled=False),
    # mutable profiles
    _p("customer", Kind.PROFILE),
    _p("account", Kind.PROFILE, unique=(UniqueKey(
        "account_number", noun="accounts", what="account number", fix="ask head office to renumber one"),)),
    _p("account_member", Kind.PROFILE),
    _p("line", Kind.PROFILE, unique=(UniqueKey(
        "msisdn", noun="lines", what="phone number", fix="give one line another number from the pool"),)),
    _p("device", Kind.PROFILE, claims=(_ACTIVATED,), unique=(_IMEI,)),
    _p("autopay_enrolment", Kind.PROFILE),
    _p("alert_setting", Kind.PROFILE),
    _p("interaction", Kind.PROFILE, unique=(UniqueKey(
        "case_number", noun="cases", what="case number", fix="ask head office to renumber one"),)),
    _p("visit", Kind.PROFILE),
    _p("employee", Kind.PROFILE, unique=(UniqueKey(
        "number", noun="employees", what="number", label="name",
        fix="renumber one (posapp-admin employee renumber OLD NEW)"),)),
    _p("inventory_device", Kind.PROFILE, unique=(_IMEI,)),
    _p("financing_agreement", Kind.PROFILE),
    _p("bill", Kind.PROFILE),
    _p("pool_number", Kind.PROFILE, claims=(_POOL_NUMBER,), unique=(UniqueKey(
        "msisdn", noun="pool numbers", what="phone number", fix="ask head office to withdraw one"),)),
    # stock movements
    _p("stock_movement", Kind.STOCK),
    # chain-wide catalog (head office)
    _p("plan", Kind.SHARED, key="code"),
    _p("device_model", Kind.SHARED, key="code"),
    _p("accessory", Kind.SHARED, key="upc"),
)}

SHARED_ENTITIES: tuple[str, ...] = tuple(n for n, p in POLICIES.items() if p.shared)
PULLED_ENTITIES: tuple[str, ...] = tuple(n for n, p in POLICIES.items() if p.pulled)


def policy(entity: str) -> EntityPolicy | None:
    """The policy of ``entity``, or None when the central store does not know it (a push of it is rejected)."""
    return POLICIES.get(entity)


def matches_any(row: Mapping[str, Any], values: Mapping[str, tuple[Any, ...]]) -> bool:
    """True when some field of ``row`` holds one of its listed values."""
    return any(row.get(name) in allowed for name, allowed in values.items())


def matches(row: Mapping[str, Any], conditions: Mapping[str, Any]) -> bool:
    """True when every condition holds on ``row`` (``None`` matches an absent or empty field)."""
    for name, want in conditions.items():
        have = row.get(name)
        if want is None:
            if have not in (None, ""):
                return False
        elif have != want:
            return False
    return True


__all__ = ["POLICIES", "PULLED_ENTITIES", "SHARED_ENTITIES", "Claim", "EntityPolicy", "Kind", "UniqueKey", "matches",
           "matches_any", "policy"]
