"""New customer: a form the customer service validates; suspected duplicates are offered before creating.

The service does all the checking (phone via ``phonenumbers``, e-mail, address, PIN rules) and its message is
shown inline. On :class:`DuplicateSuspected` the matching customers (masked) are listed: the rep opens one of
them (``match_chosen``) or confirms this really is someone new ("Create anyway").
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QRegularExpression, Qt, Signal
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from posapp.errors import PosError, ValidationError
from posapp.services.customers import US_STATES, CreatedCustomer, CustomerDraft, DuplicateSuspected
from ui.models.lookup_results import LookupResultsModel
from ui.qt import named
from ui.views.lookup.common import message_label
from ui.views.lookup.results import ResultsTable

if TYPE_CHECKING:
    from posapp.services.customers import CustomerService
    from posapp.services.dto import Actor
    from ui.worker import DbWorker

DATE_FORMATS = ("%m/%d/%Y", "%Y-%m-%d")
HIDDEN_MATCH_COLUMNS = (3, 5)  # account type and role: the dialog is narrow; name, phone, city and why stay


def parse_date(text: str) -> date | None:
    """``MM/DD/YYYY`` or ``YYYY-MM-DD``; empty is None. Raises ValidationError otherwise."""
    text = text.strip()
    if not text:
        return None
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValidationError("Type the date of birth as MM/DD/YYYY.")


class NewCustomerDialog(QDialog):
    customer_created = Signal(object)  # CreatedCustomer
    match_chosen = Signal(object)  # LookupHit of an existing customer the rep chose instead

    def __init__(self, *, customers: CustomerService, worker: DbWorker, actor: Callable[[], Actor],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("NewCustomerDialog")
        self.setWindowTitle("New customer")
        self.setModal(True)
        self._customers, self._worker, self._actor = customers, worker, actor
        self._busy = False

        def field(name: str, placeholder: str = "") -> QLineEdit:
            edit = named(QLineEdit(), name)
            edit.setPlaceholderText(placeholder)
            return edit

        self.first, self.last = field("FirstName", "First name"), field("LastName", "Last name")
        self.phone = field("Phone", "(206) 555-0142")
        self.email = field("Email", "name@example.com (optional)")
        self.address = field("Address", "Street and number")
        self.city = field("City")
        self.state = named(QComboBox(), "State")
        self.state.addItem("—", "")
        for code in sorted(US_STATES):
            self.state.addItem(code, code)
        self.city.setPlaceholderText("City")
        self.zip = field("Zip", "ZIP")
        self.zip.setMaxLength(10)
        self.dob = field("DateOfBirth", "MM/DD/YYYY (optional)")
        self.kind = named(QComboBox(), "AccountKind")
        self.kind.addItem("Consumer", "consumer")
        self.kind.addItem("Business", "business")
        self.business = field("BusinessName", "Business name")
        self.pin = field("NewAccountPin", "6–15 digits (optional)")
        self.pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin.setValidator(QRegularExpressionValidator(QRegularExpression(r"\d{0,15}"), self.pin))

        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        form.setHorizontalSpacing(14)
        form.setVerticalSpacing(10)
        names = QHBoxLayout()
        names.setSpacing(10)
        names.addWidget(self.first)
        names.addWidget(self.last)
        place = QHBoxLayout()
        place.setSpacing(10)
        place.addWidget(self.city, 1)
        place.addWidget(self.state)
        place.addWidget(self.zip)
        account = QHBoxLayout()
        account.setSpacing(10)
        account.addWidget(self.kind)
        account.addWidget(self.business, 1)
        for label, row_field in (("&Name", names), ("&Phone", self.phone), ("&E-mail", self.email),
                                 ("&Address", self.address), ("City, state, ZIP", place),
                                 ("Date of &birth", self.dob), ("Account &type", account), ("Account P&IN", self.pin)):
            form.addRow(label, row_field)
        for layout, buddy in ((names, self.first), (place, self.city), (account, self.kind)):
            label_item = form.labelForField(layout)
            if isinstance(label_item, QLabel):
                label_item.setBuddy(buddy)
        for row in range(form.rowCount()):
            item = form.itemAt(row, QFormLayout.ItemRole.LabelRole)
            label_widget = item.widget() if item is not None else None
            if isinstance(label_widget, QLabel):
                label_widget.setObjectName("FieldLabel")
                label_widget.setMinimumHeight(40)
                label_widget.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)

        self.error = message_label("InlineError")
        self.dupes = named(QFrame(), "DuplicateBox")
        dc = QVBoxLayout(self.dupes)
        dc.setContentsMargins(16, 12, 16, 14)
        self.dupe_title = named(QLabel(""), "DuplicateTitle")
        self.dupe_title.setWordWrap(True)
        self.matches = LookupResultsModel(parent=self)
        self.match_table = named(ResultsTable(), "DuplicateTable")
        self.match_table.setModel(self.matches)
        self.match_table.verticalHeader().hide()
        self.match_table.setSelectionBehavior(ResultsTable.SelectionBehavior.SelectRows)
        self.match_table.setSelectionMode(ResultsTable.SelectionMode.SingleSelection)
        self.match_table.setEditTriggers(ResultsTable.EditTrigger.NoEditTriggers)
        header = self.match_table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.match_table.verticalHeader().setDefaultSectionSize(40)
        self.match_table.setShowGrid(False)
        self.match_table.setWordWrap(False)
        self.open_match = named(QPushButton("&Open selected customer"), "OpenMatch")
        self.create_anyway = named(QPushButton("Create &anyway — this is a new customer"), "CreateAnyway")
        drow = QHBoxLayout()
        drow.addWidget(self.open_match)
        drow.addStretch(1)
        drow.addWidget(self.create_anyway)
        dc.addWidget(self.dupe_title)
        dc.addWidget(self.match_table)
        dc.addLayout(drow)
        self.dupes.hide()

        self.create_button = named(QPushButton("&Create customer"), "CreateCustomer")
        self.create_button.setProperty("primary", True)
        self.create_button.setDefault(True)
        cancel = named(QPushButton("Cancel"), "CancelNewCustomer")
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(cancel)
        buttons.addWidget(self.create_button)

        col = QVBoxLayout(self)
        col.setContentsMargins(28, 24, 28, 22)
        col.setSpacing(14)
        col.addWidget(named(QLabel("New customer"), "DialogTitle"))
        col.addWidget(named(QLabel("Opens a new account with this customer as its primary holder. Existing "
                                   "customers with the same phone, e-mail or name are shown first.", wordWrap=True),
                            "Muted"))
        col.addLayout(form)
        col.addWidget(self.error)
        col.addWidget(self.dupes)
        col.addLayout(buttons)
        self.setMinimumWidth(820)

        self.kind.currentIndexChanged.connect(self._kind_changed)
        self.create_button.clicked.connect(lambda: self.submit(confirmed_new=False))
        self.create_anyway.clicked.connect(lambda: self.submit(confirmed_new=True))
        self.open_match.clicked.connect(self._open_match)
        self.match_table.picked.connect(self._open_match)
        self.match_table.doubleClicked.connect(lambda _i: self._open_match())
        cancel.clicked.connect(self.reject)
        self._kind_changed()

    def _kind_changed(self) -> None:
        business = self.kind.currentData() == "business"
        self.business.setEnabled(business)
        if not business:
            self.business.clear()

    def draft(self) -> CustomerDraft:
        return CustomerDraft(first_name=self.first.text(), last_name=self.last.text(), phone=self.phone.text(),
                             email=self.email.text(), address_line1=self.address.text(), city=self.city.text(),
                             state=self.state.currentData(), postal_code=self.zip.text(),
                             date_of_birth=parse_date(self.dob.text()), account_kind=self.kind.currentData(),
                             business_name=self.business.text(), account_pin=self.pin.text())

    def submit(self, *, confirmed_new: bool) -> None:
        if self._busy:
            return
        self.error.hide()
        try:
            draft = self.draft()
        except PosError as exc:
            self._failed(exc)
            return
        self._busy = True
        customers, actor = self._customers, self._actor()
        self._worker.run(lambda: customers.create(actor, draft, confirmed_new=confirmed_new), self._created,
                         self._failed, owner=self)

    def _created(self, created: CreatedCustomer) -> None:
        self._busy = False
        self.pin.clear()
        self.customer_created.emit(created)
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self._busy = False
        if isinstance(exc, DuplicateSuspected):
            self.matches.set_hits(exc.matches)
            for column in HIDDEN_MATCH_COLUMNS:
                self.match_table.setColumnHidden(column, True)
            rows = min(len(exc.matches), 4)
            self.match_table.setFixedHeight(self.match_table.horizontalHeader().sizeHint().height() + 40 * rows + 4)
            self.dupe_title.setText(f"⚠  {exc}")
            self.dupes.show()
            self.match_table.selectRow(0)
            self.match_table.setFocus()
            return
        if isinstance(exc, PosError):
            self.error.setText(str(exc))
            self.error.show()
            return
        self._worker.report_unexpected(exc)

    def _open_match(self) -> None:
        index = self.match_table.currentIndex()
        hit = self.matches.hit(index.row()) if index.isValid() else None
        if hit is not None:
            self.pin.clear()
            self.match_chosen.emit(hit)
            self.accept()
