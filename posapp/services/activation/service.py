"""The activation service (the counter's side): :class:`ActivationService` implements
:class:`posapp.services.activation.api.ActivationApi`; each method is one module's function.

* :mod:`.lines` — start, add/remove a line, cancel. :mod:`.access` — the visit's verification and account role.
* :mod:`.device` — the device check (*device*: the block list adapter) and recording it.
* :mod:`.sim`, :mod:`.number` (pool numbers, port-in, resubmit), :mod:`.plan` (plan, features, EIP).
* :mod:`.cart` — into the register's sale; :mod:`.paid` — queued when the sale completes; :mod:`.sale_hooks` —
  back to draft when its cart lines are taken out or the sale is voided.
"""

from __future__ import annotations

import uuid

from sqlalchemy import Select, select

from posapp.adapters.block_list import BlockList
from posapp.db.models import Activation, ActivationLine
from posapp.domain.activation import ActivationKind, LineActivationStatus, SimKind
from posapp.services.activation import cart, device, lines, number, plan, pool, sim
from posapp.services.activation.api import ActivationApi
from posapp.services.activation.dto import (
    ActivationDTO,
    DeviceCheck,
    EipQuote,
    EipTerms,
    PlanOption,
    PoolNumberDTO,
    PortInForm,
)
from posapp.services.activation.views import activation_dto, get_activation
from posapp.services.dto import Actor
from posapp.services.uow import UnitOfWork


class ActivationService:
    def __init__(self, *, uow: UnitOfWork, block_list: BlockList) -> None:
        self._uow = uow
        self._block_list = block_list

    @property
    def block_list(self) -> BlockList:
        return self._block_list

    # -- the order -----------------------------------------------------------------------------------------
    def start(self, actor: Actor, *, kind: ActivationKind, visit_id: uuid.UUID,
              line_id: uuid.UUID | None = None) -> ActivationDTO:
        return lines.start(self._uow, actor, kind=kind, visit_id=visit_id, line_id=line_id)

    def view(self, activation_id: uuid.UUID) -> ActivationDTO:
        with self._uow.read() as s:
            return activation_dto(s, get_activation(s, activation_id))

    def add_line(self, actor: Actor, activation_id: uuid.UUID) -> ActivationDTO:
        return lines.add_line(self._uow, actor, activation_id)

    def remove_line(self, actor: Actor, activation_id: uuid.UUID, line_no: int) -> ActivationDTO:
        return lines.remove_line(self._uow, actor, activation_id, line_no)

    def cancel(self, actor: Actor, activation_id: uuid.UUID, *, reason: str) -> ActivationDTO:
        return lines.cancel(self._uow, actor, activation_id, reason=reason)

    # -- device --------------------------------------------------------------------------------------------
    def check_device(self, imei_text: str, *, imei2_text: str | None = None) -> DeviceCheck:
        return device.check_device(self._uow, self._block_list, imei_text, imei2_text=imei2_text)

    def set_device(self, actor: Actor, activation_id: uuid.UUID, line_no: int, check: DeviceCheck) -> ActivationDTO:
        return device.set_device(self._uow, actor, activation_id, line_no, check)

    # -- SIM -----------------------------------------------------------------------------------------------
    def set_sim(self, actor: Actor, activation_id: uuid.UUID, line_no: int, *, kind: SimKind,
                iccid: str | None = None, eid: str | None = None) -> ActivationDTO:
        return sim.set_sim(self._uow, actor, activation_id, line_no, kind=kind, iccid=iccid, eid=eid)

    # -- number --------------------------------------------------------------------------------------------
    def pool_numbers(self, *, area_code: str | None = None, limit: int = 20) -> tuple[PoolNumberDTO, ...]:
        with self._uow.read() as s:
            return tuple(pool.to_dto(r) for r in pool.available(s, area_code, limit))

    def pick_number(self, actor: Actor, activation_id: uuid.UUID, line_no: int, msisdn: str) -> ActivationDTO:
        return number.pick_number(self._uow, actor, activation_id, line_no, msisdn)

    def set_port_in(self, actor: Actor, activation_id: uuid.UUID, line_no: int, form: PortInForm) -> ActivationDTO:
        return number.set_port_in(self._uow, actor, activation_id, line_no, form)

    def resubmit_port_in(self, actor: Actor, activation_line_id: uuid.UUID, form: PortInForm) -> ActivationDTO:
        return number.resubmit_port_in(self._uow, actor, activation_line_id, form)

    # -- plan and payment ----------------------------------------------------------------------------------
    def plans(self) -> tuple[PlanOption, ...]:
        return plan.sold_plans(self._uow)

    def set_plan(self, actor: Actor, activation_id: uuid.UUID, line_no: int, *, plan_code: str,
                 features: tuple[str, ...] = ()) -> ActivationDTO:
        return plan.set_plan(self._uow, actor, activation_id, line_no, plan_code=plan_code, features=features)

    def quote_eip(self, activation_id: uuid.UUID, line_no: int, terms: EipTerms) -> EipQuote:
        return plan.quote_eip(self._uow, activation_id, line_no, terms)

    def set_financing(self, actor: Actor, activation_id: uuid.UUID, line_no: int,
                      terms: EipTerms | None) -> ActivationDTO:
        return plan.set_financing(self._uow, actor, activation_id, line_no, terms)

    def to_cart(self, actor: Actor, activation_id: uuid.UUID, sale_id: uuid.UUID) -> ActivationDTO:
        return cart.to_cart(self._uow, actor, activation_id, sale_id)

    # -- reading -------------------------------------------------------------------------------------------
    def for_account(self, account_id: uuid.UUID) -> tuple[ActivationDTO, ...]:
        return self._many(select(Activation).where(Activation.account_id == account_id))

    def for_sale(self, sale_id: uuid.UUID) -> tuple[ActivationDTO, ...]:
        return self._many(select(Activation).where(Activation.sale_id == sale_id))

    def list(self, *, status: LineActivationStatus | None = None, limit: int = 200) -> tuple[ActivationDTO, ...]:
        q = select(Activation)
        if status is not None:
            q = q.where(Activation.id.in_(select(ActivationLine.activation_id)
                                          .where(ActivationLine.status == LineActivationStatus(status))))
        return self._many(q.limit(max(limit, 0)))

    def _many(self, q: Select[Activation]) -> tuple[ActivationDTO, ...]:
        with self._uow.read() as s:
            rows = s.scalars(q.order_by(Activation.created_at.desc(), Activation.number.desc())).all()
            return tuple(activation_dto(s, a) for a in rows)


def _conforms(service: ActivationService) -> ActivationApi:
    """mypy checks here that the service keeps the contract the F4 page is written against."""
    return service
