"""Completing a sale and its receipts on the Register page: complete → receipt, retry, reprint, print, save PDF;
and refund mode (F8) with the refund itself.

Completing is two steps so a committed sale never strands the page: ``tenders.complete`` (or the refund's
``refunds.finish``) commits and the flow moves to COMPLETED at once; then ``receipts.render`` writes the PDF in a
job of its own. If that fails (receipts folder not writable, disk full) the flow is RECEIPT_FAILED: the sale shows
as completed with "Receipt not saved: <reason>" and Retry, and New sale works. A refund to a card asks the terminal
on the device worker between its two database steps (``refunds.begin`` → ``refunds.ask_terminal`` →
``refunds.finish``).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from posapp.errors import PosError
from posapp.workflows.sale import Refused
from ui.views.register.common import money, tender_text
from ui.views.register.refund import RefundDialog

if TYPE_CHECKING:
    from posapp.adapters.payment_terminal import TerminalResult
    from posapp.services.dto import Actor, Override
    from posapp.services.register.dto import RefundAttempt, SaleDTO
    from posapp.services.register.receipts import ReceiptService
    from posapp.services.registry import Register
    from ui.views.register.host import PageHost
    from ui.views.register.receipt_panel import ReceiptPanel


def failure_reason(exc: BaseException) -> str:
    """What the rep is told when the receipt PDF could not be written."""
    if isinstance(exc, OSError) and exc.strerror:
        return f"{exc.strerror} ({exc.filename})" if exc.filename else exc.strerror
    return str(exc) or type(exc).__name__


class ReceiptController(QObject):
    completed = Signal(object)  # SaleDTO (sale or refund), committed
    receipt_ready = Signal(object)  # Path of the receipt PDF

    def __init__(self, *, host: PageHost, register: Register, receipts: ReceiptService, actor: Actor,
                 panel: ReceiptPanel, save_folder: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._host, self._register, self._receipts, self._actor = host, register, receipts, actor
        self._panel, self.save_folder = panel, save_folder
        panel.retry.connect(self.retry)

    # -- completing -------------------------------------------------------------------------------------------
    def complete(self) -> None:
        host, flow = self._host, self._host.flow
        if flow.completing:
            return
        try:
            flow.begin_complete()
        except Refused as refused:
            host.message(str(refused), error=True)
            return
        assert flow.sale is not None
        tenders, actor, sale_id = self._register.tenders, self._actor, flow.sale.id
        host.refresh()

        def failed(exc: BaseException) -> None:
            flow.complete_failed()
            host.refresh()
            host.runner.failed(exc)

        def done(sale: SaleDTO) -> None:
            flow.completed(sale)
            self._committed(sale)

        host.runner.call(lambda _ov: tenders.complete(actor, sale_id), done, action="Complete", on_error=failed)

    def _committed(self, sale: SaleDTO) -> None:
        """The sale (or refund) is committed: show it completed, then render its receipt."""
        host = self._host
        self._show(sale, None)
        host.refresh()
        host.message(f"{self._heading(sale)}: receipt {sale.receipt_no}.", error=False)
        host.announce(sale)
        self.completed.emit(sale)
        host.focus_step()
        self._render_receipt(sale)

    def _render_receipt(self, sale: SaleDTO) -> None:
        host, receipts, actor, no = self._host, self._receipts, self._actor, sale.receipt_no
        assert no is not None

        def saved(pdf: Path) -> None:
            host.flow.receipt_saved(pdf)
            self._show(sale, pdf)
            self.receipt_ready.emit(pdf)

        def failed(exc: BaseException) -> None:
            reason = failure_reason(exc)
            host.flow.receipt_failed(reason)
            self._show(sale, None, failure=reason)
            host.message(f"{self._heading(sale)}: receipt {no}. Receipt not saved: {reason}", error=True)
            if not isinstance(exc, (OSError, PosError)):
                host.runner.report_unexpected(exc)

        host.runner.call(lambda _ov: receipts.render(no, actor=actor), saved, action="Receipt", on_error=failed)

    def retry(self) -> None:
        try:
            sale = self._host.flow.retry_receipt()
        except Refused as refused:
            self._host.message(str(refused), error=True)
            return
        self._show(sale, None)
        self._render_receipt(sale)

    @staticmethod
    def _heading(sale: SaleDTO) -> str:
        return "Refund complete" if sale.kind == "refund" else "Sale complete"

    def _show(self, sale: SaleDTO, pdf: Path | None, *, failure: str = "") -> None:
        change = sum(t.change_cents or 0 for t in sale.tenders if t.kind == "cash")
        lines = [f"{money(t.amount_cents)}  {tender_text(t)}" for t in sale.tenders if t.state == "approved"]
        if self._host.flow.signed:
            lines.append("\u2713 Signed by the customer (printed on the receipt)")
        lines.append(f"PDF: {pdf.name}" if pdf is not None else
                     "PDF: not saved" if failure else "PDF: saving\u2026")
        self._panel.show_receipt(sale.receipt_no or "", pdf, heading=self._heading(sale), change_cents=change,
                                 details="\n".join(lines), failure=failure)

    # -- receipts -----------------------------------------------------------------------------------------------
    def reprint(self, receipt_no: str) -> None:
        host = self._host
        reason = host.flow.why_not_reprint()
        if reason is not None:
            host.message(reason, error=True)
            return
        receipts, actor = self._receipts, self._actor

        def done(pdf: Path) -> None:
            try:
                host.flow.reprinted(receipt_no)
            except Refused as refused:
                host.message(str(refused), error=True)
                return
            self._panel.show_receipt(receipt_no, pdf, heading="Reprint")
            host.refresh()
            host.message(f"Receipt {receipt_no} is ready to print again.", error=False)
            self.receipt_ready.emit(pdf)

        host.runner.call(lambda _ov: receipts.render(receipt_no, actor=actor), done, action="Reprint")

    def print_receipt(self) -> None:
        if self._shown() and self._panel.pdf is not None:
            self._panel.open_print_dialog()

    def _shown(self) -> bool:
        return self._host.flow.receipt is not None or self._host.flow.reprint_no is not None

    def save_pdf(self) -> None:
        """Save the receipt PDF into the e-mail-ready folder (receipts.save_pdf, audited)."""
        no = self._panel.receipt_no
        if not self._shown() or no is None or self._panel.pdf is None:
            return
        receipts, actor, folder = self._receipts, self._actor, self.save_folder
        self._host.runner.call(lambda _ov: receipts.save_pdf(actor, no, folder),
                               lambda path: self._panel.set_note(f"Saved for e-mail: {path}"), action="Save PDF")

    # -- refunds ------------------------------------------------------------------------------------------------
    def set_refund_mode(self, on: bool) -> bool:
        """Refund mode on or off; False (and the reason shown) when it may not change now."""
        host, flow = self._host, self._host.flow
        reason = flow.why_not_refund_mode() if on else None
        if reason is not None:
            host.message(reason, error=True)
            return False
        if on and (flow.receipt is not None or flow.reprint_no is not None):
            host.clear_for_new_sale()
        flow.set_refund_mode(on)
        host.message("Refund mode: scan or type the receipt number." if on else "", error=False)
        host.refresh()
        host.focus_step()
        return True

    def start_refund(self, receipt_no: str) -> None:
        host, refunds = self._host, self._register.refunds

        def done(original: SaleDTO) -> None:
            dialog = RefundDialog(original=original, parent=host.widget())
            dialog.chosen.connect(self.refund)
            host.open_dialog(dialog)

        host.runner.call(lambda _ov: refunds.lookup(receipt_no.upper()), done, action="Refund")

    def refund(self, receipt_no: str, picks: dict[int, int], reason: str) -> None:
        host, flow, refunds, actor = self._host, self._host.flow, self._register.refunds, self._actor
        try:
            flow.begin_refund()
        except Refused as refused:
            self._refund_failed(PosErrorText(str(refused)))
            return

        def begun(outcome: tuple[RefundAttempt, Override | None]) -> None:
            attempt, ov = outcome
            host.runner.device(lambda: refunds.ask_terminal(attempt), lambda results: finish(attempt, ov, results),
                               on_error=self._refund_failed)

        def finish(attempt: RefundAttempt, ov: Override | None, results: tuple[TerminalResult, ...]) -> None:
            host.runner.call(lambda _ov: refunds.finish(actor, attempt, results, override=ov), done,
                             action=f"Refund from receipt {receipt_no}", on_error=self._refund_failed)

        def done(sale: SaleDTO) -> None:
            if isinstance(host.dialog, RefundDialog):
                host.dialog.accept()
            flow.refunded(sale)
            self._committed(sale)

        host.runner.call(lambda ov: (refunds.begin(actor, receipt_no, picks, reason=reason, override=ov), ov),
                         begun, action=f"Refund from receipt {receipt_no}", on_error=self._refund_failed)

    def _refund_failed(self, exc: BaseException) -> None:
        self._host.flow.refund_failed()
        dialog = self._host.dialog
        if isinstance(dialog, RefundDialog) and isinstance(exc, PosError):
            dialog.show_error(str(exc))
        else:
            self._host.runner.failed(exc)


class PosErrorText(PosError):
    """A refusal of the page's own state shown like a service's refusal."""
