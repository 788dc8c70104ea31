"""What the register's controllers may ask of the page that composes them (a typed interface, no base class).

The page owns the :class:`posapp.workflows.sale.SaleFlow`, the :class:`ui.runner.ServiceRunner` and the open
dialog; each controller (cart, tenders, signature, receipts) gets the page as a :class:`PageHost` and never reaches
into another controller. The open sale is opened lazily by the first scan: the job that opens it records its id in
the :class:`SaleRef` that later jobs of the same sale read — they run after it on the same DB worker thread, so a
scanner burst of several items never opens two sales. New sale makes a new ref; a job of the old sale that comes
back later sees that its ref is no longer the page's and drops its result.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from PySide6.QtWidgets import QDialog, QWidget

    from posapp.services.register.dto import SaleDTO
    from posapp.workflows.sale import SaleFlow
    from ui.customer_window import CustomerWindow
    from ui.runner import ServiceRunner
    from ui.views.register.customer import CustomerRef


class SaleRef:
    """The open sale's id, written by the worker job that opened it (see the module docstring)."""

    def __init__(self) -> None:
        self.id: uuid.UUID | None = None


class PageHost(Protocol):
    @property
    def flow(self) -> SaleFlow: ...

    @property
    def runner(self) -> ServiceRunner: ...

    @property
    def ref(self) -> SaleRef: ...

    @property
    def customer(self) -> CustomerRef | None: ...

    @property
    def display(self) -> CustomerWindow | None: ...

    @property
    def dialog(self) -> QDialog | None: ...

    def widget(self) -> QWidget:
        """The page itself: the parent of its dialogs."""
        ...

    def set_sale(self, sale: SaleDTO | None, *, select_line: int | None = None) -> None:
        """Show a new state of the open sale everywhere (cart, totals, tenders, customer display)."""
        ...

    def refresh(self) -> None:
        """Render the flow on every panel."""
        ...

    def announce(self, sale: SaleDTO | None) -> None:
        """Tell the page's listeners and the customer display about ``sale`` (also a completed one)."""
        ...

    def message(self, text: str, *, error: bool) -> None: ...

    def focus_step(self) -> None: ...

    def open_dialog(self, dialog: QDialog) -> None: ...

    def clear_for_new_sale(self) -> None: ...
