"""The register's sale as one explicit state object (no Qt, no widgets, no service calls).

:class:`SaleFlow` holds what the Register page knows about the sale in front of the rep — the open :class:`SaleDTO`,
the finished sale or refund and its receipt, the signature rule, refund mode, whether this terminal's drawer is
open, the card attempt waiting for the terminal and the calls in flight — and derives the :class:`SaleStep` from
it. Every change goes through a transition method; a transition that is not allowed now raises :class:`Refused`
with the reason the rep is shown, and the ``why_not_*`` methods give that reason without changing anything (the
page uses them to disable a button and say why). Panels read this object; they never keep flags of their own.

Steps::

    EMPTY → BUILDING → TENDERING → (CHECKING_SIGNATURE →) [AWAITING_SIGNATURE →] READY → COMPLETING → COMPLETED
                                                                                                 ↘ RECEIPT_FAILED
    REFUND_MODE → REFUNDING → COMPLETED (or RECEIPT_FAILED)

COMPLETED and RECEIPT_FAILED both mean the sale is committed: New sale works from either; Retry renders again.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from posapp.domain.money import format_cents
from posapp.services.register.dto import SaleDTO

NOTHING_LEFT = "Nothing is left to pay."
NO_TERMINAL = "No card terminal is configured."


class SaleStep(StrEnum):
    EMPTY = "empty"                            # no sale, or a sale without lines
    BUILDING = "building"                      # lines, no money taken yet
    TENDERING = "tendering"                    # money taken or a card attempt open, something left to pay
    CHECKING_SIGNATURE = "checking_signature"  # paid in full; asking whether the customer must sign
    AWAITING_SIGNATURE = "awaiting_signature"  # paid in full; the customer must sign first
    READY = "ready"                            # Complete may be pressed
    COMPLETING = "completing"                  # tenders.complete is running
    COMPLETED = "completed"                    # committed, receipt rendering or saved
    RECEIPT_FAILED = "receipt_failed"          # committed, but the receipt PDF could not be written
    REFUND_MODE = "refund_mode"                # waiting for a receipt number to refund from
    REFUNDING = "refunding"                    # the refund is being made


class CardState(StrEnum):
    NONE = "none"        # no attempt open
    PENDING = "pending"  # sent to the terminal, no answer yet
    UNKNOWN = "unknown"  # the terminal did not answer: ask it again (never charge again)


class Signature(StrEnum):
    UNKNOWN = "unknown"            # the rule has not been asked for this sale
    CHECKING = "checking"          # signatures.required is running
    REQUIRED = "required"
    NOT_REQUIRED = "not_required"
    SIGNED = "signed"


class ReceiptState(StrEnum):
    NONE = "none"
    RENDERING = "rendering"
    SAVED = "saved"
    FAILED = "failed"


class Refused(Exception):
    """A transition that is not allowed now; ``str(exc)`` is the reason shown to the rep."""


@dataclass
class Receipt:
    """The finished sale or refund in the receipt panel."""

    sale: SaleDTO
    state: ReceiptState = ReceiptState.RENDERING
    pdf: Path | None = None
    error: str = ""


class SaleFlow:
    """The state of one register page (see the module docstring)."""

    def __init__(self, *, card_configured: bool = True) -> None:
        self.card_configured = card_configured
        self.sale: SaleDTO | None = None
        self.receipt: Receipt | None = None
        self.reprint_no: str | None = None  # a reprinted receipt shown with no sale
        self.refund_mode = False
        self.refunding = False
        self.completing = False
        self.drawer_open = False
        self.signature = Signature.UNKNOWN
        self.consent_text = ""
        self.card = CardState.NONE
        self.calls = 0  # service calls in flight

    # -- what is true now -------------------------------------------------------------------------------------
    @property
    def step(self) -> SaleStep:
        if self.receipt is not None:
            return SaleStep.RECEIPT_FAILED if self.receipt.state is ReceiptState.FAILED else SaleStep.COMPLETED
        if self.refund_mode:
            return SaleStep.REFUNDING if self.refunding else SaleStep.REFUND_MODE
        if self.completing:
            return SaleStep.COMPLETING
        sale = self.sale
        if sale is None or not sale.lines:
            return SaleStep.EMPTY
        if not self.has_money and sale.remaining_cents > 0 and self.card is CardState.NONE:
            return SaleStep.BUILDING
        if sale.remaining_cents > 0 or sale.open_tender_cents or self.card is not CardState.NONE:
            return SaleStep.TENDERING
        return {Signature.REQUIRED: SaleStep.AWAITING_SIGNATURE, Signature.SIGNED: SaleStep.READY,
                Signature.NOT_REQUIRED: SaleStep.READY}.get(self.signature, SaleStep.CHECKING_SIGNATURE)

    @property
    def busy(self) -> bool:
        return self.calls > 0

    @property
    def open_sale(self) -> SaleDTO | None:
        """The sale still open at the counter (None once it is completed or when there is none)."""
        sale = self.sale
        return sale if sale is not None and sale.status == "open" and self.receipt is None else None

    @property
    def has_money(self) -> bool:
        return self.sale is not None and any(t.state != "declined" for t in self.sale.tenders)

    @property
    def shown(self) -> SaleDTO | None:
        """What the cart and totals show: the finished sale or refund, else the open sale."""
        return self.receipt.sale if self.receipt is not None else self.sale

    @property
    def signature_required(self) -> bool:
        return self.signature in (Signature.REQUIRED, Signature.SIGNED) and self.receipt is None

    @property
    def signed(self) -> bool:
        return self.signature is Signature.SIGNED

    @property
    def awaiting_signature(self) -> bool:
        return self.signature is Signature.REQUIRED and self.receipt is None

    @property
    def can_pay(self) -> bool:
        sale = self.open_sale
        return sale is not None and bool(sale.lines) and sale.remaining_cents > 0

    @property
    def can_void(self) -> bool:
        return self.open_sale is not None and not self.has_money

    @property
    def can_add_payment(self) -> bool:
        """Ctrl+B: a bill / EIP payment line may be added."""
        return not self.refund_mode and not (self.has_money and self.receipt is None)

    # -- refusals ---------------------------------------------------------------------------------------------
    def why_not_complete(self) -> str | None:
        """Why Complete is disabled (None: it can be pressed)."""
        sale = self.sale
        if self.receipt is not None:
            return "The sale is complete."
        if self.completing:
            return "Completing the sale\u2026"
        if sale is None or not sale.lines:
            return "Add items to the cart."
        if sale.open_tender_cents or self.card is not CardState.NONE:
            return "A card payment is not settled yet \u2014 ask the terminal again."
        if sale.remaining_cents > 0:
            return f"Take payment: {format_cents(sale.remaining_cents)} left to pay."
        if self.signature is Signature.REQUIRED:
            return "The customer's signature is required before completing."
        if self.signature in (Signature.UNKNOWN, Signature.CHECKING):
            return "Checking whether the customer must sign\u2026"
        return None

    def why_not_pay(self, kind: str) -> str | None:
        """Why a tender form (cash | card | store_credit) cannot open now (None: it can)."""
        sale = self.open_sale
        if sale is None or not sale.lines:
            return "Add items first."
        if self.card is not CardState.NONE:
            return "Settle the card payment on the terminal first."
        if kind == "card" and not self.card_configured:
            return NO_TERMINAL
        if sale.remaining_cents <= 0:
            return NOTHING_LEFT
        return None

    def why_not_new_sale(self) -> str | None:
        if self.open_sale is not None and self.has_money:
            return "Payment has started: complete this sale first."
        return None

    def needs_void_for_new_sale(self) -> bool:
        """New sale with an open cart and no money: the cart is voided first."""
        sale = self.open_sale
        return sale is not None and bool(sale.lines) and not self.has_money

    def why_not_change_cart(self) -> str | None:
        if self.open_sale is not None and self.has_money:
            return "Payment has started; the cart can no longer change."
        return None

    def why_not_refund_mode(self) -> str | None:
        sale = self.open_sale
        if sale is not None and sale.lines:
            return "Finish or void this sale before a refund."
        return None

    def why_not_reprint(self) -> str | None:
        sale = self.open_sale
        if sale is not None and sale.lines:
            return "Finish or void this sale before reprinting a receipt."
        return None

    # -- transitions ------------------------------------------------------------------------------------------
    def show(self, sale: SaleDTO | None) -> None:
        """A new state of the open sale from the service (None: no sale)."""
        if self.receipt is not None and sale is not None:
            raise Refused("The sale is complete.")
        if sale is None or self.sale is None or sale.id != self.sale.id:
            self.signature, self.consent_text = Signature.UNKNOWN, ""
        self.sale = sale

    def signature_check_due(self) -> bool:
        """The tenders now cover the sale and its signature rule has not been asked yet."""
        sale = self.open_sale
        return (sale is not None and sale.kind == "sale" and bool(sale.lines) and sale.remaining_cents == 0
                and not sale.open_tender_cents and self.signature is Signature.UNKNOWN)

    def checking_signature(self) -> None:
        if not self.signature_check_due():
            raise Refused("The signature rule is not due.")
        self.signature = Signature.CHECKING

    def signature_rule(self, *, required: bool, consent_text: str) -> None:
        if self.signature is not Signature.CHECKING:
            raise Refused("The signature rule was not being checked.")
        self.signature = Signature.REQUIRED if required else Signature.NOT_REQUIRED
        self.consent_text = consent_text

    def signature_check_failed(self) -> None:
        if self.signature is Signature.CHECKING:
            self.signature = Signature.UNKNOWN

    def signature_captured(self) -> None:
        if self.open_sale is None:
            raise Refused("No sale is open.")
        self.signature = Signature.SIGNED

    def card_started(self) -> None:
        reason = self.why_not_pay("card")
        if reason is not None:
            raise Refused(reason)
        self.card = CardState.PENDING

    def card_answered(self, tender_state: str) -> None:
        """The terminal's answer (or a re-query's): pending / unknown keep the attempt open."""
        self.card = CardState.UNKNOWN if tender_state in ("pending", "unknown") else CardState.NONE

    def card_failed(self, *, attempt_open: bool) -> None:
        """A card call failed before an answer: the attempt stays open if the tender was committed."""
        self.card = CardState.UNKNOWN if attempt_open else CardState.NONE

    def drawer_known(self, is_open: bool) -> None:
        self.drawer_open = is_open

    def begin_complete(self) -> None:
        reason = self.why_not_complete()
        if reason is not None:
            raise Refused(reason)
        self.completing = True

    def complete_failed(self) -> None:
        self.completing = False

    def completed(self, sale: SaleDTO) -> None:
        """tenders.complete committed: the sale is done, whatever happens to its receipt next."""
        if not self.completing:
            raise Refused("No sale is being completed.")
        self.completing = False
        self.sale = sale
        self.receipt = Receipt(sale)

    def begin_refund(self) -> None:
        if self.step is not SaleStep.REFUND_MODE:
            raise Refused("Turn refund mode on (F8) first.")
        self.refunding = True

    def refund_failed(self) -> None:
        self.refunding = False

    def refunded(self, refund: SaleDTO) -> None:
        """refunds.finish committed: refund mode ends and the refund is shown like a completed sale."""
        if not self.refunding:
            raise Refused("No refund is being made.")
        self.refunding = self.refund_mode = False
        self.sale = refund
        self.receipt = Receipt(refund)

    def receipt_saved(self, pdf: Path) -> None:
        if self.receipt is None or self.receipt.state is not ReceiptState.RENDERING:
            raise Refused("No receipt is being rendered.")
        self.receipt.state, self.receipt.pdf, self.receipt.error = ReceiptState.SAVED, pdf, ""

    def receipt_failed(self, reason: str) -> None:
        if self.receipt is None or self.receipt.state is not ReceiptState.RENDERING:
            raise Refused("No receipt is being rendered.")
        self.receipt.state, self.receipt.error = ReceiptState.FAILED, reason

    def retry_receipt(self) -> SaleDTO:
        """Render the failed receipt again; returns the sale whose receipt to render."""
        if self.receipt is None or self.receipt.state is not ReceiptState.FAILED:
            raise Refused("There is no failed receipt to retry.")
        self.receipt.state = ReceiptState.RENDERING
        return self.receipt.sale

    def reprinted(self, receipt_no: str) -> None:
        reason = self.why_not_reprint()
        if reason is not None:
            raise Refused(reason)
        self.reprint_no = receipt_no

    def set_refund_mode(self, on: bool) -> None:
        if on:
            reason = self.why_not_refund_mode()
            if reason is not None:
                raise Refused(reason)
            if self.receipt is not None or self.reprint_no is not None:
                self.new_sale()
        self.refund_mode = on
        self.refunding = False

    def new_sale(self) -> None:
        """An empty cart (an open cart without money must be voided first: :meth:`needs_void_for_new_sale`)."""
        reason = self.why_not_new_sale()
        if reason is not None:
            raise Refused(reason)
        self.sale = self.receipt = self.reprint_no = None
        self.completing = False
        self.signature, self.consent_text = Signature.UNKNOWN, ""
        self.card = CardState.NONE
