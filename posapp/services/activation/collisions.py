"""A pool number (or an IMEI) given to two activation lines while offline: the later line is put on hold.

Two terminals of a store can pick the same pool number while they cannot reach the central store (each reserved it
locally). The centre sees both lines claim ``msisdn_assigned`` on the number (``posapp.sync.entities``) and flags a
``uniqueness`` conflict for the store; every terminal of the store copies it into ``sync_conflict``. After each
sync run (:meth:`posapp.services.sync.SyncService.run_now`), :func:`hold_collided_lines` looks at those conflicts:

* **Who keeps it**: of the lines claiming the key, the one created first (``created_at``, then terminal and id as
  tie-breaks) proceeds; both terminals hold both rows (activation lines are pulled by the whole store), so both
  decide the same. When a claimant is another store's (an IMEI), the line flagged here is the later one (the other
  store's claim reached the centre first).
* **The later line** — only on its own terminal (an event row is changed by its origin only) and only while it has
  not reached the carrier (draft, pending payment, queued, rejected) — goes ``on_hold`` with a reason in plain words
  ("+1 206-555-0142 was also given to another line at terminal T02; pick another number."), a ``held`` provisioning
  event and an audit entry. The provisioning sender does not send a line that is on hold. Its pool reservation is
  handed to the line that keeps the number, so the pool row converges on every terminal.
* A line that already has another number (or IMEI) is left alone: the conflict stays listed for the manager
  (``posapp-admin sync conflicts``: :func:`claim_summary`), but it is settled.

Nothing here talks to the network or blocks a sync run.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass

import phonenumbers
from sqlalchemy import select
from sqlalchemy.orm import Session

from posapp.db.models import Activation, ActivationLine, PoolNumber, ProvisioningEvent
from posapp.db.models.sync import SyncConflict
from posapp.domain.activation import LineActivationStatus, PoolStatus, ProvisioningEventKind
from posapp.events import LineStatusChanged
from posapp.services.dto import SYSTEM_ACTOR
from posapp.services.uow import Tx, UnitOfWork

#: claim kind -> the activation line's field it is about
CLAIM_FIELDS = {"msisdn_assigned": "msisdn", "imei_activation": "imei"}
REASON_CODES = {"msisdn_assigned": "number_taken", "imei_activation": "imei_taken"}
HOLDABLE = frozenset({LineActivationStatus.DRAFT, LineActivationStatus.PENDING_PAYMENT, LineActivationStatus.QUEUED,
                      LineActivationStatus.REJECTED})
ENTITY = "activation_line"


@dataclass(frozen=True)
class ClaimConflict:
    conflict_id: str
    claim: str
    key: str
    flagged: str                          # the activation line the centre flagged (its claim arrived later)
    others: tuple[tuple[str, str], ...]   # (store id, activation line id) of the earlier claimants


@dataclass(frozen=True)
class Decision:
    conflict: ClaimConflict
    keeper: ActivationLine | None         # None: another store's line keeps it
    keeper_where: str                     # "terminal T02" / "store S002"
    later: tuple[ActivationLine, ...]     # this store's lines that must give it up


def parse(row: SyncConflict) -> ClaimConflict | None:
    """The claim conflict of a ``sync_conflict`` row about an activation line's number or IMEI, else None."""
    if row.kind != "uniqueness" or row.entity != ENTITY:
        return None
    try:
        d = json.loads(row.detail)
    except ValueError:
        return None
    if not isinstance(d, dict) or d.get("claim") not in CLAIM_FIELDS:
        return None
    others = tuple((str(o.get("store_id", "")), str(o.get("entity_id", ""))) for o in d.get("others") or ()
                   if isinstance(o, dict) and o.get("entity") == ENTITY)
    return ClaimConflict(row.conflict_id, str(d["claim"]), str(d.get("key", "")), row.entity_id, others)


def _line(session: Session, line_id: str) -> ActivationLine | None:
    try:
        return session.get(ActivationLine, uuid.UUID(line_id))
    except ValueError:
        return None


def _order(line: ActivationLine) -> tuple[str, str, str]:
    return line.created_at.isoformat(), line.origin_terminal_id, str(line.id)


def decide(session: Session, conflict: ClaimConflict, store_id: str) -> Decision | None:
    """Which line keeps the key and which of this store's lines give it up (None: a line is not here yet)."""
    ids = [conflict.flagged, *(i for s, i in conflict.others if s == store_id)]
    lines = [_line(session, i) for i in dict.fromkeys(ids)]
    if any(line is None for line in lines):
        return None                       # not pulled yet: decided on a later run
    here = sorted((line for line in lines if line is not None), key=_order)
    foreign = [s for s, _ in conflict.others if s != store_id]
    if foreign:
        flagged = [line for line in here if str(line.id) == conflict.flagged]
        return Decision(conflict, None, f"store {foreign[0]}", tuple(flagged))
    keeper = here[0]
    return Decision(conflict, keeper, f"terminal {keeper.origin_terminal_id}", tuple(here[1:]))


def display(msisdn: str) -> str:
    try:
        return str(phonenumbers.format_number(phonenumbers.parse(msisdn, None),
                                              phonenumbers.PhoneNumberFormat.INTERNATIONAL))
    except phonenumbers.NumberParseException:
        return msisdn


def reason(claim: str, key: str, where: str) -> str:
    if claim == "msisdn_assigned":
        return f"{display(key)} was also given to another line at {where}; pick another number."
    return f"IMEI {key} is also being activated on another line at {where}; check the device."


def _hand_over_number(tx: Tx, key: str, loser: ActivationLine, keeper: ActivationLine | None) -> None:
    row = tx.session.scalar(select(PoolNumber).where(PoolNumber.msisdn == key))
    if row is None or row.reserved_by_line_id != loser.id:
        return
    if keeper is not None:
        row.reserved_by_line_id, row.status = keeper.id, PoolStatus.RESERVED
    else:
        row.reserved_by_line_id, row.status, row.reserved_at = None, PoolStatus.AVAILABLE, None
    tx.changed(row, fields={"status": row.status.value, "reserved_by_line_id": str(keeper.id) if keeper else None,
                            **({} if keeper else {"reserved_at": None})})


def _hold(tx: Tx, decision: Decision, line: ActivationLine) -> bool:
    c = decision.conflict
    if getattr(line, CLAIM_FIELDS[c.claim]) != c.key or line.status not in HOLDABLE:
        return False                      # settled (another number picked) or already with the carrier
    why = reason(c.claim, c.key, decision.keeper_where)
    line.status, line.reason = LineActivationStatus.ON_HOLD, why
    tx.changed(line, fields={"status": line.status.value, "reason": why})
    tx.add(ProvisioningEvent(activation_line_id=line.id, kind=ProvisioningEventKind.HELD,
                             reason_code=REASON_CODES[c.claim], reason=why, at=tx.now))
    if c.claim == "msisdn_assigned":
        _hand_over_number(tx, c.key, line, decision.keeper)
    tx.audit("activation.line_held", entity=ENTITY, entity_id=str(line.id),
             details={"claim": c.claim, "conflict_id": c.conflict_id,
                      "kept_by": str(decision.keeper.id) if decision.keeper else decision.keeper_where})
    return True


def open_conflicts(session: Session) -> list[ClaimConflict]:
    rows = session.scalars(select(SyncConflict).where(SyncConflict.kind == "uniqueness",
                                                      SyncConflict.entity == ENTITY,
                                                      SyncConflict.resolved.is_(False)))
    return [c for c in (parse(r) for r in rows) if c is not None]


def hold_collided_lines(uow: UnitOfWork) -> list[uuid.UUID]:
    """Put this terminal's later lines of every open number / IMEI collision on hold; the ids of those held."""
    settings = uow.core.settings
    with uow.read() as session:
        if not open_conflicts(session):
            return []
    held: list[LineStatusChanged] = []
    with uow.write(SYSTEM_ACTOR) as tx:
        for conflict in open_conflicts(tx.session):
            decision = decide(tx.session, conflict, settings.store_id)
            if decision is None:
                continue
            for line in decision.later:
                if line.origin_terminal_id == settings.terminal_id and _hold(tx, decision, line):
                    held.append(LineStatusChanged(line.activation_id, line.id, line.status.value, line.reason))
    for event in held:                    # after the commit: the F4 page and the account view show it live
        uow.core.events.publish(event)
    return [e.activation_line_id for e in held]


def _label(session: Session, line: ActivationLine) -> str:
    number = session.scalar(select(Activation.number).where(Activation.id == line.activation_id))
    return f"{number or 'activation'} line {line.line_no} at {line.origin_terminal_id}"


def claim_summary(session: Session, *, kind: str, entity: str, entity_id: str, detail: str, store_id: str) -> str:
    """A number / IMEI collision in a manager's words ("" when the conflict is not one)."""
    if kind == "uniqueness" and entity == "pool_number":
        return _pool_summary(detail)
    row = SyncConflict(conflict_id="", kind=kind, entity=entity, entity_id=entity_id, store_id=store_id,
                       detail=detail, detected_at="", resolved=False)
    c = parse(row)
    if c is None:
        return ""
    what = f"Number {display(c.key)}" if c.claim == "msisdn_assigned" else f"IMEI {c.key}"
    d = decide(session, c, store_id)
    if d is None:
        return f"{what} was given to two lines; the other line has not synced here yet."
    kept = _label(session, d.keeper) if d.keeper is not None else f"a line at {d.keeper_where}"
    later = "; ".join(f"{_label(session, line)} ({_state(line, c)})" for line in d.later)
    return f"{what} was given to two lines while offline: {kept} keeps it; {later}."


def _pool_summary(detail: str) -> str:
    try:
        d = json.loads(detail)
    except ValueError:
        return ""
    if not isinstance(d, dict) or d.get("claim") != "pool_msisdn":
        return ""
    stores = sorted({str(o.get("store_id")) for o in d.get("others") or () if isinstance(o, dict)})
    return (f"Number {display(str(d.get('key', '')))} was added to this store's pool but is assigned to store "
            f"{', '.join(stores) or '?'}: do not give it to a line; ask head office which store keeps it.")


def _state(line: ActivationLine, c: ClaimConflict) -> str:
    if getattr(line, CLAIM_FIELDS[c.claim]) != c.key:
        return "settled: now has another " + ("number" if c.claim == "msisdn_assigned" else "IMEI")
    if line.status is LineActivationStatus.ON_HOLD:
        return "on hold: pick another number" if c.claim == "msisdn_assigned" else "on hold: check the device"
    if line.status in HOLDABLE:
        return "put on hold at its terminal's next sync"
    return f"{line.status.value}: already with the carrier; ask the carrier to correct one"
