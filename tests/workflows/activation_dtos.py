"""Activation DTOs as the service returns them, for the state-object and panel tests (plain data, no service)."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import UTC, datetime

from posapp.domain.activation import (
    ActivationKind,
    ActivationStatus,
    DeviceSource,
    LineActivationStatus,
    NumberSource,
    PortStatus,
    SimKind,
)
from posapp.services.activation.dto import ActivationDTO, DeviceCheck, EipQuote, LineDTO, PortInDTO

MASKED = "LPA:1$\u2022\u2022\u2022\u2022$\u2022\u20226F3A"
AT = datetime(2026, 12, 3, 17, 0, tzinfo=UTC)


def line(no: int = 1, **fields: object) -> LineDTO:
    base = LineDTO(id=uuid.uuid4(), line_no=no, status=LineActivationStatus.DRAFT, reason=None, line_id=None,
                   number_source=None, msisdn=None, plan_code=None, plan_name=None, features=(), device_source=None,
                   imei=None, model_name=None, sim_kind=None, iccid=None, eid=None, esim_code_masked=None,
                   financed=False, eip=None, port_in=None, activated_at=None)
    return replace(base, **fields)  # type: ignore[arg-type]


def full_line(no: int = 1, *, esim: bool = True, **fields: object) -> LineDTO:
    """A line with a store device, a SIM, a pool number and a plan."""
    values: dict[str, object] = dict(
        device_source=DeviceSource.STORE, imei="356938035643809", model_name="Apple iPhone 15 128 GB",
        sim_kind=SimKind.ESIM if esim else SimKind.PHYSICAL,
        eid="89049032000001000000012345678954" if esim else None,
        iccid=None if esim else "8901260123456789012", number_source=NumberSource.POOL, msisdn="+12065550142",
        plan_code="ESS", plan_name="Essentials", esim_code_masked=MASKED if esim else None)
    values.update(fields)
    return line(no, **values)


def activation(kind: ActivationKind = ActivationKind.ADD_LINE, *lines: LineDTO,
               status: ActivationStatus = ActivationStatus.DRAFT, warnings: tuple[str, ...] = ()) -> ActivationDTO:
    return ActivationDTO(id=uuid.uuid4(), number="ACT-S1-000001", kind=kind, status=status, visit_id=uuid.uuid4(),
                         account_id=uuid.uuid4(), account_number="100200300", sale_id=None, training=True,
                         lines=lines or (line(),), created_at=AT, warnings=warnings)


def check(**fields: object) -> DeviceCheck:
    base = DeviceCheck(imei="356938035643809", imei2=None, tac="35693803", model_code="IP15-128",
                       model_name="Apple iPhone 15 128 GB", esim_capable=True, compatible=True, block_result="clear",
                       problems=(), inventory_id=uuid.uuid4(), retail_cents=79_999)
    return replace(base, **fields)  # type: ignore[arg-type]


def port_in(**fields: object) -> PortInDTO:
    base = PortInDTO(msisdn="+12065550199", old_carrier="Other Wireless",
                     old_account_masked="\u2022\u2022\u2022\u20224321", name="Dana Smith",
                     billing_zip="98101", prepaid=False, desired_date=None, status=PortStatus.DRAFT,
                     reason_code=None, reason=None, attempt=1, pin_held=True)
    return replace(base, **fields)  # type: ignore[arg-type]


QUOTE = EipQuote(retail_cents=79_999, down_payment_cents=10_000, financed_cents=69_999, months=24,
                 monthly_cents=2_917, last_month_cents=2_908)
