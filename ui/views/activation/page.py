"""The Activation page (F4): kind → device → SIM → number → plan (and EIP) → review → into the cart → live status.

The page composes; it decides nothing about the order. It owns the state object
(:class:`posapp.workflows.activation.ActivationFlow`), one :class:`ui.runner.ServiceRunner`, the panels (each
renders the flow and emits what the rep asked for) and the :class:`.controller.ActivationController` that turns
those intents into service calls. Keyboard and scanner only: Enter advances, Esc backs out, the F-keys and Ctrl
shortcuts are printed on the buttons and in the key line at the bottom.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QStackedWidget, QVBoxLayout, QWidget

from posapp.domain.activation import ActivationKind
from posapp.workflows.activation import KIND_TITLES, ActivationFlow, ActivationStep, NumberMode, Refused
from ui.qt import named
from ui.runner import ServiceRunner
from ui.views.activation.controller import ActivationController
from ui.views.activation.device_panel import DevicePanel
from ui.views.activation.kind_panel import KindPanel
from ui.views.activation.number_panel import NumberPanel
from ui.views.activation.plan_panel import FeatureChoice, PlanChoice, PlanPanel
from ui.views.activation.review_panel import ReviewPanel, StatusPanel
from ui.views.activation.sim_panel import SimPanel
from ui.views.activation.widgets import label
from ui.views.lookup.common import repolish

if TYPE_CHECKING:
    from posapp.services.activation.api import ActivationApi
    from posapp.services.activation.dto import ActivationDTO, LineDTO, PortInForm
    from posapp.services.dto import Actor
    from posapp.services.register.dto import SaleDTO
    from ui.views.activation.host import SaleCart
    from ui.widgets.override_dialog import OverrideAuth
    from ui.worker import DbWorker

STEP_TITLES = {ActivationStep.DEVICE: "Device", ActivationStep.SIM: "SIM", ActivationStep.NUMBER: "Number",
               ActivationStep.PLAN: "Plan", ActivationStep.REVIEW: "Review"}
CART_CHIP = "Cart \u00b7 status"
KEYS = (("Enter", "next"), ("Esc", "back"), ("Ctrl+T", "pool / transfer"), ("Ctrl+F", "EIP"),
        ("Ctrl+N", "another line"), ("F12", "into the cart"), ("Ctrl+Del", "cancel order"), ("F3", "register"))
_STATUS_STEPS = frozenset({ActivationStep.IN_CART, ActivationStep.PROVISIONING, ActivationStep.DONE,
                           ActivationStep.NEEDS_ATTENTION})
RegisterSale = Callable[[], tuple[uuid.UUID | None, str | None]]


class StepChips(QWidget):
    """The steps of the order's kind, the current one highlighted."""

    def __init__(self, *, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.row = QHBoxLayout(self)
        self.row.setContentsMargins(0, 0, 0, 0)
        self.row.setSpacing(6)
        self.row.addStretch(1)
        self.chips: list[QLabel] = []
        self._steps: list[ActivationStep] = []

    def show_flow(self, flow: ActivationFlow) -> None:
        steps = [*flow.steps, ActivationStep.IN_CART] if flow.steps else []
        if steps != self._steps:
            for chip in self.chips:
                self.row.removeWidget(chip)
                chip.setParent(None)
                chip.deleteLater()
            self.chips = [named(QLabel(f"{n}  {STEP_TITLES.get(step, CART_CHIP)}"), "ActChip")
                          for n, step in enumerate(steps, start=1)]
            for n, chip in enumerate(self.chips):
                self.row.insertWidget(n, chip)
            self._steps = steps
        current = flow.step
        for step, chip in zip(steps, self.chips, strict=True):
            now = step is current or (step is ActivationStep.IN_CART and current in _STATUS_STEPS)
            if chip.property("current") != now:
                chip.setProperty("current", now)
                repolish(chip)
        self.setVisible(bool(steps))


class ActivationPage(QWidget):
    register_requested = Signal()  # F3: the rep wants the register (the order is in its cart)
    sale_ready = Signal(object)  # SaleDTO: the order's lines are in this sale; the register must show it

    def __init__(self, *, activation: ActivationApi, cart: SaleCart, worker: DbWorker, actor: Actor,
                 device_worker: DbWorker | None = None, auth: OverrideAuth | None = None,
                 plans: Callable[[], Sequence[PlanChoice]] = tuple,
                 features: Callable[[], Sequence[FeatureChoice]] = tuple,
                 register_sale: RegisterSale | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("Page_activation")
        self._flow = ActivationFlow()
        self._runner = ServiceRunner(worker=worker, device_worker=device_worker, auth=auth, actor=actor, owner=self,
                                     show_error=self._show_error)
        self._register_sale: RegisterSale = register_sale or (lambda: (None, None))
        self._plans, self._features = plans, features  # plans: called on the DB worker
        self._plans_asked = False
        self._who = ""
        self._cart_note = False
        self._build()
        self.ctl = ActivationController(host=self, api=activation, cart=cart, actor=actor, parent=self)
        self.ctl.on_pool = self.number.show_pool
        self.ctl.on_quote = self.plan.show_quote
        self._wire()
        self._keys()
        self.refresh()

    # -- composition ------------------------------------------------------------------------------------------
    def _build(self) -> None:
        self.kind, self.device, self.sim = KindPanel(), DevicePanel(), SimPanel()
        self.number, self.plan = NumberPanel(), PlanPanel()
        self.review, self.status = ReviewPanel(), StatusPanel()
        self.title = label("", "ActTitle")
        self.chips = StepChips()
        self.info = label("", "InlineInfo")
        self.error = label("", "InlineError")
        for w in (self.info, self.error):
            w.hide()
        self.stack = named(QStackedWidget(), "ActSteps")
        self.panels: dict[ActivationStep, QWidget] = {
            ActivationStep.CHOOSE_KIND: self.kind, ActivationStep.DEVICE: self.device, ActivationStep.SIM: self.sim,
            ActivationStep.NUMBER: self.number, ActivationStep.PLAN: self.plan, ActivationStep.REVIEW: self.review}
        for panel in (*self.panels.values(), self.status):
            self.stack.addWidget(panel)
        self.keys = label(" \u00b7 ".join(f"<b>{k}</b>&nbsp;{t.replace(' ', '&nbsp;')}" for k, t in KEYS),
                          "ActKeys")
        self.keys.setTextFormat(Qt.TextFormat.RichText)
        col = QVBoxLayout(self)
        col.setContentsMargins(28, 18, 28, 14)
        col.setSpacing(12)
        col.addWidget(self.title)
        col.addWidget(self.chips)
        col.addWidget(self.info)
        col.addWidget(self.error)
        col.addWidget(self.stack, 1)
        col.addWidget(self.keys)

    def _wire(self) -> None:
        ctl = self.ctl
        self.kind.chosen.connect(lambda kind: ctl.start(kind))
        self.device.scanned.connect(ctl.check_device)
        self.sim.chosen.connect(ctl.set_sim)
        self.number.pick.connect(ctl.pick_number)
        self.number.port_in.connect(ctl.port_in)
        self.number.mode_requested.connect(ctl.set_number_mode)
        self.number.area_code.connect(ctl.load_pool)
        self.plan.chosen.connect(ctl.set_plan)
        self.plan.quote_wanted.connect(ctl.quote)
        self.review.to_cart.connect(ctl.to_cart)
        self.review.add_line.connect(ctl.add_line)
        self.review.edit_line.connect(self.edit_line)
        self.status.resubmit.connect(self._resubmit)
        self.status.new_order.connect(self.new_order)
        self.status.to_register.connect(self.register_requested)
        for panel in (self.device, self.sim, self.number, self.plan):
            panel.next_step.connect(self.advance)
        self._runner.busy_changed.connect(self._busy)

    def _keys(self) -> None:
        for keys, slot in (("Esc", self.back), ("F12", self._f12), ("Ctrl+N", self.ctl.add_line),
                           ("Ctrl+Del", self.ctl.cancel), ("Ctrl+T", self._toggle_number_mode),
                           ("Ctrl+F", self.plan.toggle_finance), ("Ctrl+R", self.status.open_fix)):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(slot)

    # -- ActivationHost ---------------------------------------------------------------------------------------
    @property
    def flow(self) -> ActivationFlow:
        return self._flow

    @property
    def runner(self) -> ServiceRunner:
        return self._runner

    def refresh(self) -> None:
        flow = self._flow
        step = flow.step
        self.chips.show_flow(flow)
        dto = flow.activation
        if dto is None:
            self.title.setText("New activation")
        else:
            lines = f" \u00b7 line {flow.line_no} of {len(dto.lines)}" if len(dto.lines) > 1 else ""
            self.title.setText(f"{KIND_TITLES[dto.kind]} \u00b7 {dto.number}{lines}"
                               + (" \u00b7 TRAINING" if dto.training else ""))
        self.kind.show_context(who=self._who or "No verified customer \u2014 Lookup (F2) first.",
                               has_line=flow.line_id is not None, verified=flow.visit_id is not None)
        line = flow.line
        check = flow.check
        self.device.show_check(check, refusal=flow.why_not_use_device(check) if check else None, line=line)
        self.sim.show_line(line, esim_refusal=flow.why_not_esim())
        self.number.show_line(line, flow.number_mode)
        self.plan.show_line(line, finance_refusal=flow.why_not_finance())
        self.review.show_flow(flow)
        self.status.show_flow(flow)
        self.stack.setCurrentWidget(self.status if step in _STATUS_STEPS else self.panels[step])
        if self._cart_note and step is not ActivationStep.IN_CART:  # paid (or cancelled): the note is old news
            self._cart_note = False
            self.info.hide()

    def message(self, text: str, *, error: bool) -> None:
        self.info.hide()
        self.error.hide()
        target = self.error if error else self.info
        target.setText(text)
        target.setVisible(bool(text))

    def _show_error(self, text: str) -> None:
        self.message(text, error=True)
        self.focus_step()

    def focus_step(self) -> None:
        step = self._flow.step
        focus: dict[ActivationStep, Callable[[], None]] = {
            ActivationStep.CHOOSE_KIND: self.kind.focus, ActivationStep.DEVICE: self.device.focus,
            ActivationStep.SIM: self.sim.focus, ActivationStep.NUMBER: self.number.focus,
            ActivationStep.PLAN: self.plan.focus}
        (focus.get(step) or self.stack.setFocus)()

    def register_sale(self) -> tuple[uuid.UUID | None, str | None]:
        return self._register_sale()

    def set_register_sale(self, fn: RegisterSale) -> None:
        """Which register sale Into the cart adds to (see :func:`ui.views.activation.links.link_register`)."""
        self._register_sale = fn

    def handed_to_register(self, sale: SaleDTO, order: ActivationDTO) -> None:
        self.message(f"{order.number} is in the register's cart: take payment there (F3). It stays pending until "
                     "the sale is paid.", error=False)
        self._cart_note = True
        self.sale_ready.emit(sale)

    # -- what the rep does ------------------------------------------------------------------------------------
    def set_visit(self, visit_id: uuid.UUID | None, *, who: str = "", line_id: uuid.UUID | None = None) -> None:
        """The verified visit from Lookup (None: it ended); ``line_id``: the line picked in the account view. A
        draft of the visit that ended is cancelled (its pool number and store device go back)."""
        if visit_id != self._flow.visit_id:
            self.ctl.abandon(reason="The visit ended before the order went into the cart")
        self._flow.set_visit(visit_id, line_id=line_id)
        self._who = who if visit_id is not None else ""
        if visit_id is None and self._flow.activation is None:
            self.status.clear()
        self.refresh()

    def start_for(self, kind: ActivationKind, *, line_id: uuid.UUID | None = None) -> None:
        """From the account view: start ``kind`` (on ``line_id``) for the visit."""
        if line_id is not None:
            self._flow.line_id = line_id
        self.ctl.start(kind, line_id=line_id)

    def advance(self) -> None:
        try:
            step = self._flow.advance()
        except Refused as exc:
            self.message(str(exc), error=True)
            return
        if step is ActivationStep.NUMBER:
            self.ctl.load_pool(None)  # what is still available now (other terminals pick too)
        self.message("", error=False)
        self.refresh()
        self.focus_step()

    def edit_line(self, line_no: int) -> None:
        """Review: edit one line of the order from its first step."""
        try:
            self._flow.select_line(line_no)
        except Refused as exc:
            self.message(str(exc), error=True)
            return
        self.message("", error=False)
        self.refresh()
        self.focus_step()

    def back(self) -> None:
        flow = self._flow
        if flow.step is ActivationStep.CHOOSE_KIND or not flow.is_draft:
            return
        if flow.steps and flow.step is flow.steps[0]:
            self.ctl.cancel(reason="Rep backed out of the activation")
            return
        flow.back()
        self.message("", error=False)
        self.refresh()
        self.focus_step()

    def _f12(self) -> None:
        step = self._flow.step
        if step is ActivationStep.REVIEW:
            self.ctl.to_cart()
        elif step in (ActivationStep.DONE, ActivationStep.PROVISIONING, ActivationStep.NEEDS_ATTENTION):
            self.new_order()

    def new_order(self) -> None:
        self._flow.reset()
        self.status.clear()
        self.message("", error=False)
        self.refresh()
        self.focus_step()

    def _toggle_number_mode(self) -> None:
        if self._flow.step is ActivationStep.NUMBER:
            mode = NumberMode.POOL if self._flow.number_mode is NumberMode.PORT_IN else NumberMode.PORT_IN
            self.ctl.set_number_mode(mode)

    def _resubmit(self, line: LineDTO, form: PortInForm) -> None:
        self.ctl.resubmit(line.id, form, self.status.fix_done)

    def _busy(self, calls: int) -> None:
        self._flow.calls = calls

    # -- live status ------------------------------------------------------------------------------------------
    def line_status(self, activation_line_id: uuid.UUID, status: str, reason: str | None) -> None:
        """A line's status changed (the provisioning queue, a carrier answer): shown at once, then read again."""
        if self._flow.line_status(activation_line_id, status, reason):
            self.refresh()
            self.ctl.reload()

    def _load_plans(self) -> None:
        """The plans sold (and their features) come from the database: read on the DB worker, never here."""
        self._plans_asked = True

        def failed(exc: BaseException) -> None:
            self._plans_asked = False  # try again when the page is shown next
            self._runner.failed(exc)

        features = tuple(self._features())
        self._runner.call(lambda _ov: tuple(self._plans()), lambda plans: self.plan.set_choices(plans, features),
                          action="Plans", on_error=failed)

    def esim_sent(self, activation_line_id: uuid.UUID, masked: str, *, shown: bool) -> None:
        """The customer window got an eSIM code (``shown``) for a line; this page shows only ``masked``."""
        dto = self._flow.activation
        if dto is not None and any(ln.id == activation_line_id for ln in dto.lines):
            self.status.esim_sent(masked, shown=shown)

    def showEvent(self, event: QShowEvent) -> None:  # Qt override
        super().showEvent(event)
        if not self.plan.plans.count() and not self._plans_asked:
            self._load_plans()
        QTimer.singleShot(0, self, self.focus_step)
        if self._flow.activation is not None and not self._flow.is_draft:
            self.ctl.reload()
