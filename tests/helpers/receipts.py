"""A real sale (phone + two cases, cash + card) through the register services, for the receipt tests."""

from __future__ import annotations

from posapp.services.registry import Services
from tests.helpers import register as reg
from tests.helpers import staff

# Card amounts whose cents end like this are not plain approvals on the simulated terminal (13 declined,
# 57 and 58 time out): see posapp.adapters.payment_terminal.
SIMULATOR_ENDINGS = (13, 57, 58)


def cash_leaving_a_plain_card_amount(due_cents: int, cash_cents: int) -> int:
    """The smallest cash amount from ``cash_cents`` up that leaves the card a plainly approved amount."""
    cash = cash_cents
    while (due_cents - cash) % 100 in SIMULATOR_ENDINGS:
        cash += 1
    return cash


def sell(services: Services, employees: staff.Staff) -> str:
    """$100 cash (handed over $120: $20 change) and the rest by card; returns the receipt number."""
    return sell_phone_and_cases(services, employees, tendered_cents=12_000)[0]


def sell_phone_and_cases(services: Services, employees: staff.Staff, *,
                         tendered_cents: int) -> tuple[str, reg.Stocked]:
    """A phone and two cases: about $100 cash (``tendered_cents`` handed over, the change is ``tendered_cents -
    10_000``), the rest by card, approved; (receipt no., stock). Should prices or taxes ever make the card amount
    end in a simulator outcome, the cash takes the odd cents instead, so the card is always approved."""
    rep = employees.rep
    st = reg.stock(services, rep)
    cart, tenders = services.register.cart, services.register.tenders
    services.register.drawer.open_session(rep, float_cents=20_000)
    sale = cart.open(rep)
    cart.add_device(rep, sale.id, st.imeis[0])
    view = cart.add_accessory(rep, sale.id, reg.CASE_UPC, qty=2)
    cash = cash_leaving_a_plain_card_amount(view.due_cents, 10_000)
    tenders.pay_cash(rep, sale.id, amount_cents=cash, tendered_cents=tendered_cents + cash - 10_000)
    tenders.pay_card(rep, sale.id, amount_cents=view.due_cents - cash)
    done = reg.complete(services, rep, sale.id)
    assert done.receipt_no is not None
    return done.receipt_no, st
