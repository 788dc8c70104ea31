"""The activation page's service calls: every one through the page's :class:`ui.runner.ServiceRunner` — the DB
worker for the order, the device worker for ``check_device`` (it waits on the block-list adapter). The
controller decides nothing the flow can decide: it asks the flow first (:class:`Refused` → the error line)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

from PySide6.QtCore import QObject

from posapp.domain.activation import ActivationKind, NumberSource, SimKind
from posapp.workflows.activation import ActivationStep, NumberMode, Refused

if TYPE_CHECKING:
    from posapp.services.activation.api import ActivationApi
    from posapp.services.activation.dto import (
        ActivationDTO,
        DeviceCheck,
        EipQuote,
        EipTerms,
        PoolNumberDTO,
        PortInForm,
    )
    from posapp.services.dto import Actor, Override
    from posapp.services.register.dto import SaleDTO
    from ui.views.activation.host import ActivationHost, SaleCart
    from ui.views.activation.plan_panel import PlanPick

T = TypeVar("T")


class ActivationController(QObject):
    def __init__(self, *, host: ActivationHost, api: ActivationApi, cart: SaleCart,
                 actor: Actor | Callable[[], Actor], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._host, self._api, self._cart = host, api, cart
        self._actor: Callable[[], Actor] = actor if callable(actor) else (lambda: actor)
        self.on_pool: Callable[[tuple[PoolNumberDTO, ...]], None] | None = None
        self.on_quote: Callable[[EipQuote], None] | None = None

    # -- helpers ----------------------------------------------------------------------------------------------
    def _refused(self, exc: Refused) -> None:
        self._host.message(str(exc), error=True)
        self._host.focus_step()

    def _order(self, action: str, fn: Callable[[Actor, uuid.UUID], ActivationDTO],
               then: Callable[[ActivationDTO], None] | None = None) -> None:
        """Run an order-changing call; its DTO goes into the flow and onto every panel."""
        dto = self._host.flow.activation
        if dto is None:
            return
        actor, order_id = self._actor(), dto.id

        def done(new: ActivationDTO) -> None:
            flow = self._host.flow
            if flow.activation is None or flow.activation.id != new.id:
                return  # an answer about an order the page has left
            flow.show(new)
            self._host.message("", error=False)
            if then is not None:
                then(new)
            self._host.refresh()
            self._host.focus_step()

        self._host.runner.call(lambda _ov: fn(actor, order_id), done, action=action)

    # -- starting ---------------------------------------------------------------------------------------------
    def start(self, kind: ActivationKind, *, line_id: uuid.UUID | None = None) -> None:
        flow = self._host.flow
        try:
            flow.begin_start(kind, line_id=line_id)
        except Refused as exc:
            self._refused(exc)
            return
        api, actor, visit_id = self._api, self._actor(), flow.visit_id
        line = flow.line_id if kind in (ActivationKind.UPGRADE, ActivationKind.SIM_CHANGE) else None
        assert visit_id is not None

        def job(_ov: Override | None) -> ActivationDTO:
            return api.start(actor, kind=kind, visit_id=visit_id, line_id=line)

        def failed(exc: BaseException) -> None:
            flow.start_failed()
            self._host.refresh()
            self._host.runner.failed(exc)

        def done(dto: ActivationDTO) -> None:
            flow.started(dto)
            self._host.message("", error=False)
            self._host.refresh()
            self._host.focus_step()
            if ActivationStep.NUMBER in flow.steps:
                self.load_pool(None)

        self._host.refresh()
        self._host.runner.call(job, done, action="Start the activation", on_error=failed)

    def cancel(self, *, reason: str = "Cancelled at the counter") -> None:
        flow = self._host.flow
        refusal = flow.why_not_cancel()
        if refusal is not None:
            flow.reset()
            self._host.refresh()
            self._host.focus_step()
            return
        self._order("Cancel the activation", lambda actor, oid: self._api.cancel(actor, oid, reason=reason),
                    lambda _dto: flow.reset())

    def abandon(self, *, reason: str) -> None:
        """The visit ended (or another began) with a draft open: cancel it in the service, so its pool number and
        store device are released, whatever the page shows next."""
        flow = self._host.flow
        dto = flow.activation
        if dto is None or not flow.is_draft:
            return
        api, actor, order_id = self._api, self._actor(), dto.id
        self._host.runner.call(lambda _ov: api.cancel(actor, order_id, reason=reason), lambda _dto: None,
                               action="Cancel the activation", ask_override=False)

    # -- device -----------------------------------------------------------------------------------------------
    def check_device(self, imei: str, imei2: str | None) -> None:
        flow = self._host.flow
        if flow.step is not ActivationStep.DEVICE:
            return
        api = self._api
        self._host.message("Checking the device\u2026", error=False)

        def done(check: DeviceCheck) -> None:
            try:
                flow.device_checked(check)
            except Refused:
                return  # the rep has moved on
            refusal = flow.why_not_use_device(check)
            self._host.refresh()
            if refusal is not None:
                self._host.message(refusal, error=True)
                return
            line = flow.line
            assert line is not None
            self._order("Use this device",
                        lambda actor, oid: self._api.set_device(actor, oid, line.line_no, check))

        self._host.runner.device(lambda: api.check_device(imei, imei2_text=imei2), done)

    # -- SIM, number, plan ------------------------------------------------------------------------------------
    def set_sim(self, kind: SimKind, digits: str) -> None:
        flow, line = self._host.flow, self._host.flow.line
        if line is None or flow.step is not ActivationStep.SIM:
            return
        if kind is SimKind.ESIM and (reason := flow.why_not_esim()) is not None:
            self._host.message(reason, error=True)
            return
        iccid, eid = (digits, None) if kind is SimKind.PHYSICAL else (None, digits)
        self._order("Set the SIM", lambda actor, oid: self._api.set_sim(actor, oid, line.line_no, kind=kind,
                                                                           iccid=iccid, eid=eid))

    def load_pool(self, area_code: str | None) -> None:
        api = self._api

        def done(numbers: tuple[PoolNumberDTO, ...]) -> None:
            if self.on_pool is not None:
                self.on_pool(numbers)

        self._host.runner.call(lambda _ov: api.pool_numbers(area_code=area_code), done, action="Number pool")

    def pick_number(self, msisdn: str) -> None:
        line = self._host.flow.line
        if line is None:
            return
        self._order("Pick the number", lambda actor, oid: self._api.pick_number(actor, oid, line.line_no, msisdn),
                    lambda _dto: self.load_pool(None))

    def set_number_mode(self, mode: NumberMode) -> None:
        try:
            self._host.flow.set_number_mode(mode)
        except Refused as exc:
            self._refused(exc)
            return
        self._host.refresh()
        self._host.focus_step()

    def port_in(self, form: PortInForm) -> None:
        line = self._host.flow.line
        if line is None:
            return
        self._order("Transfer the number", lambda actor, oid: self._api.set_port_in(actor, oid, line.line_no, form))

    def resubmit(self, activation_line_id: uuid.UUID, form: PortInForm, then: Callable[[], None]) -> None:
        self._order("Send the transfer again",
                    lambda actor, _oid: self._api.resubmit_port_in(actor, activation_line_id, form),
                    lambda _dto: then())

    def set_plan(self, pick: PlanPick) -> None:
        line = self._host.flow.line
        if line is None:
            return
        api, no = self._api, line.line_no
        financing = self._host.flow.why_not_finance() is None
        keeps_plan = line.number_source is NumberSource.EXISTING  # upgrade: the plan changes in the account view
        if keeps_plan and not financing:
            self._host.flow.advance()
            self._host.refresh()
            self._host.focus_step()
            return

        def both(actor: Actor, oid: uuid.UUID) -> ActivationDTO:
            if keeps_plan:
                return api.set_financing(actor, oid, no, pick.terms)
            dto = api.set_plan(actor, oid, no, plan_code=pick.plan_code, features=pick.features)
            return api.set_financing(actor, oid, no, pick.terms) if financing else dto

        self._order("Set the plan", both)

    def quote(self, terms: EipTerms) -> None:
        flow = self._host.flow
        dto, line = flow.activation, flow.line
        if dto is None or line is None:
            return
        api, order_id, no = self._api, dto.id, line.line_no

        def done(q: EipQuote) -> None:
            if self.on_quote is not None:
                self.on_quote(q)

        self._host.runner.call(lambda _ov: api.quote_eip(order_id, no, terms), done, action="EIP quote",
                               on_error=lambda exc: self._host.message(str(exc), error=True))

    # -- lines, cart, status ----------------------------------------------------------------------------------
    def add_line(self) -> None:
        flow = self._host.flow
        if (reason := flow.why_not_add_line()) is not None:
            self._host.message(reason, error=True)
            return
        self._order("Add a line", self._api.add_line, flow.line_added)

    def to_cart(self) -> None:
        flow = self._host.flow
        try:
            flow.to_cart()
        except Refused as exc:
            self._refused(exc)
            return
        sale_id, refusal = self._host.register_sale()
        if refusal is not None:
            self._host.message(refusal, error=True)
            return
        dto = flow.activation
        assert dto is not None
        api, cart, actor, order_id, account_id = self._api, self._cart, self._actor(), dto.id, dto.account_id

        def job(_ov: Override | None) -> tuple[ActivationDTO, SaleDTO]:
            target = sale_id if sale_id is not None else cart.open(actor, account_id=account_id).id
            order = api.to_cart(actor, order_id, target)
            return order, cart.view(target)

        def done(result: tuple[ActivationDTO, SaleDTO]) -> None:
            order, sale = result
            flow.show(order)
            self._host.message("", error=False)
            self._host.refresh()
            self._host.handed_to_register(sale, order)

        self._host.runner.call(job, done, action="Into the cart")

    def reload(self) -> None:
        """Read the order again (a status event, the page shown again)."""
        dto = self._host.flow.activation
        if dto is None:
            return
        api, order_id = self._api, dto.id

        def done(new: ActivationDTO) -> None:
            flow = self._host.flow
            if flow.activation is not None and flow.activation.id == new.id:
                flow.show(new)
                self._host.refresh()

        self._host.runner.call(lambda _ov: api.view(order_id), done, action="Activation")
