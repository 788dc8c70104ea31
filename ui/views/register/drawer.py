"""The cash drawer dialogs: open a session with a float, paid in / paid out, no-sale (permission), close by counting
denominations (expected vs counted, a reason for a variance) and the end-of-day (Z) report as PDF.

Every service call goes through the dialog's own :class:`ui.runner.ServiceRunner` (errors on the dialog's error
line; a refused permission asks for a manager's override and tries again). The movement is recorded on the DB
worker first; the drawer is kicked afterwards on the device worker, and a kick that fails only says so ("Drawer did
not open: …") — the money stays recorded.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING
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
from posapp.errors import PosError
from ui.views.register.common import money, parse_money
from ui.views.register.forms import error_label, named, ok_cancel

if TYPE_CHECKING:
    from posapp.services.dto import Actor, Override
    from posapp.services.register.dto import DrawerDTO
    from posapp.services.registry import Register
    from ui.runner import ServiceRunner
    from ui.widgets.override_dialog import OverrideDialog

DEFAULT_FLOAT_CENTS = 20_000


def kick_drawer(runner: ServiceRunner, register: Register, reason: str, report: Callable[[str], object]) -> None:
    """Kick the drawer open on the device worker; a failure is reported with ``report`` (never undoes money)."""
    drawer = register.drawer
    runner.device(lambda: drawer.kick(reason), lambda _r: None,
                  on_error=lambda exc: report(f"Drawer did not open: {exc}"))


def denomination_label(cents: int) -> str:
    return f"${cents // 100}" if cents >= 100 else f"{cents}\u00a2"


class FloatDialog(QDialog):
    """No drawer session is open: count the float in before the first cash tender."""

    opened = Signal(object)  # DrawerDTO

    def __init__(self, *, register: Register, runner: ServiceRunner, actor: Actor,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("FloatDialog")
        self.setWindowTitle("Open the cash drawer")
        self.setModal(True)
        self.setMinimumWidth(440)
        self._register, self._actor = register, actor
        col = QVBoxLayout(self)
        col.setContentsMargins(28, 24, 28, 20)
        col.setSpacing(10)
        col.addWidget(named(QLabel("Open the cash drawer"), "DialogTitle"))
        text = named(QLabel("No drawer session is open on this terminal. Count the float into the drawer and "
                            "enter it."), "Muted")
        text.setWordWrap(True)
        col.addWidget(text)
        self.amount = named(QLineEdit(f"{DEFAULT_FLOAT_CENTS / 100:.2f}"), "FloatAmount")
        self.amount.setAlignment(Qt.AlignmentFlag.AlignRight)
        col.addWidget(self.amount)
        self.error = error_label(col)
        self.ok = ok_cancel(self, col, "Open drawer")
        self._runner = runner.sibling(owner=self, show_error=self._show_error)
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
        self._runner.call(lambda _ov: drawer.open_session(actor, float_cents=cents, kick=False), self._done,
                          action="Open the cash drawer", on_error=self._failed)

    def _done(self, dto: DrawerDTO) -> None:
        self.opened.emit(dto)  # the page kicks the drawer ("float") on its device worker
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self.ok.setEnabled(True)
        self._runner.failed(exc)

    def _show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()


class DrawerDialog(QDialog):
    """The drawer: status, paid in / out, no-sale, count and close, and the end-of-day report."""

    changed = Signal(object)  # DrawerDTO or None (closed)

    def __init__(self, *, register: Register, runner: ServiceRunner, actor: Actor, timezone: str,
                 reports_dir: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("DrawerDialog")
        self.setWindowTitle("Cash drawer")
        self.setModal(True)
        self.setMinimumWidth(680)
        self._register, self._actor = register, actor
        self._runner = runner.sibling(owner=self, show_error=self._show_error)
        self._tz, self._reports_dir = timezone, reports_dir
        self.drawer: DrawerDTO | None = None
        self.report_path: Path | None = None

        col = QVBoxLayout(self)
        col.setContentsMargins(28, 24, 28, 20)
        col.setSpacing(12)
        col.addWidget(named(QLabel("Cash drawer"), "DialogTitle"))
        self.status = named(QLabel("Reading the drawer\u2026"), "DrawerStatus")
        self.status.setWordWrap(True)
        col.addWidget(self.status)

        moves = named(QFrame(), "DrawerCard")
        grid = QGridLayout(moves)
        grid.setContentsMargins(16, 12, 16, 12)
        grid.setVerticalSpacing(8)
        self.move_amount = named(QLineEdit(), "MoveAmount")
        self.move_amount.setPlaceholderText("Amount")
        self.move_reason = named(QLineEdit(), "MoveReason")
        self.move_reason.setPlaceholderText("Reason (required)")
        self.paid_in = named(QPushButton("Paid in"), "PaidIn")
        self.paid_out = named(QPushButton("Paid out"), "PaidOut")
        self.no_sale = named(QPushButton("No sale (open drawer)"), "NoSale")
        grid.addWidget(named(QLabel("PAID IN / OUT, NO SALE"), "SectionTitle"), 0, 0, 1, 4)
        grid.addWidget(self.move_amount, 1, 0)
        grid.addWidget(self.move_reason, 1, 1, 1, 3)
        grid.addWidget(self.paid_in, 2, 0)
        grid.addWidget(self.paid_out, 2, 1)
        grid.addWidget(self.no_sale, 2, 2, 1, 2)
        col.addWidget(moves)

        count = named(QFrame(), "DrawerCard")
        cgrid = QGridLayout(count)
        cgrid.setContentsMargins(16, 12, 16, 12)
        cgrid.setVerticalSpacing(6)
        cgrid.addWidget(named(QLabel("COUNT AND CLOSE"), "SectionTitle"), 0, 0, 1, 8)
        self.counts: dict[int, QSpinBox] = {}
        for i, cents in enumerate(DENOMINATIONS):
            spin = named(QSpinBox(), "DenomCount")
            spin.setRange(0, 9999)
            spin.valueChanged.connect(self._recount)
            self.counts[cents] = spin
            r, c = 1 + i // 4, (i % 4) * 2
            cgrid.addWidget(named(QLabel(denomination_label(cents)), "FieldLabel"), r, c,
                            Qt.AlignmentFlag.AlignRight)
            cgrid.addWidget(spin, r, c + 1)
        self.counted = named(QLabel(""), "DrawerCounted")
        cgrid.addWidget(self.counted, 5, 0, 1, 8)
        self.variance_reason = named(QLineEdit(), "VarianceReason")
        self.variance_reason.setPlaceholderText("Reason for a difference (required if counted \u2260 expected)")
        cgrid.addWidget(self.variance_reason, 6, 0, 1, 5)
        self.close_drawer = named(QPushButton("Close drawer"), "CloseDrawer")
        self.close_drawer.setMinimumWidth(150)
        cgrid.addWidget(self.close_drawer, 6, 5, 1, 3)
        col.addWidget(count)

        self.message = named(QLabel(""), "InlineInfo")
        self.message.setWordWrap(True)
        self.message.hide()
        self.error = named(QLabel(""), "ErrorText")
        self.error.setWordWrap(True)
        self.error.hide()
        col.addWidget(self.message)
        col.addWidget(self.error)
        row = QHBoxLayout()
        self.eod = named(QPushButton("End-of-day report (PDF)"), "EodReport")
        done = named(QPushButton("Done"), "DrawerDone")
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

    @property
    def override_dialog(self) -> OverrideDialog | None:
        return self._runner.override_dialog

    # -- state -------------------------------------------------------------------------------------------------
    def refresh(self) -> None:
        drawer, actor = self._register.drawer, self._actor
        self._runner.call(lambda _ov: drawer.current(actor), self._show, action="Drawer", on_error=self._no_drawer)

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
            self._runner.report_unexpected(exc)
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
    def _call(self, fn: Callable[[Override | None], DrawerDTO], done: Callable[[DrawerDTO], None],
              action: str) -> None:
        self.error.hide()
        self._runner.call(fn, done, action=action)

    def _show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()

    def _moved(self, dto: DrawerDTO, text: str, kick: str) -> None:
        self.move_amount.clear()
        self.move_reason.clear()
        self._info(text)
        self._show(dto)
        self.changed.emit(dto)
        kick_drawer(self._runner, self._register, kick, self._show_error)

    def _move(self, direction: str) -> None:
        cents = parse_money(self.move_amount.text())
        reason = self.move_reason.text().strip()
        if cents is None or cents <= 0 or not reason:
            self.error.setText("Enter an amount and a reason.")
            self.error.show()
            return
        drawer, actor = self._register.drawer, self._actor
        if direction == "in":
            self._call(lambda _ov: drawer.paid_in(actor, amount_cents=cents, reason=reason, kick=False),
                       lambda dto: self._moved(dto, f"Paid in {money(cents)}.", "paid_in"), f"Paid in {money(cents)}")
        else:
            self._call(lambda _ov: drawer.paid_out(actor, amount_cents=cents, reason=reason, kick=False),
                       lambda dto: self._moved(dto, f"Paid out {money(cents)}.", "paid_out"),
                       f"Paid out {money(cents)}")

    def _no_sale(self) -> None:
        reason = self.move_reason.text().strip()
        if not reason:
            self.error.setText("Give the reason for opening the drawer without a sale.")
            self.error.show()
            self.move_reason.setFocus()
            return
        drawer, actor = self._register.drawer, self._actor
        self._call(lambda ov: drawer.no_sale(actor, reason=reason, override=ov, kick=False),
                   lambda dto: self._moved(dto, "Drawer opened (no sale), logged.", "no_sale"),
                   "Open the drawer (no sale)")

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
            self._runner.failed(exc)

        self._runner.call(lambda _ov: make(), done, action="End-of-day report", on_error=failed, ask_override=False)

    def _info(self, text: str) -> None:
        self.message.setText(text)
        self.message.show()
