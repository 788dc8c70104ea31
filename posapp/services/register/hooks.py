"""What other services may do inside the register's own transactions, told by the register: a sale completed
(the activations it paid for are queued), voided or abandoned, or lines taken out of its cart. The register does
not know who listens (``Services.build`` passes the activation side's hooks); the default does nothing."""

from __future__ import annotations

from typing import Protocol

from posapp.db.models import Sale, SaleLine
from posapp.services.uow import Tx


class SaleHooks(Protocol):
    def sale_completed(self, tx: Tx, sale: Sale) -> None:
        """Inside ``finish_sale`` (a sale, not a refund), before account payments and EIP snapshots are posted.
        Raising refuses the completion: nothing is written."""
        ...

    def sale_voided(self, tx: Tx, sale: Sale) -> None: ...

    def lines_removed(self, tx: Tx, sale: Sale, lines: list[SaleLine]) -> list[SaleLine]:
        """``lines`` were taken out of the cart; returns further lines the listener took out with them (the
        register puts their devices back in stock)."""
        ...


class NoHooks:
    def sale_completed(self, tx: Tx, sale: Sale) -> None:
        return None

    def sale_voided(self, tx: Tx, sale: Sale) -> None:
        return None

    def lines_removed(self, tx: Tx, sale: Sale, lines: list[SaleLine]) -> list[SaleLine]:
        return []


NO_HOOKS: SaleHooks = NoHooks()
