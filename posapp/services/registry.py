"""Builds the services on a Core. Used by the composition root (ui/app.py), the CLI and tests."""

from __future__ import annotations

from dataclasses import dataclass

from posapp.adapters.block_list import BlockList
from posapp.adapters.cash_drawer import CashDrawer
from posapp.adapters.factory import build_block_list, build_cash_drawer, build_provisioning, build_sms, build_terminal
from posapp.adapters.payment_terminal import PaymentTerminal
from posapp.adapters.provisioning import CarrierProvisioning
from posapp.adapters.sms import SmsGateway
from posapp.adapters.unconfigured import NotConfiguredDevice
from posapp.db.search import SearchIndex
from posapp.paths import DataPaths
from posapp.services.accounts import AccountService
from posapp.services.activation.pins import KeyringTransferPins
from posapp.services.activation.queue import ProvisioningService
from posapp.services.activation.sale_hooks import ActivationSaleHooks
from posapp.services.activation.service import ActivationService
from posapp.services.auth import AuthService
from posapp.services.core import Core
from posapp.services.customers import CustomerService
from posapp.services.dto import SYSTEM_ACTOR
from posapp.services.employees import EmployeeService
from posapp.services.interactions import InteractionService
from posapp.services.lookup import LookupService
from posapp.services.register import (
    AccountPaymentService,
    CartService,
    DrawerService,
    RefundService,
    RegisterData,
    StockService,
    TenderService,
)
from posapp.services.register.hooks import NO_HOOKS, SaleHooks
from posapp.services.register.receipts import ReceiptService
from posapp.services.register.reports import ReportService
from posapp.services.register.signatures import SignatureService
from posapp.services.register.store_credit import StoreCreditService
from posapp.services.settings import SettingsService
from posapp.services.status import StatusService
from posapp.services.sync import SyncService, TransportFactory
from posapp.services.uow import UnitOfWork
from posapp.services.verification import VerificationService
from posapp.sync.connect import central_transport_factory


@dataclass(frozen=True)
class Register:
    """The register's services and the adapters they drive (card terminal, cash drawer)."""

    data: RegisterData
    terminal: PaymentTerminal
    cash_drawer: CashDrawer
    stock: StockService
    cart: CartService
    payments: AccountPaymentService
    tenders: TenderService
    refunds: RefundService
    drawer: DrawerService
    reports: ReportService
    signatures: SignatureService
    store_credit: StoreCreditService

    @classmethod
    def build(cls, uow: UnitOfWork, *, terminal: PaymentTerminal | None = None,
              cash_drawer: CashDrawer | None = None, hooks: SaleHooks = NO_HOOKS) -> Register:
        """The terminal and drawer the settings name (``payment_terminal``, ``cash_drawer``, see
        :mod:`posapp.adapters.factory`) unless given (tests pass doubles). ``hooks``: who is told of completed,
        voided and changed sales (the activation side)."""
        data = RegisterData.load()
        settings = uow.core.settings
        terminal = terminal if terminal is not None else build_terminal(settings)
        cash_drawer = cash_drawer if cash_drawer is not None else build_cash_drawer(settings)
        tenders = TenderService(uow=uow, data=data, terminal=terminal, drawer=cash_drawer, hooks=hooks)
        return cls(data=data, terminal=terminal, cash_drawer=cash_drawer, stock=StockService(uow=uow, data=data),
                   cart=CartService(uow=uow, data=data, hooks=hooks),
                   payments=AccountPaymentService(uow=uow, data=data),
                   tenders=tenders,
                   refunds=RefundService(uow=uow, data=data, terminal=terminal, tenders=tenders),
                   drawer=DrawerService(uow=uow, drawer=cash_drawer), reports=ReportService(uow=uow),
                   signatures=SignatureService(uow=uow, data=data), store_credit=StoreCreditService(uow=uow))


@dataclass(frozen=True)
class Services:
    core: Core
    uow: UnitOfWork
    auth: AuthService
    employees: EmployeeService
    settings: SettingsService
    status: StatusService
    lookup: LookupService
    customers: CustomerService
    verification: VerificationService
    interactions: InteractionService
    accounts: AccountService
    sms: SmsGateway
    search_index: SearchIndex
    register: Register
    receipts: ReceiptService
    sync: SyncService
    carrier: CarrierProvisioning
    provisioning: ProvisioningService
    block_list: BlockList
    activation: ActivationService

    @classmethod
    def build(cls, core: Core, *, sms: SmsGateway | None = None, terminal: PaymentTerminal | None = None,
              cash_drawer: CashDrawer | None = None, sync_transport: TransportFactory | None = None,
              carrier: CarrierProvisioning | None = None, block_list: BlockList | None = None) -> Services:
        """Adapters (``sms``, ``terminal``, ``cash_drawer``, ``carrier``, ``block_list``): as given, else the ones
        the settings name (a simulator only in training mode). ``sync_transport``: how sync reaches the central
        store (default: the one the settings name)."""
        uow = UnitOfWork(core)
        sms = sms if sms is not None else build_sms(core.settings)
        carrier = carrier if carrier is not None else build_provisioning(core.settings)
        provisioning = ProvisioningService(
            uow=uow, carrier=carrier, sms=sms,
            pins=KeyringTransferPins(ids=lambda: (core.settings.store_id, core.settings.terminal_id)))
        block_list = block_list if block_list is not None else build_block_list(core.settings)
        index = SearchIndex(core.paths.database)
        interactions = InteractionService(uow=uow)
        register = Register.build(uow, terminal=terminal, cash_drawer=cash_drawer, hooks=ActivationSaleHooks())

        def running_simulators() -> dict[str, bool]:
            return {"payment_terminal": register.terminal.is_simulator, "sms_gateway": sms.is_simulator,
                    "cash_drawer": register.cash_drawer.is_simulator, "provisioning": carrier.is_simulator,
                    "block_list": block_list.is_simulator}

        return cls(core=core, uow=uow, auth=AuthService(uow=uow), employees=EmployeeService(uow=uow),
                   settings=SettingsService(uow=uow, running_simulators=running_simulators),
                   status=StatusService(uow=uow),
                   lookup=LookupService(uow=uow, index=index), customers=CustomerService(uow=uow),
                   verification=VerificationService(uow=uow, sms=sms), interactions=interactions,
                   accounts=AccountService(uow=uow, interactions=interactions), sms=sms, search_index=index,
                   register=register, receipts=ReceiptService(uow=uow, data=register.data),
                   sync=SyncService(uow=uow, transport_factory=sync_transport or central_transport_factory(core)),
                   carrier=carrier, provisioning=provisioning,
                   block_list=block_list, activation=ActivationService(uow=uow, block_list=block_list))

    @classmethod
    def open(cls, paths: DataPaths, *, sms: SmsGateway | None = None, terminal: PaymentTerminal | None = None,
             cash_drawer: CashDrawer | None = None, carrier: CarrierProvisioning | None = None) -> Services:
        core = Core.open(paths)
        services = cls.build(core, sms=sms, terminal=terminal, cash_drawer=cash_drawer, carrier=carrier)
        services.settings.ensure_store_rows()
        services.register.stock.ensure_catalog(SYSTEM_ACTOR)
        return services

    def device_problems(self) -> list[str]:
        """Plain sentences for each device that is not configured (shown by the app and ``config show``)."""
        out = []
        for adapter in (self.register.terminal, self.sms, self.register.cash_drawer, self.carrier,
                        self.block_list):
            if not adapter.configured:
                reason = adapter.reason if isinstance(adapter, NotConfiguredDevice) else ""
                out.append(f"{adapter.label}" + (f": {reason}" if reason else "") + ".")
        return out

    def close(self) -> None:
        self.search_index.close()
        self.core.close()
