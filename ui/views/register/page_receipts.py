"""Completing a sale on the Register page and its receipts: complete → receipt panel, reprint, print, save PDF."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ui.views.register.common import money, tender_text
from ui.views.register.page_tenders import TenderFlow

if TYPE_CHECKING:
    from pathlib import Path

    from posapp.services.dto import Override
    from posapp.services.register.dto import SaleDTO


class ReceiptFlow(TenderFlow):
    # -- completing ---------------------------------------------------------------------------------------------
    def complete(self) -> None:
        reason = self.complete_block_reason()
        if reason is not None or self.sale is None or self._completing:
            if reason:
                self._message(reason, error=True)
            return
        self._completing = True
        tenders, receipts, actor, sale_id = self._register.tenders, self._receipts, self._actor, self.sale.id
        self.complete_button.setEnabled(False)

        def job(_ov: Override | None) -> tuple[SaleDTO, Path]:
            done = tenders.complete(actor, sale_id)
            assert done.receipt_no is not None
            return done, receipts.render(done.receipt_no, actor=actor)

        def done(outcome: tuple[SaleDTO, Path]) -> None:
            self._completing = False
            self._completed(outcome)

        def failed(exc: BaseException) -> None:
            self._completing = False
            self._render()
            self._failed(exc)

        self._run(job, done, action="Complete", on_error=failed)

    def _completed(self, outcome: tuple[SaleDTO, Path]) -> None:
        sale, pdf = outcome
        self.sale = sale
        self.receipt = sale
        change = sum(t.change_cents or 0 for t in sale.tenders if t.kind == "cash")
        heading = "Refund complete" if sale.kind == "refund" else "Sale complete"
        lines = [f"{money(t.amount_cents)}  {tender_text(t)}" for t in sale.tenders if t.state == "approved"]
        if self.signature_done:
            lines.append("\u2713 Signed by the customer (printed on the receipt)")
        lines.append(f"PDF: {pdf.name}")
        self.receipt_panel.show_receipt(sale.receipt_no or "", pdf, heading=heading, change_cents=change,
                                        details="\n".join(lines))
        self.action_stack.setCurrentWidget(self.receipt_panel)
        self.table.show_sale(sale)
        self._render()
        self._message(f"{heading}: receipt {sale.receipt_no}.", error=False)
        self.sale_changed.emit(sale)
        if self.display is not None:
            self.display.show_sale(sale)
        self.completed.emit(sale)
        self.receipt_ready.emit(pdf)
        self.focus_step()

    # -- receipts -----------------------------------------------------------------------------------------------
    def reprint(self, receipt_no: str) -> None:
        if self.sale is not None and self.sale.status == "open" and self.sale.lines:
            self._message("Finish or void this sale before reprinting a receipt.", error=True)
            return
        receipts, actor = self._receipts, self._actor

        def job(_ov: Override | None) -> tuple[str, Path]:
            return receipt_no, receipts.render(receipt_no, actor=actor)  # audited as a reprint

        def done(outcome: tuple[str, Path]) -> None:
            no, pdf = outcome
            self.receipt_panel.show_receipt(no, pdf, heading="Reprint")
            self.action_stack.setCurrentWidget(self.receipt_panel)
            self.complete_button.hide()
            self.complete_reason.hide()
            self._message(f"Receipt {no} is ready to print again.", error=False)
            self.receipt_ready.emit(pdf)

        self._run(job, done, action="Reprint")

    def print_receipt(self) -> None:
        if self.action_stack.currentWidget() is self.receipt_panel and self.receipt_panel.pdf is not None:
            self.receipt_panel.open_print_dialog()

    def save_pdf(self) -> None:
        """Save the receipt PDF into the e-mail-ready folder (receipts.save_pdf, audited)."""
        no = self.receipt_panel.receipt_no
        if self.action_stack.currentWidget() is not self.receipt_panel or no is None:
            return
        receipts, actor, folder = self._receipts, self._actor, self.save_folder

        def job(_ov: Override | None) -> Path:
            return receipts.save_pdf(actor, no, folder)

        def done(path: Path) -> None:
            self.receipt_panel.set_note(f"Saved for e-mail: {path}")

        self._run(job, done, action="Save PDF")
