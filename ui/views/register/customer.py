"""The customer a register sale is for (from a verified Lookup visit)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass


@dataclass(frozen=True)
class CustomerRef:
    """The customer the sale is for (from a verified Lookup visit); None = walk-in."""

    account_id: uuid.UUID | None
    customer_id: uuid.UUID | None
    name: str
    masked_account: str = ""
    account_number: str = ""  # only once verified (the account view's details)
    visit_id: uuid.UUID | None = None
