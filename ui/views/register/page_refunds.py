"""The refund flow of the Register page: refund mode (F8), the original receipt's lines, the refund itself."""

from __future__ import annotations

from typing import TYPE_CHECKING

from posapp.errors import PosError
from ui.views.register.page_receipts import ReceiptFlow
from ui.views.register.refund import RefundDialog

if TYPE_CHECKING:
    from pathlib import Path

    from posapp.services.dto import Override
    from posapp.services.register.dto import SaleDTO


class RefundFlow(ReceiptFlow):
    # -- refunds ------------------------------------------------------------------------------------------------
    def set_refund_mode(self, on: bool) -> None:
        if on and self.sale is not None and self.sale.status == "open" and self.sale.lines:
            self._message("Finish or void this sale before a refund.", error=True)
            self.refund_button.setChecked(False)
            return
        self.refund_mode = on
        self.refund_button.setChecked(on)
        self.mode_badge.setVisible(on)
        self.scan.set_refund_mode(on)
        if on and self.receipt is not None:
            self._clear_for_new_sale()
        self._message("Refund mode: scan or type the receipt number." if on else "", error=False)
        self._render()
        self.focus_step()

    def start_refund(self, receipt_no: str) -> None:
        refunds = self._register.refunds

        def done(original: SaleDTO) -> None:
            dialog = RefundDialog(original=original, parent=self)
            dialog.chosen.connect(self.refund)
            self._open_dialog(dialog)

        self._run(lambda _ov: refunds.lookup(receipt_no.upper()), done, action="Refund")

    def refund(self, receipt_no: str, picks: dict[int, int], reason: str) -> None:
        refunds, receipts, actor = self._register.refunds, self._receipts, self._actor

        def job(ov: Override | None) -> tuple[SaleDTO, Path]:
            done = refunds.refund(actor, receipt_no, picks, reason=reason, override=ov)
            assert done.receipt_no is not None
            return done, receipts.render(done.receipt_no, actor=actor)

        def done(outcome: tuple[SaleDTO, Path]) -> None:
            if isinstance(self.dialog, RefundDialog):
                self.dialog.accept()
            self.set_refund_mode(False)
            self._completed(outcome)

        def failed(exc: BaseException) -> None:
            if isinstance(self.dialog, RefundDialog) and isinstance(exc, PosError):
                self.dialog.show_error(str(exc))
            else:
                self._failed(exc)

        self._run(job, done, action=f"Refund from receipt {receipt_no}", on_error=failed)
