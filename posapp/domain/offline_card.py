"""Offline (store-and-forward) card payments: the caps and the forwarding deadline. No I/O.

While the store link is down a card can still be taken: the terminal approves it alone and stores it, and it
must be forwarded to the processor within ``offline_forward_hours``. The store carries the risk that the
processor declines it later, so it is limited: one payment at most ``offline_card_max_cents``, and all offline
payments not yet forwarded together at most ``offline_card_total_cents``; a manager approves each one.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

OFFLINE_PENDING = "pending_forward"
OFFLINE_FORWARDED = "forwarded"
OFFLINE_DECLINED = "offline_declined"


def offline_refusal(amount_cents: int, pending_cents: int, *, max_cents: int, total_cents: int) -> str | None:
    """Why an offline card payment of ``amount_cents`` is refused (None: allowed). ``pending_cents``: the offline
    card payments not yet forwarded."""
    if amount_cents > max_cents:
        return (f"An offline card payment can be at most {max_cents / 100:,.2f} (this one is "
                f"{amount_cents / 100:,.2f}); take the rest in cash or wait for the store link.")
    if pending_cents + amount_cents > total_cents:
        room = max(total_cents - pending_cents, 0)
        return (f"Offline card payments not yet forwarded would exceed {total_cents / 100:,.2f} "
                f"({pending_cents / 100:,.2f} pending); at most {room / 100:,.2f} more can be taken offline.")
    return None


def forward_deadline(taken_at: datetime, hours: int) -> datetime:
    return taken_at + timedelta(hours=hours)


def offline_label(state: str, forward_by: datetime | None, tz: str, now: datetime | None = None) -> str:
    """What the register shows for an offline card tender: ``offline — forward by 14:05`` (store time), or
    ``offline — OVERDUE, was due 14:05`` once ``now`` is past the deadline."""
    if state == OFFLINE_DECLINED:
        return "offline — DECLINED at forwarding (manager to collect)"
    if state == OFFLINE_FORWARDED:
        return "offline — forwarded"
    if forward_by is None:
        return "offline"
    local = forward_by.astimezone(ZoneInfo(tz)).strftime("%H:%M")
    if now is not None and now > forward_by:
        return f"offline — OVERDUE, was due {local}"
    return f"offline — forward by {local}"
