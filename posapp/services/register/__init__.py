"""The register: cart (an open sale), tenders, completion, refunds and the cash drawer (issue 4)."""

from posapp.services.register.account_payments import AccountPaymentService
from posapp.services.register.cart import CartService, StockService
from posapp.services.register.data import RegisterData
from posapp.services.register.drawer import DrawerService
from posapp.services.register.refunds import RefundService
from posapp.services.register.tenders import TenderService

__all__ = [
    "AccountPaymentService",
    "CartService",
    "DrawerService",
    "RefundService",
    "RegisterData",
    "StockService",
    "TenderService",
]
