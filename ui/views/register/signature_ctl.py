"""The customer's signature on the Register page: once the tenders cover the sale, ask ``signatures.required``;
when it is, the customer window (or, without one, a dialog on the rep's screen) shows the consent and the pad; the
strokes are stored with ``signatures.capture``. The state lives in the page's :class:`SaleFlow`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject

from ui.views.register.common import money
from ui.views.register.dialogs import SignatureDialog

if TYPE_CHECKING:
    from posapp.services.dto import Actor, Override
    from posapp.services.registry import Register
    from ui.customer_window import SignatureCapture
    from ui.views.register.host import PageHost
    from ui.views.register.panels import SignaturePanel


class SignatureController(QObject):
    def __init__(self, *, host: PageHost, register: Register, actor: Actor, panel: SignaturePanel,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._host, self._register, self._actor = host, register, actor
        panel.sign_here.connect(self.sign_on_rep_screen)

    def check(self) -> None:
        """Ask the signature rule when it has become due (the sale is paid in full)."""
        host, flow, signatures = self._host, self._host.flow, self._register.signatures
        if not flow.signature_check_due() or flow.sale is None:
            return
        sale_id = flow.sale.id
        flow.checking_signature()

        def job(_ov: Override | None) -> tuple[bool, str]:
            needed = bool(signatures.required(sale_id))
            return needed, (signatures.consent_text() if needed else "")

        def done(outcome: tuple[bool, str]) -> None:
            if flow.sale is None or flow.sale.id != sale_id:
                return
            flow.signature_rule(required=outcome[0], consent_text=outcome[1])
            if outcome[0]:
                self.ask()
            host.refresh()

        def failed(exc: BaseException) -> None:
            flow.signature_check_failed()
            host.runner.failed(exc)

        host.runner.call(job, done, action="Signature", on_error=failed)

    def ask(self) -> None:
        display = self._host.display
        if display is not None:
            display.ask_signature(self._host.flow.consent_text)
            self._host.message("Ask the customer to read the consent and sign on the customer display.",
                               error=False)
        else:
            self.sign_on_rep_screen()

    def sign_on_rep_screen(self) -> None:
        host = self._host
        if host.flow.sale is None or host.dialog is not None:
            return
        dialog = SignatureDialog(consent_text=host.flow.consent_text, total=money(host.flow.sale.due_cents),
                                 parent=host.widget())
        dialog.signed.connect(self.accept)
        host.open_dialog(dialog)

    def accept(self, capture: SignatureCapture) -> None:
        """Strokes from the customer's pad: stored with the consent text and time (signatures.capture)."""
        host, flow, signatures, actor = self._host, self._host.flow, self._register.signatures, self._actor
        sale = flow.open_sale
        if sale is None:
            return
        sale_id = sale.id

        def done(_dto: object) -> None:
            if flow.open_sale is not None and flow.open_sale.id == sale_id:
                flow.signature_captured()
                host.message("Signed. Press Ctrl+Enter (or Enter in the empty scan field) to complete.", error=False)
                host.refresh()

        def failed(exc: BaseException) -> None:
            host.runner.failed(exc)
            if host.display is not None:
                host.display.ask_signature(flow.consent_text)

        host.runner.call(lambda _ov: signatures.capture(actor, sale_id, strokes=capture.strokes,
                                                        consent_text=capture.consent_text,
                                                        consented_at=capture.consented_at,
                                                        pad_aspect=capture.pad_aspect),
                         done, action="Signature", on_error=failed)
