"""The F4 page's activation order as one explicit state object (no Qt, no widgets, no service calls).

:class:`ActivationFlow` holds what the Activation page knows — the kind chosen, the :class:`ActivationDTO` the
service returned, the line being edited, the last device check and the number mode (pool or port-in) — and derives
the :class:`ActivationStep` from it. While the order is a draft the rep moves between the steps of its kind
(:func:`steps_for`); once it is in the register's cart the step follows the order's status. A transition that is
not allowed now raises :class:`Refused` with the reason shown to the rep; the ``why_not_*`` methods give that reason
without changing anything (the page disables a button and says why).

Steps::

    CHOOSE_KIND → [DEVICE →] [SIM →] [NUMBER →] [PLAN →] REVIEW → IN_CART → PROVISIONING → DONE
                                                                                      ↘ NEEDS_ATTENTION

Which steps a kind has: new account / add a line: all; bring your own device: all (the customer's device);
upgrade: device, SIM, plan (the line keeps its number); SIM change: SIM only.
"""

from __future__ import annotations

import uuid
from dataclasses import replace

from posapp.domain.activation import (
    ActivationKind,
    ActivationStatus,
    DeviceSource,
    LineActivationStatus,
)
from posapp.services.activation.dto import ActivationDTO, DeviceCheck, LineDTO
from posapp.workflows.activation_steps import (
    ATTENTION_STATUSES,
    KIND_TITLES,
    LINE_KINDS,
    NO_VISIT,
    WAITING_STATUSES,
    ActivationStep,
    NumberMode,
    Refused,
    line_done,
    steps_for,
)

__all__ = ["KIND_TITLES", "LINE_KINDS", "NO_VISIT", "ActivationFlow", "ActivationStep", "NumberMode", "Refused",
           "line_done", "steps_for"]


class ActivationFlow:
    """The state of one Activation page (see the module docstring)."""

    def __init__(self) -> None:
        self.visit_id: uuid.UUID | None = None
        self.line_id: uuid.UUID | None = None  # the existing line of an upgrade / SIM change
        self.kind: ActivationKind | None = None
        self.activation: ActivationDTO | None = None
        self.cursor = ActivationStep.CHOOSE_KIND
        self.line_no = 1
        self.check: DeviceCheck | None = None
        self.number_mode = NumberMode.POOL
        self.starting = False
        self.calls = 0

    # -- what is true now -------------------------------------------------------------------------------------
    @property
    def step(self) -> ActivationStep:
        dto = self.activation
        if dto is None or dto.status is ActivationStatus.CANCELLED:
            return ActivationStep.CHOOSE_KIND
        if dto.status is ActivationStatus.DRAFT:
            return self.cursor
        if dto.status is ActivationStatus.PENDING_PAYMENT:
            return ActivationStep.IN_CART
        statuses = {ln.status for ln in dto.lines}
        if statuses & ATTENTION_STATUSES:
            return ActivationStep.NEEDS_ATTENTION
        if dto.status is ActivationStatus.COMPLETED or (statuses and statuses <= {LineActivationStatus.ACTIVE}):
            return ActivationStep.DONE
        return ActivationStep.PROVISIONING

    @property
    def busy(self) -> bool:
        return self.calls > 0 or self.starting

    @property
    def steps(self) -> tuple[ActivationStep, ...]:
        return steps_for(self.kind) if self.kind is not None else ()

    @property
    def line(self) -> LineDTO | None:
        """The line being edited (None before the order exists)."""
        dto = self.activation
        if dto is None:
            return None
        return next((ln for ln in dto.lines if ln.line_no == self.line_no), dto.lines[0] if dto.lines else None)

    @property
    def is_draft(self) -> bool:
        return self.activation is not None and self.activation.status is ActivationStatus.DRAFT

    @property
    def pending_lines(self) -> tuple[LineDTO, ...]:
        """Lines paid and waiting for the carrier (offline: they stay here, shown as pending, never as done)."""
        return tuple(ln for ln in self.activation.lines if ln.status in WAITING_STATUSES) if self.activation else ()

    def esim_capable(self) -> bool | None:
        """Whether the line's device takes an eSIM (None: not known here — the service decides)."""
        if self.check is not None:
            return self.check.esim_capable
        return None

    # -- refusals ---------------------------------------------------------------------------------------------
    def why_not_start(self, kind: ActivationKind, *, line_id: uuid.UUID | None = None) -> str | None:
        if self.visit_id is None:
            return NO_VISIT
        if self.activation is not None and self.step in (*self.steps, ActivationStep.IN_CART):
            return "An activation is open: finish it or cancel it (Ctrl+Del) first."
        if self.starting:
            return "Starting the activation\u2026"
        if kind in LINE_KINDS and (line_id or self.line_id) is None:
            return "Pick the line in the account view (Lookup, F2) to upgrade or change its SIM."
        return None

    def why_not_use_device(self, check: DeviceCheck) -> str | None:
        """Why the checked device cannot go on the line (None: it can)."""
        if check.problems:
            return " ".join(check.problems)
        if check.block_result == "blocked":
            return "This device is on the block list (lost or stolen)."
        if check.block_result != "clear":
            return "The block list could not be reached: the device cannot be used until it is checked."
        if not check.compatible:
            return f"{check.model_name} does not work on this network."
        if self.kind is ActivationKind.BYOD and check.inventory_id is not None:
            return "This is a device from store stock: sell it with a New line or Add a line order."
        if self.kind is ActivationKind.UPGRADE and check.inventory_id is None:
            return "An upgrade is a new device from store stock: scan the device from the box."
        return None

    def why_not_esim(self) -> str | None:
        if self.esim_capable() is False:
            return "This device cannot take an eSIM: use a physical SIM."
        return None

    def why_not_finance(self) -> str | None:
        line = self.line
        if line is None or line.device_source is not DeviceSource.STORE:
            return "Only a device from store stock can be financed on EIP."
        return None

    def why_not_advance(self) -> str | None:
        """Why the rep cannot go on from the current step (None: Enter moves on)."""
        step, line, kind = self.step, self.line, self.kind
        if step not in self.steps or line is None or kind is None:
            return "There is no step to finish here."
        if step is ActivationStep.REVIEW:
            return self.why_not_to_cart()
        if not line_done(kind, line, step):
            return {ActivationStep.DEVICE: "Scan the device's IMEI first.",
                    ActivationStep.SIM: "Scan the SIM card's ICCID or the device's EID for an eSIM.",
                    ActivationStep.NUMBER: "Pick a number from the pool or fill in the transfer (port-in).",
                    ActivationStep.PLAN: "Choose a plan."}[step]
        return None

    def why_not_back(self) -> str | None:
        if not self.is_draft:
            return "The order is in the cart: it can only be cancelled from here."
        return None

    def why_not_go_to(self, step: ActivationStep) -> str | None:
        if not self.is_draft or step not in self.steps:
            return "That step is not part of this order."
        line, kind = self.line, self.kind
        assert line is not None and kind is not None
        for before in self.steps[:self.steps.index(step)]:
            if not line_done(kind, line, before):
                return f"Finish the {before.value} step first."
        return None

    def why_not_to_cart(self) -> str | None:
        dto, kind = self.activation, self.kind
        if dto is None or kind is None or not self.is_draft:
            return "There is no draft order to put into the cart."
        if not dto.lines:
            return "The order has no line."
        for ln in dto.lines:
            missing = [s.value for s in self.steps if s is not ActivationStep.REVIEW and not line_done(kind, ln, s)]
            if missing:
                return f"Line {ln.line_no} is missing: {', '.join(missing)}."
        return None

    def why_not_cancel(self) -> str | None:
        dto = self.activation
        if dto is None or dto.status not in (ActivationStatus.DRAFT, ActivationStatus.PENDING_PAYMENT):
            return "Only an order not yet paid can be cancelled."
        return None

    def why_not_add_line(self) -> str | None:
        if not self.is_draft or self.kind in LINE_KINDS:
            return "Only a new-line order can have more lines."
        return None

    def why_not_resubmit(self, line: LineDTO) -> str | None:
        if line.status is not LineActivationStatus.REJECTED or line.port_in is None:
            return "Only a rejected number transfer can be fixed and sent again."
        return None

    # -- transitions ------------------------------------------------------------------------------------------
    def set_visit(self, visit_id: uuid.UUID | None, *, line_id: uuid.UUID | None = None) -> None:
        """The verified visit the page works for (None: the visit ended). A draft of another visit is dropped."""
        if visit_id != self.visit_id and self.activation is not None and self.is_draft:
            self.reset()
        self.visit_id, self.line_id = visit_id, line_id

    def begin_start(self, kind: ActivationKind, *, line_id: uuid.UUID | None = None) -> None:
        reason = self.why_not_start(kind, line_id=line_id)
        if reason is not None:
            raise Refused(reason)
        if self.activation is not None:  # a paid order (its status stays in the account view): a new one
            self.reset()
        self.kind, self.starting = kind, True
        if line_id is not None:
            self.line_id = line_id

    def start_failed(self) -> None:
        self.starting = False
        self.kind = None

    def started(self, dto: ActivationDTO) -> None:
        if not self.starting:
            raise Refused("No activation was being started.")
        self.starting = False
        self.activation, self.kind = dto, dto.kind
        self.line_no = dto.lines[0].line_no if dto.lines else 1
        self.check, self.number_mode = None, NumberMode.POOL
        self.cursor = self.steps[0]

    def show(self, dto: ActivationDTO) -> None:
        """A new state of the order from the service (or a status from the provisioning queue)."""
        if self.activation is not None and dto.id != self.activation.id:
            raise Refused("That is another activation.")
        self.activation, self.kind = dto, dto.kind
        if self.line is not None and self.line.line_no != self.line_no:
            self.line_no = self.line.line_no

    def line_status(self, activation_line_id: uuid.UUID, status: str, reason: str | None) -> bool:
        """A line's status changed (the provisioning queue, a carrier answer); False if it is not this order's."""
        dto = self.activation
        if dto is None or not any(ln.id == activation_line_id for ln in dto.lines):
            return False
        new = LineActivationStatus(status)
        lines = tuple(replace(ln, status=new, reason=reason) if ln.id == activation_line_id else ln
                      for ln in dto.lines)
        done = all(ln.status in (LineActivationStatus.ACTIVE, LineActivationStatus.FAILED,
                                 LineActivationStatus.CANCELLED) for ln in lines)
        self.activation = replace(dto, lines=lines,
                                  status=ActivationStatus.COMPLETED if done else dto.status)
        return True

    def device_checked(self, check: DeviceCheck) -> None:
        if self.step is not ActivationStep.DEVICE:
            raise Refused("Scan the device on the device step.")
        self.check = check

    def set_number_mode(self, mode: NumberMode) -> None:
        if self.step is not ActivationStep.NUMBER:
            raise Refused("Choose the number on the number step.")
        self.number_mode = mode

    def advance(self) -> ActivationStep:
        """Enter: the next step of the kind (REVIEW stays: the cart is :meth:`to_cart`'s job)."""
        reason = self.why_not_advance()
        if reason is not None:
            raise Refused(reason)
        steps = self.steps
        index = steps.index(self.step)
        if index + 1 < len(steps):
            self.cursor = steps[index + 1]
            if self.cursor is ActivationStep.NUMBER:
                line = self.line
                self.number_mode = NumberMode.PORT_IN if line and line.port_in else NumberMode.POOL
        return self.cursor

    def back(self) -> ActivationStep:
        """Esc: the previous step; from the first step, CHOOSE_KIND (the caller cancels the draft)."""
        reason = self.why_not_back()
        if reason is not None:
            raise Refused(reason)
        steps = self.steps
        index = steps.index(self.cursor)
        self.cursor = steps[index - 1] if index > 0 else ActivationStep.CHOOSE_KIND
        return self.cursor

    def go_to(self, step: ActivationStep) -> None:
        reason = self.why_not_go_to(step)
        if reason is not None:
            raise Refused(reason)
        self.cursor = step

    def select_line(self, line_no: int) -> None:
        if self.activation is None or not any(ln.line_no == line_no for ln in self.activation.lines):
            raise Refused(f"There is no line {line_no}.")
        self.line_no = line_no
        self.check = None
        if self.is_draft:
            self.cursor = self.steps[0]

    def line_added(self, dto: ActivationDTO) -> None:
        """add_line answered: edit the new (last) line from its first step."""
        self.show(dto)
        self.select_line(max(ln.line_no for ln in dto.lines))

    def to_cart(self) -> None:
        reason = self.why_not_to_cart()
        if reason is not None:
            raise Refused(reason)

    def reset(self) -> None:
        """A new order (after DONE, a cancel or a new visit); the visit stays."""
        self.kind = self.activation = self.check = None
        self.cursor, self.line_no, self.number_mode = ActivationStep.CHOOSE_KIND, 1, NumberMode.POOL
        self.starting = False
