"""Taking money: the tender buttons (F9 cash, F10 card, F11 store credit), the cash form with the change due, the
card terminal panel (a *simulated* terminal here, labelled as such) and store credit. Widgets only: they emit
requests and the Register page's tender controller runs the service calls (:mod:`ui.views.register.tenders_ctl`).

The card panel shows a simulator's test cards only when the terminal offers test controls
(:class:`posapp.adapters.controls.CardTestControls`); it never calls the terminal itself."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from ui.views.register.common import money, parse_money, tender_text
from ui.views.register.forms import named

if TYPE_CHECKING:
    from posapp.adapters.controls import TestCard
    from posapp.services.register.dto import SaleDTO, TenderDTO

REQUERY_MS = 2500  # an unknown card tender is asked about again after this long (and on the button)
UNKNOWN_TEXT = "Unknown \u2014 asking the terminal again"


def _amount_field(name: str) -> QLineEdit:
    field = QLineEdit()
    field.setObjectName(name)
    field.setPlaceholderText("0.00")
    field.setAlignment(Qt.AlignmentFlag.AlignRight)
    return field


def _title(text: str) -> QLabel:
    return named(QLabel(text), "TenderTitle")



class TenderButton(QPushButton):
    def __init__(self, key: str, text: str, name: str) -> None:
        super().__init__(f"{text}\n{key}")
        self.setObjectName(name)
        self.setProperty("tender", True)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setMinimumHeight(64)


class CashForm(QWidget):
    take = Signal(int, int)  # amount applied, tendered
    back = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.amount = _amount_field("CashAmount")
        self.tendered = _amount_field("CashTendered")
        self.change = named(QLabel("$0.00"), "ChangeDue")
        self.change.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.error = named(QLabel(""), "TenderError")
        self.error.setWordWrap(True)
        self.error.hide()
        self.quick = QHBoxLayout()
        self.quick.setSpacing(6)
        self._quick_buttons: list[QPushButton] = []
        self.take_button = named(QPushButton("Take cash  \u21b5"), "TakeCash")
        self.take_button.setProperty("primary", True)
        self.back_button = named(QPushButton("Back  Esc"), "TenderBack")
        grid = QGridLayout()
        grid.setVerticalSpacing(8)
        grid.addWidget(named(QLabel("Amount to apply"), "FieldLabel"), 0, 0)
        grid.addWidget(self.amount, 0, 1)
        grid.addWidget(named(QLabel("Cash tendered"), "FieldLabel"), 1, 0)
        grid.addWidget(self.tendered, 1, 1)
        col = QVBoxLayout(self)
        col.setContentsMargins(0, 0, 0, 0)
        col.setSpacing(10)
        col.addWidget(_title("CASH"))
        col.addLayout(grid)
        col.addLayout(self.quick)
        change_row = QHBoxLayout()
        change_row.addWidget(named(QLabel("Change due"), "ChangeLabel"))
        change_row.addWidget(self.change, 1)
        col.addLayout(change_row)
        col.addWidget(self.error)
        col.addStretch(1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.back_button)
        buttons.addWidget(self.take_button, 1)
        col.addLayout(buttons)
        for f in (self.amount, self.tendered):
            f.textChanged.connect(self._update)
            f.returnPressed.connect(self.submit)
        self.take_button.clicked.connect(self.submit)
        self.back_button.clicked.connect(self.back)

    def start(self, remaining: int) -> None:
        self.amount.setText(f"{remaining / 100:.2f}")
        self.tendered.clear()
        self.error.hide()
        for b in self._quick_buttons:
            self.quick.removeWidget(b)
            b.deleteLater()
        self._quick_buttons = []
        choices = [remaining]
        for note in (500, 1000, 2000, 5000, 10000):
            up = -(-remaining // note) * note
            if up > choices[-1] and len(choices) < 4:
                choices.append(up)
        for cents in choices:
            b = named(QPushButton("Exact" if cents == remaining else money(cents)), "QuickCash")
            b.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            b.clicked.connect(lambda _c=False, v=cents: self.tendered.setText(f"{v / 100:.2f}"))
            self.quick.addWidget(b)
            self._quick_buttons.append(b)
        self._update()
        self.tendered.setFocus()

    def values(self) -> tuple[int | None, int | None]:
        amount = parse_money(self.amount.text())
        tendered = parse_money(self.tendered.text()) if self.tendered.text().strip() else amount
        return amount, tendered

    def _update(self) -> None:
        amount, tendered = self.values()
        ok = amount is not None and tendered is not None and amount > 0 and tendered >= amount
        self.change.setText(money(tendered - amount) if ok and tendered is not None and amount is not None
                            else "\u2014")
        self.take_button.setEnabled(ok)

    def submit(self) -> None:
        amount, tendered = self.values()
        if amount is None or tendered is None or amount <= 0:
            self.show_error("Enter the amount to apply, e.g. 20.00.")
            return
        if tendered < amount:
            self.show_error(f"Cash tendered must be at least {money(amount)}.")
            return
        self.error.hide()
        self.take.emit(amount, tendered)

    def show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()


class CardTerminalPanel(QWidget):
    """The card terminal. The terminal reads the card; only brand, last 4 and an auth code come back. A timeout
    leaves the attempt unknown: it is asked again (automatically after REQUERY_MS, or with the button) — the
    card is never charged a second time."""

    charge = Signal(int, str, bool)  # amount, test card key ("" for a real terminal), offline (store link down)
    requery = Signal(object)  # tender id
    back = Signal()

    def __init__(self, *, simulator: bool, label: str, cards: tuple[TestCard, ...] = (),
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.simulator = simulator
        self.auto_requery_ms: int | None = REQUERY_MS
        self.tender: TenderDTO | None = None
        self.link_down = False  # the last sync could not reach the central store: offer store-and-forward first
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._ask_again)
        box = named(QFrame(), "TerminalBox")
        box.setProperty("simulator", simulator)
        self.badge = named(QLabel("SIMULATED TERMINAL" if simulator else "CARD TERMINAL"), "TerminalBadge")
        self.card = named(QComboBox(), "SimCard")
        for c in cards:
            self.card.addItem(f"{c.label} test card", c.key)
        self.card.setVisible(bool(cards))
        self.card.setToolTip("The card the simulated customer presents")
        self.card.setMinimumWidth(120)
        self.amount = _amount_field("CardAmount")
        self.amount.setFixedWidth(150)
        self.amount.setToolTip("Amount to charge")
        self.offline = named(QCheckBox("Store link down: take it offline"), "OfflineCard")
        self.offline.setToolTip("Store-and-forward: needs a manager's approval, within the offline limits; the "
                                "payment must be forwarded before its deadline.")
        self.state = named(QLabel("Ready"), "TerminalState")
        self.state.setWordWrap(True)
        self.state.setMinimumHeight(56)  # two lines: a decline reason or the forwarding deadline fits
        self.state.setProperty("state", "idle")
        self.charge_button = named(QPushButton("Charge card  \u21b5"), "ChargeCard")
        self.charge_button.setProperty("primary", True)
        self.requery_button = named(QPushButton("Ask the terminal again"), "RequeryCard")
        self.requery_button.hide()
        self.back_button = named(QPushButton("Back  Esc"), "TenderBack")
        inner = QVBoxLayout(box)
        inner.setContentsMargins(12, 10, 12, 10)
        inner.setSpacing(8)
        self.badge.setToolTip(label)
        inner.addWidget(self.badge)
        row = QHBoxLayout()
        row.addWidget(self.card, 1)
        row.addWidget(self.amount)
        inner.addLayout(row)
        inner.addWidget(self.offline)
        inner.addWidget(self.state)
        col = QVBoxLayout(self)
        col.setContentsMargins(0, 0, 0, 0)
        col.setSpacing(10)
        col.addWidget(box)
        col.addStretch(1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.back_button)
        buttons.addWidget(self.requery_button)
        buttons.addWidget(self.charge_button, 1)
        col.addLayout(buttons)
        self.amount.returnPressed.connect(self.submit)
        self.charge_button.clicked.connect(self.submit)
        self.requery_button.clicked.connect(self._ask_again)
        self.back_button.clicked.connect(self.back)

    @property
    def busy(self) -> bool:
        return self.tender is not None and self.tender.state in ("pending", "unknown")

    def set_link_down(self, down: bool) -> None:
        """Follow the sync status: when the store's link is down the offline box starts ticked (the rep can untick
        it: the card network may still answer when only head office is unreachable)."""
        self.link_down = down
        self.offline.setText("Store link down: take it offline" + (" (the last sync failed)" if down else ""))

    def start(self, remaining: int) -> None:
        self.tender = None
        self._timer.stop()
        self.amount.setText(f"{remaining / 100:.2f}")
        self.amount.setEnabled(True)
        self.offline.setChecked(self.link_down)
        ready = "Simulator ready \u2014 no real card is charged." if self.simulator else "Terminal ready."
        self._set_state("idle", f"{ready} Enter sends the amount.")
        self.charge_button.setEnabled(True)
        self.requery_button.hide()
        self.back_button.setEnabled(True)
        self.amount.setFocus()
        self.amount.selectAll()

    def submit(self) -> None:
        if self.busy or not self.charge_button.isEnabled():
            return
        amount = parse_money(self.amount.text())
        if amount is None or amount <= 0:
            self._set_state("declined", "Enter the amount to charge, e.g. 49.99.")
            return
        self.pending()
        key = self.card.currentData()
        self.charge.emit(amount, str(key) if key is not None else "", self.offline.isChecked())

    def pending(self) -> None:
        self._set_state("pending", "Pending \u2014 waiting for the customer's card on the terminal\u2026")
        self.charge_button.setEnabled(False)
        self.amount.setEnabled(False)
        self.back_button.setEnabled(False)

    def show_tender(self, tender: TenderDTO) -> None:
        """The terminal's answer (from a charge or a re-query)."""
        self.tender = tender
        self._timer.stop()
        self.requery_button.hide()
        if tender.state == "approved" and tender.offline:
            when = tender.offline_status or "forward it when the link is back"
            self._set_state("unknown", f"Taken offline \u2014 {when}")
        elif tender.state == "approved":
            self._set_state("approved", f"Approved \u2014 {tender_text(tender)}, auth {tender.auth_code}")
        elif tender.state == "declined":
            self._set_state("declined", f"Declined \u2014 {tender.decline_reason or 'try another card'}")
            self.charge_button.setEnabled(True)
            self.amount.setEnabled(True)
            self.back_button.setEnabled(True)
        elif tender.state == "unknown":
            self._set_state("unknown", f"{UNKNOWN_TEXT}. The card is not charged again.")
            self.requery_button.show()
            self.requery_button.setEnabled(True)
            if self.auto_requery_ms is not None:
                self._timer.start(self.auto_requery_ms)
        else:
            self.pending()

    def failed(self, text: str) -> None:
        self._set_state("declined", text)
        if not self.busy:
            self.charge_button.setEnabled(True)
            self.amount.setEnabled(True)
            self.back_button.setEnabled(True)
        else:
            self.requery_button.setEnabled(True)

    def _ask_again(self) -> None:
        if self.tender is None or self.tender.state not in ("pending", "unknown"):
            return
        self._timer.stop()
        self.requery_button.setEnabled(False)
        self._set_state("unknown", f"{UNKNOWN_TEXT}\u2026")
        self.requery.emit(self.tender.id)

    def _set_state(self, state: str, text: str) -> None:
        self.state.setText(text)
        self.state.setProperty("state", state)
        self.state.style().unpolish(self.state)
        self.state.style().polish(self.state)


class StoreCreditForm(QWidget):
    apply = Signal(int)
    back = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.remaining = 0
        self.amount = _amount_field("CreditAmount")
        self.balance = named(QLabel(""), "CreditBalance")
        self.balance.setWordWrap(True)
        self.error = named(QLabel(""), "TenderError")
        self.error.setWordWrap(True)
        self.error.hide()
        self.apply_button = named(QPushButton("Apply store credit  \u21b5"), "ApplyCredit")
        self.apply_button.setProperty("primary", True)
        self.back_button = named(QPushButton("Back  Esc"), "TenderBack")
        col = QVBoxLayout(self)
        col.setContentsMargins(0, 0, 0, 0)
        col.setSpacing(10)
        col.addWidget(_title("STORE CREDIT"))
        row = QHBoxLayout()
        row.addWidget(named(QLabel("Amount"), "FieldLabel"))
        row.addWidget(self.amount, 1)
        col.addLayout(row)
        col.addWidget(self.balance)
        col.addWidget(self.error)
        col.addStretch(1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.back_button)
        buttons.addWidget(self.apply_button, 1)
        col.addLayout(buttons)
        self.amount.returnPressed.connect(self.submit)
        self.apply_button.clicked.connect(self.submit)
        self.back_button.clicked.connect(self.back)

    def start(self, remaining: int) -> None:
        self.remaining = remaining
        self.amount.setText(f"{remaining / 100:.2f}")
        self.balance.setText("Checking the customer's store credit\u2026")
        self.error.hide()
        self.amount.setFocus()
        self.amount.selectAll()

    def show_balance(self, cents: int | None) -> None:
        """The customer's (or account's) store credit; None: walk-in, no credit to draw on."""
        if cents is None:
            self.balance.setText("Walk-in customer: store credit needs a verified customer (Lookup, F2).")
            return
        self.balance.setText(f"Available store credit: {money(cents)}")
        self.amount.setText(f"{min(cents, self.remaining) / 100:.2f}")
        self.amount.selectAll()

    def submit(self) -> None:
        amount = parse_money(self.amount.text())
        if amount is None or amount <= 0:
            self.show_error("Enter the amount of store credit to apply.")
            return
        self.apply.emit(amount)

    def show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()


class TenderPanel(QStackedWidget):
    """The tender area: buttons and the tenders taken so far, or one of the forms."""

    chosen = Signal(str)  # cash | card | store_credit (a button was clicked)

    def __init__(self, *, simulator: bool, terminal_label: str, cards: tuple[TestCard, ...] = (),
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("TenderPanel")
        choose = named(QWidget(), "TenderChoose")
        self.cash_button = TenderButton("F9", "Cash", "CashButton")
        self.card_button = TenderButton("F10", "Card", "CardButton")
        self.credit_button = TenderButton("F11", "Store credit", "CreditButton")
        self.taken = named(QLabel(""), "TendersTaken")
        self.taken.setWordWrap(True)
        self.hint = named(QLabel(""), "TenderHint")
        self.hint.setWordWrap(True)
        self.change_box = named(QWidget(), "ChangeBox")
        change_row = QHBoxLayout(self.change_box)
        change_row.setContentsMargins(0, 0, 0, 0)
        change_row.addWidget(named(QLabel("Change due"), "ChangeLabel"))
        self.change = named(QLabel(""), "ChangeDue")
        self.change.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        change_row.addWidget(self.change, 1)
        self.change_box.hide()
        col = QVBoxLayout(choose)
        col.setContentsMargins(0, 0, 0, 0)
        col.setSpacing(10)
        col.addWidget(_title("PAYMENT"))
        row = QHBoxLayout()
        row.setSpacing(8)
        for b in (self.cash_button, self.card_button, self.credit_button):
            row.addWidget(b, 1)
        col.addLayout(row)
        col.addWidget(self.taken)
        col.addWidget(self.change_box)
        col.addWidget(self.hint)
        self.extra = QVBoxLayout()  # the page puts the signature state here
        self.extra.setSpacing(6)
        col.addLayout(self.extra)
        col.addStretch(1)
        self.cash = CashForm()
        self.card = CardTerminalPanel(simulator=simulator, label=terminal_label, cards=cards)
        self.credit = StoreCreditForm()
        for w in (choose, self.cash, self.card, self.credit):
            self.addWidget(w)
        self.choose = choose
        self.cash_button.clicked.connect(lambda: self.chosen.emit("cash"))
        self.card_button.clicked.connect(lambda: self.chosen.emit("card"))
        self.credit_button.clicked.connect(lambda: self.chosen.emit("store_credit"))
        for form in (self.cash, self.card, self.credit):
            form.back.connect(self.show_choose)

    @property
    def form(self) -> str:
        return {0: "choose", 1: "cash", 2: "card", 3: "store_credit"}[self.currentIndex()]

    def show_choose(self) -> None:
        if self.card.busy:
            return  # an attempt in flight must be settled first
        self.setCurrentWidget(self.choose)

    def open_form(self, kind: str, remaining: int) -> None:
        if kind == "cash":
            self.setCurrentWidget(self.cash)
            self.cash.start(remaining)
        elif kind == "card":
            self.setCurrentWidget(self.card)
            self.card.start(remaining)
        else:
            self.setCurrentWidget(self.credit)
            self.credit.start(remaining)

    def show_change(self, cents: int) -> None:
        """The change to hand back after a cash tender, in large type (hidden when there is none)."""
        self.change.setText(money(cents))
        self.change_box.setVisible(cents > 0)

    def show_sale(self, sale: SaleDTO | None, *, enabled: bool, card_enabled: bool | None = None) -> None:
        if sale is None:
            self.change_box.hide()
        tenders = [t for t in sale.tenders if t.state != "declined"] if sale is not None else []
        self.taken.setText("\n".join(f"\u2713 {money(t.amount_cents)}  {tender_text(t)}" if t.state == "approved"
                                     else f"\u2026 {money(t.amount_cents)}  {tender_text(t)}" for t in tenders))
        self.taken.setVisible(bool(tenders))
        for b in (self.cash_button, self.credit_button):
            b.setEnabled(enabled)
        self.card_button.setEnabled(enabled if card_enabled is None else card_enabled)
