"""Cart: scanning, device reservation (one cart only), discounts and price overrides with their permissions."""

from __future__ import annotations

from datetime import timedelta

import pytest

from posapp.domain.tax import Category
from posapp.errors import NotFoundError, PermissionDenied, ValidationError
from posapp.security.permissions import Permission
from posapp.services.registry import Services
from tests.helpers import register as reg
from tests.helpers import staff


def test_scan_accessory_and_device_totals_by_seattle_rule(services: Services, employees: staff.Staff) -> None:
    st = reg.stock(services, employees.rep)
    cart = services.register.cart
    sale = cart.open(employees.rep)
    cart.scan(employees.rep, sale.id, reg.CASE_UPC)
    cart.scan(employees.rep, sale.id, reg.CASE_UPC)  # same UPC again: quantity 2 on one line
    view = cart.scan(employees.rep, sale.id, st.imeis[0])
    assert [(x.sku, x.qty) for x in view.lines] == [("ACC-CASE-CLR-15", 2), (st.model_code, 1)]
    assert view.totals.jurisdiction == "US-WA-SEATTLE"
    assert view.totals.subtotal_cents == 2 * 2999 + st.retail_cents
    assert view.totals.total_cents == view.totals.net_cents + view.totals.tax_cents + view.totals.fee_cents
    assert [f.kind.value for f in view.totals.fee_lines] == ["carrier_surcharge"]
    assert view.remaining_cents == view.due_cents == view.totals.total_cents


def test_a_device_is_reserved_by_one_cart_only_and_released_on_remove(services: Services,
                                                                      employees: staff.Staff) -> None:
    st = reg.stock(services, employees.rep)
    cart = services.register.cart
    a, b = cart.open(employees.rep), cart.open(employees.rep)
    cart.add_device(employees.rep, a.id, st.imeis[0])
    with pytest.raises(ValidationError, match="reserved"):
        cart.add_device(employees.rep, b.id, st.imeis[0])
    cart.remove_line(employees.rep, a.id, 1)
    assert cart.add_device(employees.rep, b.id, st.imeis[0]).lines[0].imei == st.imeis[0]
    with pytest.raises(NotFoundError):
        cart.add_device(employees.rep, b.id, "490154203237518")


def test_discount_above_the_limit_needs_a_manager(services: Services, employees: staff.Staff) -> None:
    cart = services.register.cart
    sale = cart.open(employees.rep)
    cart.add_accessory(employees.rep, sale.id, reg.CASE_UPC)  # $29.99; limit 20 % = $5.998
    assert cart.discount(employees.rep, sale.id, 1, 599).lines[0].discount_cents == 599
    with pytest.raises(PermissionDenied):
        cart.discount(employees.rep, sale.id, 1, 1000)
    ok = services.auth.manager_override(employees.rep, manager_number=staff.MANAGER.number,
                                        manager_pin=staff.MANAGER.pin, permission=Permission.LARGE_DISCOUNT,
                                        reason="damaged box")
    assert cart.discount(employees.rep, sale.id, 1, 1000, override=ok).lines[0].net_cents == 1999
    with pytest.raises(ValidationError):
        cart.discount(employees.manager, sale.id, 1, 3000)


def test_price_override_is_manager_only_and_audited(services: Services, employees: staff.Staff) -> None:
    cart = services.register.cart
    sale = cart.open(employees.rep)
    cart.add_item(employees.rep, sale.id, sku="FEE-ACT", description="Device connection charge",
                  category=Category.FEE, price_cents=3500)
    with pytest.raises(PermissionDenied):
        cart.override_price(employees.rep, sale.id, 1, 0, reason="promo")
    view = cart.override_price(employees.manager, sale.id, 1, 1000, reason="promo")
    assert view.lines[0].price_overridden and view.lines[0].unit_price_cents == 1000


def test_void_releases_devices(services: Services, employees: staff.Staff) -> None:
    st = reg.stock(services, employees.rep)
    cart = services.register.cart
    sale = cart.open(employees.rep)
    cart.add_device(employees.rep, sale.id, st.imeis[1])
    assert cart.void(employees.rep, sale.id, reason="customer left").status == "voided"
    other = cart.open(employees.rep)
    assert cart.add_device(employees.rep, other.id, st.imeis[1]).lines[0].imei == st.imeis[1]
    with pytest.raises(ValidationError):
        cart.add_accessory(employees.rep, sale.id, reg.CASE_UPC)


def test_abandoned_carts_release_their_devices(services: Services, employees: staff.Staff) -> None:
    st = reg.stock(services, employees.rep)
    cart, rep = services.register.cart, employees.rep
    left = cart.open(rep)
    cart.add_device(rep, left.id, st.imeis[2])
    paying = cart.open(rep)
    cart.add_device(rep, paying.id, st.imeis[3])
    services.register.tenders.pay_card(rep, paying.id, amount_cents=100)
    assert cart.release_abandoned(rep, older_than=timedelta(hours=1)) == 0
    assert cart.release_abandoned(rep, older_than=timedelta(0)) == 1
    assert cart.view(left.id).status == "voided" and cart.view(paying.id).status == "open"
    fresh = cart.open(rep)
    assert cart.add_device(rep, fresh.id, st.imeis[2]).lines[0].imei == st.imeis[2]
    with pytest.raises(ValidationError):
        cart.add_device(rep, fresh.id, st.imeis[3])
