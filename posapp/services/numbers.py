"""Human-facing numbers STORE-TERMINAL-SEQUENCE, allocated per terminal inside the caller's transaction."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from posapp.db.models import NumberSequence


def next_number(session: Session, *, name: str, store_id: str, terminal_id: str,
                column: InstrumentedAttribute[str], width: int = 6, lead: str = "") -> str:
    """Allocate the next number (``lead`` goes in front, e.g. ``ACT-``). The first allocation starts after any
    number already present with this terminal's prefix (rows that came with demo data or a restore), so numbers
    never collide."""
    prefix = f"{lead}{store_id}-{terminal_id}-"
    key = f"{name}:{prefix}"
    seq = session.get(NumberSequence, key)
    if seq is None:
        top = session.scalar(select(func.max(column)).where(column.like(prefix + "%")))
        start = int(top[len(prefix):]) + 1 if top and top[len(prefix):].isdigit() else 1
        seq = NumberSequence(name=key, next_value=start)
        session.add(seq)
    value = seq.next_value
    seq.next_value = value + 1
    session.flush()
    return f"{prefix}{value:0{width}d}"
