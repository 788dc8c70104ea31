"""The cart is an open sale: lines are rows, a device is reserved by exactly one open sale while in it."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import timedelta

from sqlalchemy import func, select, update

from posapp.db.models import Accessory, DeviceModel, InventoryDevice, Sale, SaleLine
from posapp.domain.identifiers import normalize_imei
from posapp.domain.register import InventoryStatus, SaleKind, SaleStatus, TenderState
from posapp.domain.tax import Category
from posapp.errors import NotFoundError, ValidationError
from posapp.security.permissions import Permission
from posapp.services.dto import Actor, Override
from posapp.services.register.common import get_sale, live_lines, open_sale, sale_dto, tenders_of
from posapp.services.register.data import RegisterData, seed_catalog
from posapp.services.register.dto import SaleDTO
from posapp.services.register.hooks import NO_HOOKS, SaleHooks
from posapp.services.uow import Tx, UnitOfWork


def add_sale_line(tx: Tx, sale: Sale, **fields: object) -> SaleLine:
    """Append a line to the open ``sale`` (next line number)."""
    top = tx.session.scalar(select(func.max(SaleLine.line_no)).where(SaleLine.sale_id == sale.id))
    line = SaleLine(sale_id=sale.id, line_no=(top or 0) + 1, **fields)
    tx.add(line)
    return line


def reserve_device(tx: Tx, sale: Sale, imei: str) -> tuple[InventoryDevice, DeviceModel]:
    """Reserve the in-stock device ``imei`` (15 digits) for ``sale``; returns it and its model."""
    dev = tx.session.scalar(select(InventoryDevice).where(InventoryDevice.imei == imei))
    if dev is None:
        raise NotFoundError("That IMEI is not in this store's stock.")
    # Reserve with a conditional update: of two carts racing for one device, exactly one wins.
    won = tx.session.execute(
        update(InventoryDevice).where(InventoryDevice.id == dev.id,
                                      InventoryDevice.status == InventoryStatus.IN_STOCK)
        .values(status=InventoryStatus.RESERVED, reserved_by_sale_id=sale.id)
        .execution_options(synchronize_session="fetch")).rowcount  # type: ignore[attr-defined]
    if not won:
        raise ValidationError(f"That device is {dev.status.value.replace('_', ' ')}; it cannot be sold.")
    tx.changed(dev, fields={"status": dev.status.value, "reserved_by_sale_id": str(sale.id)})
    model = tx.session.get(DeviceModel, dev.model_code)
    assert model is not None
    return dev, model


def release_devices(tx: Tx, lines: list[SaleLine]) -> None:
    """Put the devices these lines reserved back in stock."""
    for line in lines:
        if line.inventory_id is None:
            continue
        dev = tx.session.get(InventoryDevice, line.inventory_id)
        if dev is not None and dev.reserved_by_sale_id == line.sale_id:
            dev.status, dev.reserved_by_sale_id = InventoryStatus.IN_STOCK, None
            tx.changed(dev, fields={"status": dev.status.value, "reserved_by_sale_id": None})


class CartService:
    def __init__(self, *, uow: UnitOfWork, data: RegisterData, hooks: SaleHooks = NO_HOOKS) -> None:
        self._uow = uow
        self._data = data
        self._hooks = hooks

    def view(self, sale_id: uuid.UUID) -> SaleDTO:
        with self._uow.read() as session:
            return sale_dto(session, get_sale(session, sale_id), self._data)

    def open(self, actor: Actor, *, account_id: uuid.UUID | None = None,
             customer_id: uuid.UUID | None = None) -> SaleDTO:
        with self._uow.write(actor, Permission.SALE) as tx:
            self._data.rule(tx.settings.tax_jurisdiction)  # fail early on a bad setting
            sale = Sale(kind=SaleKind.SALE, status=SaleStatus.OPEN, employee_id=actor.employee_id,
                        account_id=account_id, customer_id=customer_id, jurisdiction=tx.settings.tax_jurisdiction)
            tx.add(sale)
            tx.audit("sale.open", entity="sale", entity_id=str(sale.id))
            return sale_dto(tx.session, sale, self._data)

    def _add_line(self, tx: Tx, sale: Sale, **fields: object) -> SaleLine:
        return add_sale_line(tx, sale, **fields)

    def scan(self, actor: Actor, sale_id: uuid.UUID, code: str, *, qty: int = 1) -> SaleDTO:
        """A UPC from the accessory catalog, or an IMEI from this store's stock."""
        digits = "".join(ch for ch in code if ch.isdigit())
        if len(digits) in (15, 16):
            return self.add_device(actor, sale_id, code)
        return self.add_accessory(actor, sale_id, digits, qty=qty)

    def add_accessory(self, actor: Actor, sale_id: uuid.UUID, upc: str, *, qty: int = 1) -> SaleDTO:
        if qty <= 0:
            raise ValidationError("Quantity must be at least 1.")
        with self._uow.write(actor, Permission.SALE) as tx:
            sale = open_sale(tx.session, sale_id)
            acc = tx.session.get(Accessory, upc)
            if acc is None or not acc.active:
                raise NotFoundError(f"No accessory with UPC {upc}.")
            same = next((x for x in live_lines(tx.session, sale.id) if x.upc == upc and not x.discount_cents
                         and not x.price_overridden), None)
            if same is not None:
                same.qty += qty
                tx.changed(same, fields={"qty": same.qty})
            else:
                self._add_line(tx, sale, category=Category.ACCESSORY, sku=acc.sku, description=acc.name, upc=upc,
                               qty=qty, unit_price_cents=acc.price_cents, full_retail_cents=acc.price_cents)
            tx.audit("sale.add_item", entity="sale", entity_id=str(sale.id), details={"upc": upc, "qty": qty})
            return sale_dto(tx.session, sale, self._data)

    def add_device(self, actor: Actor, sale_id: uuid.UUID, imei_text: str) -> SaleDTO:
        imei = normalize_imei(imei_text)
        with self._uow.write(actor, Permission.SALE) as tx:
            sale = open_sale(tx.session, sale_id)
            dev, model = reserve_device(tx, sale, imei)
            self._add_line(tx, sale, category=Category.DEVICE, sku=model.code,
                           description=f"{model.make} {model.model} {model.storage_gb} GB", imei=imei,
                           inventory_id=dev.id, qty=1, unit_price_cents=model.retail_cents,
                           full_retail_cents=model.retail_cents)
            tx.audit("sale.add_device", entity="sale", entity_id=str(sale.id), details={"tac": imei[:8]})
            return sale_dto(tx.session, sale, self._data)

    def add_item(self, actor: Actor, sale_id: uuid.UUID, *, sku: str, description: str, category: Category,
                 price_cents: int, qty: int = 1) -> SaleDTO:
        """A service or fee line (bill payment, activation fee ...)."""
        if price_cents < 0 or qty <= 0:
            raise ValidationError("Price and quantity must be positive.")
        with self._uow.write(actor, Permission.SALE) as tx:
            sale = open_sale(tx.session, sale_id)
            self._add_line(tx, sale, category=category, sku=sku, description=description, qty=qty,
                           unit_price_cents=price_cents, full_retail_cents=price_cents)
            tx.audit("sale.add_item", entity="sale", entity_id=str(sale.id), details={"sku": sku, "qty": qty})
            return sale_dto(tx.session, sale, self._data)

    def _line(self, tx: Tx, sale: Sale, line_no: int) -> SaleLine:
        line = next((x for x in live_lines(tx.session, sale.id) if x.line_no == line_no), None)
        if line is None:
            raise NotFoundError(f"No line {line_no} in this sale.")
        return line

    def _no_open_tenders(self, tx: Tx, sale: Sale) -> None:
        if any(t.state is not TenderState.DECLINED for t in tenders_of(tx.session, sale.id)):
            raise ValidationError("Payment has started; the cart can no longer change.")

    def set_qty(self, actor: Actor, sale_id: uuid.UUID, line_no: int, qty: int) -> SaleDTO:
        if qty <= 0:
            raise ValidationError("Quantity must be at least 1 (remove the line instead).")
        with self._uow.write(actor, Permission.SALE) as tx:
            sale = open_sale(tx.session, sale_id)
            self._no_open_tenders(tx, sale)
            line = self._line(tx, sale, line_no)
            if line.imei is not None and qty != 1:
                raise ValidationError("A serialized device is always quantity 1.")
            if line.discount_cents > qty * line.unit_price_cents:
                raise ValidationError("The discount would exceed the line amount.")
            line.qty = qty
            tx.changed(line, fields={"qty": qty})
            return sale_dto(tx.session, sale, self._data)

    def discount(self, actor: Actor, sale_id: uuid.UUID, line_no: int, discount_cents: int, *,
                 override: Override | None = None) -> SaleDTO:
        """A line discount; above ``discount_limit_percent`` of the line it needs LARGE_DISCOUNT (or a manager's
        override)."""
        with self._uow.read() as session:
            sale = get_sale(session, sale_id)
            line = next((x for x in live_lines(session, sale.id) if x.line_no == line_no), None)
            if line is None:
                raise NotFoundError(f"No line {line_no} in this sale.")
            gross = line.qty * line.unit_price_cents
        if not 0 <= discount_cents <= gross:
            raise ValidationError("A discount must be between zero and the line amount.")
        limit = self._uow.core.settings.discount_limit_percent
        big = discount_cents * 100 > gross * limit
        with self._uow.write(actor, Permission.LARGE_DISCOUNT if big else Permission.SALE, override=override) as tx:
            sale = open_sale(tx.session, sale_id)
            self._no_open_tenders(tx, sale)
            line = self._line(tx, sale, line_no)
            line.discount_cents = discount_cents
            tx.changed(line, fields={"discount_cents": discount_cents})
            tx.audit("sale.discount", entity="sale", entity_id=str(sale.id),
                     details={"line": line_no, "cents": discount_cents, "above_limit": big})
            return sale_dto(tx.session, sale, self._data)

    def override_price(self, actor: Actor, sale_id: uuid.UUID, line_no: int, price_cents: int, *,
                       reason: str, override: Override | None = None) -> SaleDTO:
        if price_cents < 0 or not reason.strip():
            raise ValidationError("Give a price of zero or more and a reason.")
        with self._uow.write(actor, Permission.PRICE_OVERRIDE, override=override) as tx:
            sale = open_sale(tx.session, sale_id)
            self._no_open_tenders(tx, sale)
            line = self._line(tx, sale, line_no)
            old = line.unit_price_cents
            line.unit_price_cents, line.price_overridden = price_cents, True
            line.discount_cents = min(line.discount_cents, line.qty * price_cents)
            tx.changed(line, fields={"unit_price_cents": price_cents, "price_overridden": True,
                                     "discount_cents": line.discount_cents})
            tx.audit("sale.price_override", entity="sale", entity_id=str(sale.id),
                     details={"line": line_no, "from": old, "to": price_cents, "reason": reason.strip()[:200]})
            return sale_dto(tx.session, sale, self._data)

    def remove_line(self, actor: Actor, sale_id: uuid.UUID, line_no: int) -> SaleDTO:
        with self._uow.write(actor, Permission.SALE) as tx:
            sale = open_sale(tx.session, sale_id)
            self._no_open_tenders(tx, sale)
            line = self._line(tx, sale, line_no)
            line.removed = True
            tx.changed(line, fields={"removed": True})
            self._release(tx, [line, *self._hooks.lines_removed(tx, sale, [line])])
            tx.audit("sale.remove_line", entity="sale", entity_id=str(sale.id), details={"line": line_no})
            return sale_dto(tx.session, sale, self._data)

    def void(self, actor: Actor, sale_id: uuid.UUID, *, reason: str) -> SaleDTO:
        """Abandon an open sale: devices go back to stock. Refused once any money was taken or may have been."""
        with self._uow.write(actor, Permission.SALE) as tx:
            sale = open_sale(tx.session, sale_id)
            self._no_open_tenders(tx, sale)
            self._release(tx, live_lines(tx.session, sale.id))
            sale.status = SaleStatus.VOIDED
            tx.changed(sale, fields={"status": sale.status.value})
            self._hooks.sale_voided(tx, sale)
            tx.audit("sale.void", entity="sale", entity_id=str(sale.id), details={"reason": reason.strip()[:200]})
            return sale_dto(tx.session, sale, self._data)

    def release_abandoned(self, actor: Actor, *, older_than: timedelta = timedelta(hours=12)) -> int:
        """Void this terminal's open carts older than ``older_than`` in which no money was or may have been taken
        (e.g. left behind by a crash), so their devices go back to stock. Returns how many were voided."""
        with self._uow.write(actor, Permission.SALE) as tx:
            s = tx.settings
            stale = tx.session.scalars(select(Sale).where(
                Sale.status == SaleStatus.OPEN, Sale.store_id == s.store_id, Sale.origin_terminal_id == s.terminal_id,
                Sale.created_at <= tx.now - older_than))
            n = 0
            for sale in list(stale):
                if any(t.state is not TenderState.DECLINED for t in tenders_of(tx.session, sale.id)):
                    continue
                self._release(tx, live_lines(tx.session, sale.id))
                sale.status = SaleStatus.VOIDED
                tx.changed(sale, fields={"status": sale.status.value})
                self._hooks.sale_voided(tx, sale)
                tx.audit("sale.void", entity="sale", entity_id=str(sale.id), details={"reason": "abandoned"})
                n += 1
            return n

    @staticmethod
    def _release(tx: Tx, lines: list[SaleLine]) -> None:
        release_devices(tx, lines)


class StockService:
    """Catalog and serialized stock at this store (receiving devices; head office ships the catalog)."""

    def __init__(self, *, uow: UnitOfWork, data: RegisterData) -> None:
        self._uow = uow
        self._data = data

    def ensure_catalog(self, actor: Actor, models: Iterable[tuple[object, ...]] = ()) -> None:
        with self._uow.write(actor) as tx:
            seed_catalog(tx.session, self._data, models)

    def receive_devices(self, actor: Actor, devices: Iterable[tuple[str, str]]) -> int:
        """Add ``(imei, model_code)`` pairs to stock as in_stock; returns how many were added."""
        n = 0
        with self._uow.write(actor, Permission.SALE) as tx:
            for imei_text, model_code in devices:
                imei = normalize_imei(imei_text)
                if tx.session.get(DeviceModel, model_code) is None:
                    raise NotFoundError(f"Unknown device model {model_code}.")
                tx.add(InventoryDevice(imei=imei, model_code=model_code, status=InventoryStatus.IN_STOCK))
                n += 1
            tx.audit("stock.receive", entity="inventory_device", entity_id="batch", details={"count": n})
        return n
