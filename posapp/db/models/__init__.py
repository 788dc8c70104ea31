"""All typed models; importing this package registers every table on ``Base.metadata``."""

from posapp.db.models.activation import (
    Activation,
    ActivationLine,
    PlanChange,
    PoolNumber,
    PortIn,
    ProvisioningEvent,
    ProvisioningRequest,
)
from posapp.db.models.audit import AuditEvent, AuditHead
from posapp.db.models.base import Base
from posapp.db.models.catalog import DeviceModel, Plan
from posapp.db.models.customers import (
    Account,
    AccountMember,
    AutoPayEnrolment,
    Bill,
    BillPayment,
    Customer,
    Device,
    FinancingAgreement,
    Line,
)
from posapp.db.models.interactions import Interaction, InteractionNote
from posapp.db.models.org import Employee, NumberSequence, Setting, Store, Terminal
from posapp.db.models.register import (
    Accessory,
    DrawerEvent,
    DrawerSession,
    InventoryDevice,
    OfflineForward,
    Sale,
    SaleEipSnapshot,
    SaleLine,
    SaleSignature,
    SaleTaxLine,
    StoreCreditEntry,
    Tender,
)
from posapp.db.models.sync import OutboxEntry, SyncState
from posapp.db.models.visits import AlertSetting, OneTimeCode, VerificationAttempt, Visit

__all__ = [
    "Accessory",
    "Account",
    "AccountMember",
    "Activation",
    "ActivationLine",
    "AlertSetting",
    "AuditEvent",
    "AuditHead",
    "AutoPayEnrolment",
    "Base",
    "Bill",
    "BillPayment",
    "Customer",
    "Device",
    "DeviceModel",
    "DrawerEvent",
    "DrawerSession",
    "Employee",
    "FinancingAgreement",
    "Interaction",
    "InteractionNote",
    "InventoryDevice",
    "Line",
    "NumberSequence",
    "OfflineForward",
    "OneTimeCode",
    "OutboxEntry",
    "Plan",
    "PlanChange",
    "PoolNumber",
    "PortIn",
    "ProvisioningEvent",
    "ProvisioningRequest",
    "Sale",
    "SaleEipSnapshot",
    "SaleLine",
    "SaleSignature",
    "SaleTaxLine",
    "Setting",
    "Store",
    "StoreCreditEntry",
    "SyncState",
    "Tender",
    "Terminal",
    "VerificationAttempt",
    "Visit",
]
