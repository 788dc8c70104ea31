"""The register's sale state object without Qt: each step, each refusal reason, illegal transitions refused."""

from __future__ import annotations

import uuid
from dataclasses import replace
from pathlib import Path

import pytest

from posapp.domain.cart import Totals
from posapp.services.register.dto import LineDTO, SaleDTO, TenderDTO
from posapp.workflows.sale import NO_TERMINAL, NOTHING_LEFT, ReceiptState, Refused, SaleFlow, SaleStep, Signature

LINE = LineDTO(line_no=1, category="accessory", sku="ACC-1", description="Case", imei=None, qty=1,
               unit_price_cents=1000, full_retail_cents=None, discount_cents=0, net_cents=1000,
               price_overridden=False, restocking_fee_cents=0)
TOTALS = Totals(jurisdiction="WA", subtotal_cents=1000, discount_cents=0, net_cents=1000, tax_cents=0, fee_cents=0,
                total_cents=1000, line_taxes=(), tax_lines=(), fee_lines=())


def tender(state: str = "approved", amount: int = 1000) -> TenderDTO:
    return TenderDTO(id=uuid.uuid4(), kind="card", state=state, amount_cents=amount, tendered_cents=None,
                     change_cents=None, idempotency_key="k", card_brand=None, card_last4=None, auth_code=None,
                     decline_reason=None)


def sale(*, lines: bool = True, tenders: tuple[TenderDTO, ...] = (), status: str = "open", kind: str = "sale",
         sale_id: uuid.UUID | None = None) -> SaleDTO:
    paid = sum(t.amount_cents for t in tenders if t.state == "approved")
    open_cents = sum(t.amount_cents for t in tenders if t.state in ("pending", "unknown"))
    due = 1000 if lines else 0
    return SaleDTO(id=sale_id or uuid.uuid4(), kind=kind, status=status, receipt_no=None, original_sale_id=None,
                   lines=(LINE,) if lines else (), totals=TOTALS, restocking_cents=0, due_cents=due,
                   tenders=tenders, paid_cents=paid, open_tender_cents=open_cents,
                   remaining_cents=due - paid - open_cents, completed_at=None)


def paid_flow(*, required: bool = False) -> SaleFlow:
    flow = SaleFlow()
    flow.show(sale(tenders=(tender(),)))
    flow.checking_signature()
    flow.signature_rule(required=required, consent_text="I agree" if required else "")
    return flow


def test_an_empty_register_refuses_to_pay_or_complete_and_says_why():
    flow = SaleFlow()
    assert flow.step is SaleStep.EMPTY
    assert flow.why_not_complete() == "Add items to the cart."
    assert flow.why_not_pay("cash") == "Add items first."
    assert not flow.can_pay and not flow.can_void and flow.why_not_new_sale() is None
    with pytest.raises(Refused, match="Add items to the cart"):
        flow.begin_complete()
    with pytest.raises(Refused, match="Add items first"):
        flow.card_started()


def test_building_then_tendering_with_the_amount_left_and_the_cart_frozen():
    flow = SaleFlow()
    flow.show(sale())
    assert flow.step is SaleStep.BUILDING and flow.can_pay and flow.can_void
    assert flow.why_not_change_cart() is None and flow.needs_void_for_new_sale()
    assert flow.why_not_complete() == "Take payment: $10.00 left to pay."
    flow.show(replace(sale(tenders=(tender(amount=400),)), id=flow.sale.id if flow.sale else uuid.uuid4()))
    assert flow.step is SaleStep.TENDERING and not flow.can_void
    assert flow.why_not_change_cart() == "Payment has started; the cart can no longer change."
    assert flow.why_not_new_sale() == "Payment has started: complete this sale first."
    assert flow.why_not_refund_mode() == "Finish or void this sale before a refund."
    assert flow.why_not_reprint() == "Finish or void this sale before reprinting a receipt."
    with pytest.raises(Refused, match="complete this sale first"):
        flow.new_sale()
    with pytest.raises(Refused, match="before a refund"):
        flow.set_refund_mode(True)


def test_a_card_attempt_blocks_other_tenders_and_complete_until_it_is_answered():
    flow = SaleFlow()
    flow.show(sale())
    flow.card_started()
    assert flow.step is SaleStep.TENDERING
    assert flow.why_not_pay("cash") == "Settle the card payment on the terminal first."
    assert "not settled" in (flow.why_not_complete() or "")
    flow.card_answered("unknown")
    assert flow.why_not_pay("cash") == "Settle the card payment on the terminal first."
    flow.card_answered("approved")
    assert flow.why_not_pay("cash") is None
    flow.card_failed(attempt_open=True)
    assert flow.why_not_pay("store_credit") == "Settle the card payment on the terminal first."
    flow.card_failed(attempt_open=False)
    assert flow.why_not_pay("store_credit") is None


def test_without_a_terminal_the_card_tender_says_so():
    flow = SaleFlow(card_configured=False)
    flow.show(sale())
    assert flow.why_not_pay("card") == NO_TERMINAL and flow.why_not_pay("cash") is None
    with pytest.raises(Refused, match="No card terminal"):
        flow.card_started()


def test_paid_in_full_checks_the_signature_rule_once_then_waits_for_the_signature():
    flow = SaleFlow()
    flow.show(sale(tenders=(tender(),)))
    assert flow.step is SaleStep.CHECKING_SIGNATURE and flow.signature_check_due()
    assert flow.why_not_complete() == "Checking whether the customer must sign\u2026"
    assert flow.why_not_pay("cash") == NOTHING_LEFT
    flow.checking_signature()
    assert not flow.signature_check_due()
    with pytest.raises(Refused, match="not due"):
        flow.checking_signature()
    flow.signature_rule(required=True, consent_text="I agree")
    assert flow.step is SaleStep.AWAITING_SIGNATURE and flow.signature_required and not flow.signed
    assert flow.why_not_complete() == "The customer's signature is required before completing."
    with pytest.raises(Refused, match="signature is required"):
        flow.begin_complete()
    flow.signature_captured()
    assert flow.step is SaleStep.READY and flow.signed and flow.why_not_complete() is None


def test_a_failed_signature_check_is_asked_again_and_a_stale_answer_is_refused():
    flow = SaleFlow()
    flow.show(sale(tenders=(tender(),)))
    flow.checking_signature()
    flow.signature_check_failed()
    assert flow.signature is Signature.UNKNOWN and flow.signature_check_due()
    with pytest.raises(Refused, match="not being checked"):
        flow.signature_rule(required=False, consent_text="")


def test_complete_then_the_receipt_saved():
    flow = paid_flow()
    assert flow.step is SaleStep.READY
    flow.begin_complete()
    assert flow.step is SaleStep.COMPLETING and flow.why_not_complete() == "Completing the sale\u2026"
    with pytest.raises(Refused):
        flow.begin_complete()  # no second completion while one runs
    done = replace(flow.sale, status="completed", receipt_no="S1-T1-0001") if flow.sale else None
    assert done is not None
    flow.completed(done)
    assert flow.step is SaleStep.COMPLETED and flow.receipt is not None
    assert flow.receipt.state is ReceiptState.RENDERING and flow.why_not_complete() == "The sale is complete."
    assert flow.open_sale is None and not flow.can_void and not flow.can_pay
    flow.receipt_saved(Path("r.pdf"))
    assert flow.receipt.state is ReceiptState.SAVED and flow.receipt.pdf == Path("r.pdf")
    with pytest.raises(Refused, match="no failed receipt"):
        flow.retry_receipt()
    flow.new_sale()
    assert flow.step is SaleStep.EMPTY and flow.sale is None and flow.receipt is None


def test_a_receipt_that_cannot_be_written_leaves_the_sale_completed_new_sale_and_retry_work():
    flow = paid_flow()
    flow.begin_complete()
    assert flow.sale is not None
    flow.completed(replace(flow.sale, status="completed", receipt_no="S1-T1-0002"))
    flow.receipt_failed("[Errno 20] Not a directory")
    assert flow.step is SaleStep.RECEIPT_FAILED and flow.receipt is not None
    assert flow.receipt.error == "[Errno 20] Not a directory"
    assert flow.why_not_new_sale() is None and flow.why_not_reprint() is None and not flow.can_void
    with pytest.raises(Refused, match="No receipt is being rendered"):
        flow.receipt_saved(Path("x.pdf"))
    again = flow.retry_receipt()
    assert again.receipt_no == "S1-T1-0002" and flow.step is SaleStep.COMPLETED
    flow.receipt_failed("still broken")
    flow.new_sale()
    assert flow.step is SaleStep.EMPTY


def test_completed_without_begin_complete_is_refused():
    flow = paid_flow()
    assert flow.sale is not None
    with pytest.raises(Refused, match="No sale is being completed"):
        flow.completed(flow.sale)
    with pytest.raises(Refused, match="No receipt"):
        flow.receipt_failed("x")


def test_the_refund_path():
    flow = SaleFlow()
    with pytest.raises(Refused, match="refund mode"):
        flow.begin_refund()
    flow.set_refund_mode(True)
    assert flow.step is SaleStep.REFUND_MODE and not flow.can_add_payment
    flow.begin_refund()
    assert flow.step is SaleStep.REFUNDING
    flow.refund_failed()
    assert flow.step is SaleStep.REFUND_MODE
    with pytest.raises(Refused, match="No refund is being made"):
        flow.refunded(sale(kind="refund", status="completed"))
    flow.begin_refund()
    flow.refunded(sale(kind="refund", status="completed"))
    assert flow.step is SaleStep.COMPLETED and not flow.refund_mode
    flow.receipt_failed("disk full")
    assert flow.step is SaleStep.RECEIPT_FAILED
    flow.set_refund_mode(True)  # from a shown receipt: a new, empty sale in refund mode
    assert flow.step is SaleStep.REFUND_MODE and flow.receipt is None


def test_a_sale_from_the_service_after_completion_is_refused_and_a_new_sale_id_resets_the_signature():
    flow = paid_flow(required=True)
    flow.show(sale())  # another sale (new id): its signature rule is not known
    assert flow.signature is Signature.UNKNOWN
    flow = paid_flow()
    flow.begin_complete()
    assert flow.sale is not None
    flow.completed(flow.sale)
    with pytest.raises(Refused, match="complete"):
        flow.show(sale())


def test_reprint_and_drawer_and_calls():
    flow = SaleFlow()
    flow.reprinted("S1-T1-0001")
    assert flow.reprint_no == "S1-T1-0001"
    flow.new_sale()
    assert flow.reprint_no is None
    flow.show(sale())
    with pytest.raises(Refused, match="before reprinting"):
        flow.reprinted("S1-T1-0001")
    flow.drawer_known(True)
    assert flow.drawer_open
    flow.calls += 1
    assert flow.busy
