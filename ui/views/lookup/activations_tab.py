"""The account view's Activations tab: each activation of the visit's account with, per line, the number, plan,
device, SIM / eSIM (the code masked) and its status in words on a coloured chip, kept live.

It reads ``ActivationApi.for_account`` on the DB worker (never on the UI thread) once the account is shown, again
when a line of one of its activations changes status (:meth:`line_status`, fed by the event bridge) and when an
order goes into the cart (:meth:`reload`). The view is shown only for a verified visit (CPNI); it forgets
everything on :meth:`clear`.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QHeaderView, QLabel, QVBoxLayout, QWidget

from posapp.domain.activation import ActivationKind, LineActivationStatus, NumberSource, SimKind
from posapp.events import LineStatusChanged
from posapp.services.activation.dto import ActivationDTO, LineDTO
from ui.qt import named
from ui.views.activation.widgets import set_state
from ui.views.lookup.common import format_phone, help_label, message_label, show_error
from ui.views.lookup.tables import DataTable

if TYPE_CHECKING:
    from ui.worker import DbWorker

Load = Callable[[uuid.UUID], tuple[ActivationDTO, ...]]
S = LineActivationStatus
KIND_NAMES = {ActivationKind.NEW_ACCOUNT: "New account", ActivationKind.ADD_LINE: "Add a line",
              ActivationKind.UPGRADE: "Upgrade", ActivationKind.SIM_CHANGE: "SIM change",
              ActivationKind.BYOD: "Own device (BYOD)"}
HEADERS = ("Order", "Number  \u00b7  plan", "Device  \u00b7  SIM / eSIM", "Status")
STATUS_WIDTH = 340
WRAP_AT = 36  # longer status words wrap inside their chip
STATUS_COLUMN = HEADERS.index("Status")
EMPTY = "No activations on this account yet. Add a line, Upgrade or Change SIM on the Lines tab opens F4."


def status_words(line: LineDTO) -> tuple[str, str]:
    """The line's status for the rep and the chip's colour (ok | wait | hold | bad | none)."""
    why = f": {line.reason}" if line.reason else ""
    if line.status is S.ACTIVE:
        since = f" since {line.activated_at.astimezone():%b %d, %Y %H:%M}" if line.activated_at else ""
        return f"Active{since}", "ok"
    words: dict[LineActivationStatus, tuple[str, str]] = {
        S.DRAFT: ("Draft \u2014 being built on F4", "none"),
        S.PENDING_PAYMENT: ("Pending payment", "wait"),
        S.QUEUED: ("Waiting for the carrier", "wait"),
        S.SUBMITTED: ("Waiting for the carrier", "wait"),
        S.IN_PROGRESS: ("Waiting for the carrier", "wait"),
        S.ON_HOLD: (f"On hold{why}", "hold"),
        S.REJECTED: (f"Transfer rejected{why} \u2014 fix it on F4 (Ctrl+R)", "bad"),
        S.FAILED: (f"Failed{why}", "bad"),
        S.CANCELLED: ("Cancelled", "none"),
    }
    return words.get(line.status, (line.status.value, "none"))


def sim_words(line: LineDTO) -> str:
    """SIM card by its last digits; an eSIM by its masked code only (the code itself never reaches this view)."""
    if line.sim_kind is SimKind.ESIM:
        code = line.esim_code_masked
        return f"eSIM \u00b7 code {code}" if code else "eSIM \u00b7 code not issued yet"
    if line.sim_kind is SimKind.PHYSICAL and line.iccid:
        return f"SIM card \u2026{line.iccid[-5:]}"
    return "\u2014"


def number_words(line: LineDTO) -> str:
    """The number (a transfer says so) over the plan."""
    plan = line.plan_name or line.plan_code or "no plan yet"
    if line.number_source is NumberSource.PORT_IN and line.port_in is not None:
        return f"{format_phone(line.port_in.msisdn)} \u00b7 transfer\n{plan}"
    return f"{format_phone(line.msisdn) if line.msisdn else 'No number yet'}\n{plan}"


def row_texts(order: ActivationDTO, line: LineDTO) -> tuple[str, ...]:
    kind = KIND_NAMES.get(order.kind, order.kind.value)
    head = f"{order.number}\n{kind}" + (f" \u00b7 line {line.line_no}" if line.line_no > 1 else "")
    device = line.model_name or ("Keeps the device on the line" if line.imei is None else "Device")
    return (head, number_words(line), f"{device}\n{sim_words(line)}", status_words(line)[0])


class StatusChip(QWidget):
    """A pill in the status cell: the words on the colour of ``state`` (see ``#AcctActChip`` in style.qss)."""

    def __init__(self, *, text: str, state: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.chip = named(QLabel(""), "AcctActChip")
        self._row = QHBoxLayout(self)
        self._row.setContentsMargins(6, 0, 6, 0)
        self._row.addWidget(self.chip, 0, Qt.AlignmentFlag.AlignVCenter)
        self._row.addStretch(1)
        self.show_status(text, state)

    def show_status(self, text: str, state: str) -> None:
        """Long words wrap inside a chip as wide as the cell; short ones make a pill their own size."""
        wrap = len(text) > WRAP_AT
        self.chip.setText(text)
        self.chip.setWordWrap(wrap)
        self._row.setStretch(0, 1 if wrap else 0)
        self._row.setStretch(1, 0 if wrap else 1)
        set_state(self.chip, state)


class ActivationsTab(QWidget):
    def __init__(self, *, worker: DbWorker, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._worker = worker
        self._load: Load | None = None
        self.account_id: uuid.UUID | None = None
        self.activations: tuple[ActivationDTO, ...] = ()
        self.table = DataTable(headers=HEADERS, stretch=HEADERS.index("Device  \u00b7  SIM / eSIM"),
                               name="ActivationsTable")
        self.table.horizontalHeader().setSectionResizeMode(STATUS_COLUMN, QHeaderView.ResizeMode.Fixed)
        self.table.horizontalHeader().resizeSection(STATUS_COLUMN, STATUS_WIDTH)
        self.table.verticalHeader().setDefaultSectionSize(66)
        self.table.setAccessibleName("Activations of this account")
        self.empty = help_label(EMPTY)
        self.error = message_label()
        col = QVBoxLayout(self)
        col.setContentsMargins(16, 16, 16, 16)
        col.addWidget(self.table, 1)
        col.addWidget(self.empty)
        col.addWidget(self.error)
        col.addWidget(help_label("Live: a line's status changes here as the carrier answers. A rejected transfer "
                                 "is fixed on the Activation page (F4, Ctrl+R)."))
        self.setFocusProxy(self.table)
        self.clear()

    @property
    def available(self) -> bool:
        return self._load is not None

    def set_source(self, load: Load | None) -> None:
        """Where the tab reads the account's activations (the activation service's ``for_account``)."""
        self._load = load

    def show_account(self, account_id: uuid.UUID) -> None:
        if account_id != self.account_id:
            self.activations = ()
            self._fill()
        self.account_id = account_id
        self.reload()

    def reload(self) -> None:
        load, account_id = self._load, self.account_id
        if load is None or account_id is None:
            return
        self._worker.run(lambda: load(account_id), lambda found: self._loaded(account_id, found),
                         lambda exc: show_error(self.error, exc, self._worker), owner=self)

    def line_status(self, event: LineStatusChanged) -> bool:
        """A line changed status: shown at once if it is one of this account's, then read again."""
        if not any(a.id == event.activation_id for a in self.activations):
            return False
        try:
            status = LineActivationStatus(event.status)
        except ValueError:
            status = None
        if status is not None:
            self.activations = tuple(
                replace(a, lines=tuple(replace(ln, status=status, reason=event.reason)
                                       if ln.id == event.activation_line_id else ln for ln in a.lines))
                for a in self.activations)
            self._fill()
        self.reload()
        return True

    def clear(self) -> None:
        self.account_id, self.activations = None, ()
        self.error.hide()
        self._fill()

    def status_texts(self) -> list[str]:
        """The chips' words, row by row (what the rep reads in the Status column)."""
        out: list[str] = []
        for r in range(self.table.rowCount()):
            chip = self.table.cellWidget(r, STATUS_COLUMN)
            out.append(chip.chip.text() if isinstance(chip, StatusChip) else "")
        return out

    def _loaded(self, account_id: uuid.UUID, found: tuple[ActivationDTO, ...]) -> None:
        if account_id != self.account_id:
            return  # the visit moved on while this was read
        self.error.hide()
        self.activations = tuple(sorted(found, key=lambda a: a.created_at, reverse=True))
        self._fill()

    def _fill(self) -> None:
        current = max(self.table.currentRow(), 0)
        rows = [(order, line) for order in self.activations for line in order.lines]
        self.table.set_rows([(*row_texts(order, line)[:STATUS_COLUMN], "") for order, line in rows])
        for r, (_order, line) in enumerate(rows):
            text, state = status_words(line)
            chip = self.table.cellWidget(r, STATUS_COLUMN)
            if isinstance(chip, StatusChip):  # kept: no widget churn on every status event
                chip.show_status(text, state)
            else:
                self.table.setCellWidget(r, STATUS_COLUMN, StatusChip(text=text, state=state))
        if rows:
            self.table.selectRow(min(current, len(rows) - 1))
        self.empty.setVisible(self.account_id is not None and not rows)
