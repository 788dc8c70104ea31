"""The cash drawer dialogs: open a session with a float, paid in / paid out, no-sale (permission), close by counting
denominations (expected vs counted, a reason for a variance) and the end-of-day (Z) report as PDF.

Every service call runs on the DB worker; a refused permission asks for a manager's override and tries again.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from posapp.domain.register import DENOMINATIONS
from posapp.errors import PermissionDenied, PosError
from posapp.security.permissions import Permission
from ui.views.register.common import money, parse_money
from ui.views.register.forms import error_label, ok_cancel
from ui.widgets.override_dialog import OverrideAuth, OverrideDialog

if TYPE_CHECKING:
    from posapp.services.dto import Actor, Override
    from posapp.services.register.dto import DrawerDTO
    from posapp.services.registry import Register
    from ui.worker import DbWorker

DEFAULT_FLOAT_CENTS = 20_000


def denomination_label(cents: int) -> str:
    return f"${cents // 100}" if cents >= 100 else f"{cents}\u00a2"


class FloatDialog(QDialog):
    """No drawer session is open: count the float in before the first cash tender."""

    opened = Signal(object)  # DrawerDTO

    def __init__(self, *, register: Register, worker: DbWorker, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("FloatDialog")
        self.setWindowTitle("Open the cash drawer")
        self.setModal(True)
        self.setMinimumWidth(440)
        self._register, self._worker, self._actor = register, worker, actor
        col = QVBoxLayout(self)
        col.setContentsMargins(28, 24, 28, 20)
        col.setSpacing(10)
        col.addWidget(QLabel("Open the cash drawer", objectName="DialogTitle"))
        text = QLabel("No drawer session is open on this terminal. Count the float into the drawer and enter it.",
                      objectName="Muted")
        text.setWordWrap(True)
        col.addWidget(text)
        self.amount = QLineEdit(f"{DEFAULT_FLOAT_CENTS / 100:.2f}", objectName="FloatAmount")
        self.amount.setAlignment(Qt.AlignmentFlag.AlignRight)
        col.addWidget(self.amount)
        self.error = error_label(col)
        self.ok = ok_cancel(self, col, "Open drawer")
        self.amount.setFocus()
        self.amount.selectAll()

    def submit(self) -> None:
        cents = parse_money(self.amount.text())
        if cents is None:
            self.error.setText("Enter the float, e.g. 200.00.")
            self.error.show()
            return
        self.ok.setEnabled(False)
        drawer, actor = self._register.drawer, self._actor
        self._worker.run(lambda: drawer.open_session(actor, float_cents=cents), self._done, self._failed,
                         owner=self)

    def _done(self, dto: DrawerDTO) -> None:
        self.opened.emit(dto)
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self.ok.setEnabled(True)
        if not isinstance(exc, PosError):
            self._worker.report_unexpected(exc)
            return
        self.error.setText(str(exc))
        self.error.show()


class DrawerDialog(QDialog):
    """The drawer: status, paid in / out, no-sale, count and close, and the end-of-day report."""

    changed = Signal(object)  # DrawerDTO or None (closed)

    def __init__(self, *, register: Register, auth: OverrideAuth, worker: DbWorker, actor: Actor,
                 timezone: str, reports_dir: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("DrawerDialog")
        self.setWindowTitle("Cash drawer")
        self.setModal(True)
        self.setMinimumWidth(680)
        self._register, self._auth, self._worker, self._actor = register, auth, worker, actor
        self._tz, self._reports_dir = timezone, reports_dir
        self.drawer: DrawerDTO | None = None
        self.override_dialog: OverrideDialog | None = None
        self.report_path: Path | None = None

        col = QVBoxLayout(self)
        col.setContentsMargins(28, 24, 28, 20)
        col.setSpacing(12)
        col.addWidget(QLabel("Cash drawer", objectName="DialogTitle"))
        self.status = QLabel("Reading the drawer\u2026", objectName="DrawerStatus")
        self.status.setWordWrap(True)
        col.addWidget(self.status)

        moves = QFrame(objectName="DrawerCard")
        grid = QGridLayout(moves)
        grid.setContentsMargins(16, 12, 16, 12)
        grid.setVerticalSpacing(8)
        self.move_amount = QLineEdit(objectName="MoveAmount")
        self.move_amount.setPlaceholderText("Amount")
        self.move_reason = QLineEdit(objectName="MoveReason")
        self.move_reason.setPlaceholderText("Reason (required)")
        self.paid_in = QPushButton("Paid in", objectName="PaidIn")
        self.paid_out = QPushButton("Paid out", objectName="PaidOut")
        self.no_sale = QPushButton("No sale (open drawer)", objectName="NoSale")
        grid.addWidget(QLabel("PAID IN / OUT, NO SALE", objectName="SectionTitle"), 0, 0, 1, 4)
        grid.addWidget(self.move_amount, 1, 0)
        grid.addWidget(self.move_reason, 1, 1, 1, 3)
        grid.addWidget(self.paid_in, 2, 0)
        grid.addWidget(self.paid_out, 2, 1)
        grid.addWidget(self.no_sale, 2, 2, 1, 2)
        col.addWidget(moves)

        count = QFrame(objectName="DrawerCard")
        cgrid = QGridLayout(count)
        cgrid.setContentsMargins(16, 12, 16, 12)
        cgrid.setVerticalSpacing(6)
        cgrid.addWidget(QLabel("COUNT AND CLOSE", objectName="SectionTitle"), 0, 0, 1, 8)
        self.counts: dict[int, QSpinBox] = {}
        for i, cents in enumerate(DENOMINATIONS):
            spin = QSpinBox(objectName="DenomCount")
            spin.setRange(0, 9999)
            spin.valueChanged.connect(self._recount)
            self.counts[cents] = spin
            r, c = 1 + i // 4, (i % 4) * 2
            cgrid.addWidget(QLabel(denomination_label(cents), objectName="FieldLabel"), r, c,
                            Qt.AlignmentFlag.AlignRight)
            cgrid.addWidget(spin, r, c + 1)
        self.counted = QLabel("", objectName="DrawerCounted")
        cgrid.addWidget(self.counted, 5, 0, 1, 8)
        self.variance_reason = QLineEdit(objectName="VarianceReason")
        self.variance_reason.setPlaceholderText("Reason for a difference (required if counted \u2260 expected)")
        cgrid.addWidget(self.variance_reason, 6, 0, 1, 5)
        self.close_drawer = QPushButton("Close drawer", objectName="CloseDrawer")
        self.close_drawer.setMinimumWidth(150)
        cgrid.addWidget(self.close_drawer, 6, 5, 1, 3)
        col.addWidget(count)

        self.message = QLabel("", objectName="InlineInfo")
        self.message.setWordWrap(True)
        self.message.hide()
        self.error = QLabel("", objectName="ErrorText")
        self.error.setWordWrap(True)
        self.error.hide()
        col.addWidget(self.message)
        col.addWidget(self.error)
        row = QHBoxLayout()
        self.eod = QPushButton("End-of-day report (PDF)", objectName="EodReport")
        done = QPushButton("Done", objectName="DrawerDone")
        done.setProperty("primary", True)
        row.addWidget(self.eod)
        row.addStretch(1)
        row.addWidget(done)
        col.addLayout(row)

        self.paid_in.clicked.connect(lambda: self._move("in"))
        self.paid_out.clicked.connect(lambda: self._move("out"))
        self.no_sale.clicked.connect(self._no_sale)
        self.close_drawer.clicked.connect(self._close)
        self.eod.clicked.connect(self._eod)
        done.clicked.connect(self.accept)
        self.refresh()

    # -- state -------------------------------------------------------------------------------------------------
    def refresh(self) -> None:
        drawer, actor = self._register.drawer, self._actor
        self._worker.run(lambda: drawer.current(actor), self._show, self._no_drawer, owner=self)

    def _show(self, dto: DrawerDTO) -> None:
        self.drawer = dto
        if dto.status == "open":
            self.status.setText(f"Open \u2014 float {money(dto.float_cents)}, expected in the drawer now "
                                f"{money(dto.expected_cents)}.")
        else:
            self.status.setText(f"Closed \u2014 expected {money(dto.expected_cents)}, counted "
                                f"{money(dto.counted_cents or 0)}, variance {money(dto.variance_cents or 0)}.")
        for w in (self.paid_in, self.paid_out, self.no_sale, self.close_drawer):
            w.setEnabled(dto.status == "open")
        self._recount()

    def _no_drawer(self, exc: BaseException) -> None:
        if not isinstance(exc, PosError):
            self._worker.report_unexpected(exc)
            return
        self.drawer = None
        self.status.setText("No drawer session is open on this terminal; the register asks for the float before "
                            "the first cash payment.")
        for w in (self.paid_in, self.paid_out, self.no_sale, self.close_drawer):
            w.setEnabled(False)

    def counted_cents(self) -> int:
        return sum(cents * spin.value() for cents, spin in self.counts.items())

    def _recount(self) -> None:
        counted = self.counted_cents()
        if self.drawer is None:
            self.counted.setText(f"Counted {money(counted)}")
            return
        variance = counted - self.drawer.expected_cents
        self.counted.setText(f"Counted {money(counted)}  \u00b7  expected {money(self.drawer.expected_cents)}"
                             f"  \u00b7  variance {money(variance)}")
        self.counted.setProperty("variance", "yes" if variance else "no")
        self.counted.style().unpolish(self.counted)
        self.counted.style().polish(self.counted)

    # -- calls -------------------------------------------------------------------------------------------------
    def _call(self, fn: Callable[[Override | None], Any], done: Callable[[Any], None], action: str,
              override: Override | None = None) -> None:
        self.error.hide()

        def failed(exc: BaseException) -> None:
            if isinstance(exc, PermissionDenied) and exc.permission and override is None:
                self._ask_override(Permission(exc.permission), action,
                                   lambda ov: self._call(fn, done, action, ov))
            elif isinstance(exc, PosError):
                self.error.setText(str(exc))
                self.error.show()
            else:
                self._worker.report_unexpected(exc)

        self._worker.run(lambda: fn(override), done, failed, owner=self)

    def _ask_override(self, permission: Permission, action: str, then: Callable[[Override], None]) -> None:
        dialog = OverrideDialog(actor=self._actor, permission=permission, action=action, auth=self._auth,
                                worker=self._worker, parent=self)
        dialog.granted.connect(then)
        dialog.finished.connect(lambda _r: self._override_closed(dialog))
        self.override_dialog = dialog
        dialog.open()

    def _override_closed(self, dialog: OverrideDialog) -> None:
        if self.override_dialog is dialog:
            self.override_dialog = None
        dialog.deleteLater()

    def _moved(self, dto: DrawerDTO, text: str) -> None:
        self.move_amount.clear()
        self.move_reason.clear()
        self._info(text)
        self._show(dto)
        self.changed.emit(dto)

    def _move(self, direction: str) -> None:
        cents = parse_money(self.move_amount.text())
        reason = self.move_reason.text().strip()
        if cents is None or cents <= 0 or not reason:
            self.error.setText("Enter an amount and a reason.")
            self.error.show()
            return
        drawer, actor = self._register.drawer, self._actor
        if direction == "in":
            self._call(lambda _ov: drawer.paid_in(actor, amount_cents=cents, reason=reason),
                       lambda dto: self._moved(dto, f"Paid in {money(cents)}."), f"Paid in {money(cents)}")
        else:
            self._call(lambda _ov: drawer.paid_out(actor, amount_cents=cents, reason=reason),
                       lambda dto: self._moved(dto, f"Paid out {money(cents)}."), f"Paid out {money(cents)}")

    def _no_sale(self) -> None:
        reason = self.move_reason.text().strip()
        if not reason:
            self.error.setText("Give the reason for opening the drawer without a sale.")
            self.error.show()
            self.move_reason.setFocus()
            return
        drawer, actor = self._register.drawer, self._actor
        self._call(lambda ov: drawer.no_sale(actor, reason=reason, override=ov),
                   lambda dto: self._moved(dto, "Drawer opened (no sale), logged."), "Open the drawer (no sale)")

    def _close(self) -> None:
        counts = {cents: spin.value() for cents, spin in self.counts.items() if spin.value()}
        reason = self.variance_reason.text().strip()
        drawer, actor = self._register.drawer, self._actor
        self._call(lambda ov: drawer.close(actor, counts=counts, variance_reason=reason, override=ov),
                   self._closed, "Close the cash drawer")

    def _closed(self, dto: DrawerDTO) -> None:
        self._show(dto)
        self._info(f"Drawer closed: counted {money(dto.counted_cents or 0)}, variance "
                   f"{money(dto.variance_cents or 0)}.")
        self.changed.emit(None)

    def _eod(self) -> None:
        from posapp.reports.eod import write_pdf

        reports, actor, tz, folder = self._register.reports, self._actor, self._tz, self._reports_dir

        def make() -> Path:
            day = datetime.now(ZoneInfo(tz)).date()
            report = reports.end_of_day(actor, day)
            folder.mkdir(parents=True, exist_ok=True)
            path = folder / f"eod-{day.isoformat()}.pdf"
            write_pdf(report, path)
            return path

        self.eod.setEnabled(False)

        def done(path: Path) -> None:
            self.eod.setEnabled(True)
            self.report_path = path
            self._info(f"End-of-day report saved: {path}")

        def failed(exc: BaseException) -> None:
            self.eod.setEnabled(True)
            if isinstance(exc, PosError):
                self.error.setText(str(exc))
                self.error.show()
            else:
                self._worker.report_unexpected(exc)

        self._worker.run(make, done, failed, owner=self)

    def _info(self, text: str) -> None:
        self.message.setText(text)
        self.message.show()
