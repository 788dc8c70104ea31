"""What the activation controller may ask of the page that composes it, and the two services it calls.

The page owns the :class:`posapp.workflows.activation.ActivationFlow` and the one :class:`ui.runner.ServiceRunner`;
the controller sees it only as an :class:`ActivationHost`. :class:`SaleCart` is the part of the register's cart
service "Into the cart" needs (open a sale for the account when the register has none, read it back).
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from posapp.services.activation.dto import ActivationDTO
    from posapp.services.dto import Actor
    from posapp.services.register.dto import SaleDTO
    from posapp.workflows.activation import ActivationFlow
    from ui.runner import ServiceRunner


class SaleCart(Protocol):
    def open(self, actor: Actor, *, account_id: uuid.UUID | None = None,
             customer_id: uuid.UUID | None = None) -> SaleDTO: ...

    def view(self, sale_id: uuid.UUID) -> SaleDTO: ...


class ActivationHost(Protocol):
    @property
    def flow(self) -> ActivationFlow: ...

    @property
    def runner(self) -> ServiceRunner: ...

    def refresh(self) -> None:
        """Render the flow on every panel and show the current step's panel."""
        ...

    def message(self, text: str, *, error: bool) -> None: ...

    def focus_step(self) -> None: ...

    def register_sale(self) -> tuple[uuid.UUID | None, str | None]:
        """The register's open sale to add the order to (None: open a new one), or why it cannot take it."""
        ...

    def handed_to_register(self, sale: SaleDTO, order: ActivationDTO) -> None:
        """The order's lines are in ``sale``: the register shows it (F3)."""
        ...
