"""The number step: a number from the store's pool, or a transfer from another carrier (port-in, Ctrl+T).

The transfer PIN is typed into a masked field, handed to the service once (it goes to the OS keyring) and
cleared from the form at once; it is never shown, stored in a widget after submit, or logged.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from posapp.services.activation.dto import LineDTO, PoolNumberDTO, PortInDTO, PortInForm
from posapp.workflows.activation import NumberMode
from ui.qt import named
from ui.views.activation.widgets import ScanBox, card, keyed, label, number_text, set_state
from ui.views.lookup.common import format_phone

KEEP_SERVICE = ("Tell the customer: keep your old service active until the transfer completes \u2014 cancelling "
                "it first loses the number.")
PORT_KEYS = "Ctrl+T"


class PortInFields(QWidget):
    """The transfer form: Enter moves to the next field; Enter in the last one submits."""

    submitted = Signal(object)  # PortInForm
    enter_empty = Signal()  # Enter in the empty form (the transfer is recorded: go on)

    def __init__(self, *, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.msisdn, self.carrier, self.account, self.pin, self.name, self.zip = (QLineEdit() for _ in range(6))
        self.pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin.setObjectName("ActTransferPin")
        self.prepaid = QCheckBox("Prepaid at the old carrier")
        self.error = label("", "ErrorText")
        self.error.hide()
        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        for text, field, hint in (("Number to transfer", self.msisdn, "(206) 555-0199"),
                                  ("Old carrier", self.carrier, "as on the customer's bill"),
                                  ("Old account number", self.account, "from the old carrier's app or bill"),
                                  ("Transfer PIN", self.pin, "number transfer PIN (masked)"),
                                  ("Name on the old account", self.name, "exactly as at the old carrier"),
                                  ("Billing ZIP there", self.zip, "5 digits")):
            field.setPlaceholderText(hint)
            field.setAccessibleName(text)
            name = label(text, "FieldLabel", wrap=False)
            name.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            name.setMinimumHeight(field.sizeHint().height())  # centred on its field, not on the row's top
            form.addRow(name, field)
        form.addRow("", self.prepaid)
        col = QVBoxLayout(self)
        col.setContentsMargins(0, 0, 0, 0)
        col.addLayout(form)
        col.addWidget(label("Enter moves to the next field; Enter in the last one sends the transfer details.",
                            "ActHint"))
        col.addWidget(self.error)
        self._order = (self.msisdn, self.carrier, self.account, self.pin, self.name, self.zip)
        for field in self._order:
            field.returnPressed.connect(lambda f=field: self._enter(f))

    def _enter(self, field: QLineEdit) -> None:
        if not any(f.text().strip() for f in self._order):
            self.enter_empty.emit()
            return
        index = self._order.index(field)
        empty = next((f for f in self._order if not f.text().strip()), None)
        if index + 1 < len(self._order) and not self._order[index + 1].text():
            self._order[index + 1].setFocus()
        elif empty is not None:
            empty.setFocus()
        else:
            self.submit()

    def submit(self) -> None:
        missing = [f.accessibleName() for f in self._order if not f.text().strip()]
        if missing:
            self.show_error(f"Fill in: {', '.join(missing)}.")
            return
        form = PortInForm(msisdn=self.msisdn.text().strip(), old_carrier=self.carrier.text().strip(),
                          old_account_number=self.account.text().strip(), transfer_pin=self.pin.text().strip(),
                          name=self.name.text().strip(), billing_zip=self.zip.text().strip(),
                          prepaid=self.prepaid.isChecked())
        self.pin.clear()  # the PIN leaves the widget tree the moment it is handed on
        self.error.hide()
        self.submitted.emit(form)

    def show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()

    def fill(self, port: PortInDTO) -> None:
        """Prefill from a port-in (to fix a rejection): the old account number and the PIN must be typed again."""
        self.msisdn.setText(format_phone(port.msisdn))
        self.carrier.setText(port.old_carrier)
        self.name.setText(port.name)
        self.zip.setText(port.billing_zip)
        self.prepaid.setChecked(port.prepaid)
        self.account.clear()
        self.pin.clear()

    def clear(self) -> None:
        for f in self._order:
            f.clear()
        self.prepaid.setChecked(False)
        self.error.hide()

    def focus(self) -> None:
        (next((f for f in self._order if not f.text()), self.msisdn)).setFocus(Qt.FocusReason.OtherFocusReason)


class PoolList(QListWidget):
    picked = Signal(str)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # Qt override
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            item = self.currentItem()
            if item is not None:
                self.picked.emit(item.data(Qt.ItemDataRole.UserRole))
            return
        super().keyPressEvent(event)


class NumberPanel(QWidget):
    pick = Signal(str)  # msisdn from the pool
    port_in = Signal(object)  # PortInForm
    mode_requested = Signal(object)  # NumberMode
    area_code = Signal(object)  # str | None: reload the pool
    next_step = Signal()

    def __init__(self, *, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ActNumberPanel")
        self.pool_button = keyed("Store pool", PORT_KEYS, "ActPoolMode")
        self.port_button = keyed("Transfer a number (port-in)", PORT_KEYS, "ActPortMode")
        for b in (self.pool_button, self.port_button):
            b.setCheckable(True)
        self.area = ScanBox(placeholder="Area code (optional), Enter", name="ActAreaCode")
        self.area.setMaximumWidth(280)
        self.pool = named(PoolList(), "ActPool")
        self.pool.setAccessibleName("Numbers of the store's pool")
        self.pool_empty = label("", "ActHint")
        pool_page = QWidget()
        pc = QVBoxLayout(pool_page)
        pc.setContentsMargins(0, 0, 0, 0)
        pc.addWidget(label("\u2191\u2193 and Enter picks the number (it is reserved for this order).", "ActHint"))
        pc.addWidget(self.area)
        pc.addWidget(self.pool, 1)
        pc.addWidget(self.pool_empty)
        self.form = PortInFields()
        self.warning = label(KEEP_SERVICE, "ActWarning")
        port_page, pcol = card("ActPortCard")
        pcol.addWidget(self.warning)
        pcol.addWidget(self.form)
        pcol.addStretch(1)
        self.pages = QStackedWidget()
        self.pages.addWidget(pool_page)
        self.pages.addWidget(port_page)
        self.current = label("", "ActVerdict")
        self.current.hide()
        modes = QHBoxLayout()
        modes.addWidget(self.pool_button)
        modes.addWidget(self.port_button)
        modes.addStretch(1)
        col = QVBoxLayout(self)
        col.setContentsMargins(0, 0, 0, 0)
        col.setSpacing(12)
        col.addLayout(modes)
        col.addWidget(self.current)
        col.addWidget(self.pages, 1)
        self._msisdn: str | None = None  # the pool number on the line
        self._numbers: tuple[PoolNumberDTO, ...] = ()
        self._port: tuple[str, int] | None = None  # the transfer recorded on the line
        self.pool.picked.connect(self._picked)
        self.pool.itemDoubleClicked.connect(lambda item: self._picked(item.data(Qt.ItemDataRole.UserRole)))
        self.form.submitted.connect(self.port_in)
        self.form.enter_empty.connect(self.next_step)
        self.area.submitted.connect(lambda text: self.area_code.emit(text))
        self.area.enter_empty.connect(lambda: self.area_code.emit(None))
        self.pool_button.clicked.connect(lambda: self.mode_requested.emit(NumberMode.POOL))
        self.port_button.clicked.connect(lambda: self.mode_requested.emit(NumberMode.PORT_IN))

    def _picked(self, msisdn: str) -> None:
        """Enter on a number picks it; Enter on the number already on the line goes on."""
        if msisdn == self._msisdn:
            self.next_step.emit()
        else:
            self.pick.emit(msisdn)

    @property
    def mode(self) -> NumberMode:
        return NumberMode.PORT_IN if self.pages.currentIndex() == 1 else NumberMode.POOL

    def show_pool(self, numbers: tuple[PoolNumberDTO, ...]) -> None:
        """The available numbers; the one reserved for this line (no longer "available") comes first."""
        self._numbers = numbers
        self.pool.clear()
        mine = self._msisdn
        if mine is not None and all(n.msisdn != mine for n in numbers):
            numbers = (PoolNumberDTO(msisdn=mine, display=format_phone(mine)), *numbers)
        for n in numbers:
            item = QListWidgetItem(n.display + ("   \u2713 on this line" if n.msisdn == self._msisdn else ""))
            item.setData(Qt.ItemDataRole.UserRole, n.msisdn)
            self.pool.addItem(item)
        if numbers:
            self.pool.setCurrentRow(0)
        self.pool_empty.setText("" if numbers else "No numbers of the store's pool are available here. Try "
                                "another area code, or transfer the customer's number (Ctrl+T).")
        self.pool_empty.setVisible(not numbers)

    def show_line(self, line: LineDTO | None, mode: NumberMode) -> None:
        self.pages.setCurrentIndex(1 if mode is NumberMode.PORT_IN else 0)
        self.pool_button.setChecked(mode is NumberMode.POOL)
        self.port_button.setChecked(mode is NumberMode.PORT_IN)
        msisdn = line.msisdn if line is not None and line.port_in is None else None
        if msisdn != self._msisdn:
            self._msisdn = msisdn
            self.show_pool(self._numbers)
        port = (line.port_in.msisdn, line.port_in.attempt) if line is not None and line.port_in else None
        if port != self._port and port is not None:
            self.form.clear()  # recorded: Enter in the empty form goes on (the PIN is gone already)
        self._port = port
        done = line is not None and (line.msisdn is not None or line.port_in is not None)
        if done and line is not None:
            self.current.setText(f"\u2713 {number_text(line)}. Enter: next step")
            set_state(self.current, "ok")
        self.current.setVisible(done)

    def focus(self) -> None:
        if self.mode is NumberMode.PORT_IN:
            self.form.focus()
        else:
            self.pool.setFocus(Qt.FocusReason.OtherFocusReason)
