"""How the Activation page (F4) is tied to the rest of the session: the visit verified in Lookup and the account
view's per-line buttons, the register's sale ("Into the cart" → F3 with the sale open), and the provisioning events
(each line's status live; the eSIM code to the customer window only).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING

from posapp.domain.activation import ActivationKind
from posapp.events import EsimCodeReady, LineStatusChanged

if TYPE_CHECKING:
    from posapp.services.activation.dto import ActivationDTO
    from posapp.services.register.dto import SaleDTO
    from ui.bridge import EventBridge
    from ui.customer_window import CustomerWindow
    from ui.views.activation.page import ActivationPage
    from ui.views.lookup.page import LookupPage
    from ui.views.register.page import RegisterPage

ShowPage = Callable[[str], None]


def link_lookup(lookup: LookupPage, page: ActivationPage, show_page: ShowPage) -> None:
    """The page works for the visit verified in Lookup; the account view's buttons open it on the visit/line."""

    def verified(_visit: object) -> None:
        screen, visit = lookup.account.screen, lookup.visit
        if screen is None or visit is None:
            return
        masked = screen.masked
        page.set_visit(visit.id, who=f"{masked.customer_name} \u00b7 account {masked.masked_account_number}")

    def requested(kind: ActivationKind, line_id: uuid.UUID | None) -> None:
        verified(None)
        show_page("activation")
        page.start_for(kind, line_id=line_id)

    lookup.verified.connect(verified)
    lookup.visit_finished.connect(lambda: page.set_visit(None))
    lookup.account.lines.activation.requested.connect(requested)


def link_account_activations(lookup: LookupPage, bridge: EventBridge,
                             load: Callable[[uuid.UUID], tuple[ActivationDTO, ...]],
                             page: ActivationPage | None = None) -> Callable[[], None]:
    """The account view's Activations tab reads ``load`` (the service's ``for_account``) and is read again when a
    line of one of its activations changes status and when the F4 page puts an order into the cart. Returns the
    function that unlinks the status events."""
    tab = lookup.account.activations
    tab.set_source(load)

    def status(event: object) -> None:
        if isinstance(event, LineStatusChanged):
            tab.line_status(event)

    if page is not None:
        page.sale_ready.connect(lambda _sale: tab.reload())
    bridge.line_status_changed.connect(status)

    def unlink() -> None:
        bridge.line_status_changed.disconnect(status)
        tab.set_source(None)

    return unlink


def link_register(page: ActivationPage, register: RegisterPage, show_page: ShowPage) -> None:
    """Into the cart adds the order to the register's open sale (or a new one) and shows the register with it."""

    def register_sale() -> tuple[uuid.UUID | None, str | None]:
        flow = register.flow
        if flow.refund_mode:
            return None, "The register is in refund mode (F8 there): turn it off first."
        sale = flow.open_sale
        if sale is None:
            return None, None
        if flow.has_money:
            return None, "Payment has started on the register's sale: complete it first."
        return sale.id, None

    def adopt(sale: SaleDTO) -> None:
        if register.flow.receipt is not None or register.flow.reprint_no is not None:
            register.clear_for_new_sale()  # the last receipt is still shown: an empty cart first
        register.ref.id = sale.id  # later scans on the register add to this sale
        register.set_sale(sale)
        show_page("register")

    page.set_register_sale(register_sale)
    page.sale_ready.connect(adopt)
    page.register_requested.connect(lambda: show_page("register"))


def link_events(bridge: EventBridge, page: ActivationPage,
                display: Callable[[], CustomerWindow | None]) -> Callable[[], None]:
    """Line statuses go to the page; an eSIM code goes to the customer window only (the page gets its mask).
    Returns the function that unlinks them (the session calls it when it closes)."""

    def esim(event: object) -> None:
        if not isinstance(event, EsimCodeReady):
            return
        window = display()
        if window is not None:
            window.show_esim(event.code, event.masked)
        page.esim_sent(event.activation_line_id, event.masked, shown=window is not None)

    def status(event: object) -> None:
        if isinstance(event, LineStatusChanged):
            page.line_status(event.activation_line_id, event.status, event.reason)

    bridge.esim_code_ready.connect(esim)
    bridge.line_status_changed.connect(status)

    def unlink() -> None:
        bridge.esim_code_ready.disconnect(esim)
        bridge.line_status_changed.disconnect(status)

    return unlink
