"""One simulated activation order at the counter, through the real services: the visit verified as the kind needs,
``ActivationService`` (start, device, SIM or eSIM, pool number or port-in, plan, EIP), into the register's cart,
paid in cash and completed (so its provisioning requests are queued)."""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass, field

from sqlalchemy import select

from posapp.catalog import ModelInfo
from posapp.db.models import ActivationLine, Device, DeviceModel, Line
from posapp.demo.activation_ports import PortDesk
from posapp.demo.activation_setup import Identifiers, SimCustomer, new_customer, verified_visit
from posapp.demo.signature import sign_if_required
from posapp.domain.activation import OPEN_LINE_STATUSES, ActivationKind, SimKind
from posapp.domain.enums import LineStatus
from posapp.services.activation.dto import ActivationDTO, EipTerms
from posapp.services.dto import Actor
from posapp.services.registry import Services

EXISTING_ACCOUNT_KINDS = frozenset({ActivationKind.ADD_LINE, ActivationKind.UPGRADE, ActivationKind.SIM_CHANGE,
                                    ActivationKind.BYOD})
LINE_KINDS = frozenset({ActivationKind.UPGRADE, ActivationKind.SIM_CHANGE})
STEP_UP_KINDS = frozenset({ActivationKind.ADD_LINE, ActivationKind.SIM_CHANGE, ActivationKind.BYOD})


@dataclass
class Counter:
    """The simulated counter: the rep, the seed's random stream, stock, the port desk and the customers met."""

    services: Services
    rep: Actor
    rng: random.Random
    ids: Identifiers
    phones: tuple[ModelInfo, ...]
    plans: tuple[str, ...]
    stock: list[str]
    ports: PortDesk
    customers: list[SimCustomer] = field(default_factory=list)
    financed: set[uuid.UUID] = field(default_factory=set)  # accounts with an EIP agreement from this run
    line_ids: list[uuid.UUID] = field(default_factory=list)  # activation lines of this run
    esim_lines: int = 0
    eip_upgrades: int = 0


def usable_line(c: Counter, who: SimCustomer, *, free: bool) -> uuid.UUID | None:
    """An active line of the account (the first by number); ``free``: with no open order on it."""
    with c.services.uow.read() as s:
        lines = list(s.scalars(select(Line.id).where(Line.account_id == who.account_id,
                                                     Line.status == LineStatus.ACTIVE).order_by(Line.msisdn)))
        if free:
            busy = set(s.scalars(select(ActivationLine.line_id).where(
                ActivationLine.line_id.in_(lines), ActivationLine.status.in_(OPEN_LINE_STATUSES))))
            lines = [x for x in lines if x not in busy]
    return lines[0] if lines else None


def pick_account(c: Counter, kind: ActivationKind) -> tuple[SimCustomer, uuid.UUID] | None:
    """A customer of this run who can come back for ``kind`` (an active line; free of open orders for an upgrade
    or a SIM change), drawn from the seed; None when nobody can yet."""
    ready = [(who, line) for who in c.customers
             if (line := usable_line(c, who, free=kind in LINE_KINDS)) is not None]
    return c.rng.choice(ready) if ready else None


def run_order(c: Counter, kind: ActivationKind, found: tuple[SimCustomer, uuid.UUID] | None) -> ActivationDTO:
    """One order of ``kind``: ``found`` is the returning customer and their line (None: a new customer)."""
    svc = c.services.activation
    if found is None:
        who = new_customer(c.services, c.rep, c.rng, len(c.customers))
        c.customers.append(who)
        visit = verified_visit(c.services, c.rep, who, line_id=None)  # a new account: photo ID suffices
        line_id = None
    else:
        who, line_id = found
        visit = verified_visit(c.services, c.rep, who, line_id=line_id, pin=_needs_pin(c, kind, who))
    act = svc.start(c.rep, kind=kind, visit_id=visit, line_id=line_id if kind in LINE_KINDS else None)
    if kind is ActivationKind.UPGRADE:
        act = _upgrade(c, act, who)
    elif kind is ActivationKind.SIM_CHANGE:
        act = _sim_change(c, act, line_id)
    else:
        act = _new_line(c, act, who, own_device=kind is ActivationKind.BYOD)
    _pay(c, act)
    c.services.verification.end_visit(c.rep, visit)
    c.line_ids += [x.id for x in act.lines]
    return act


def _needs_pin(c: Counter, kind: ActivationKind, who: SimCustomer) -> bool:
    """Step-up (photo ID, PIN and code) for add a line, BYOD, SIM change and an upgrade on a financed account;
    photo ID and the code verify otherwise (a PIN does not count in an account's first 30 days)."""
    return kind in STEP_UP_KINDS or who.account_id in c.financed


def _new_line(c: Counter, act: ActivationDTO, who: SimCustomer, *, own_device: bool) -> ActivationDTO:
    svc, rep = c.services.activation, c.rep
    # the customer's own phone: a catalog TAC, not our stock
    imei = c.ids.imei(c.rng.choice(c.phones).tac) if own_device else c.stock.pop(0)
    check = svc.check_device(imei)
    act = svc.set_device(rep, act.id, 1, check)
    act = _sim(c, act, esim_ok=check.esim_capable, current_esim=False)
    act = c.ports.number(c.services, c.rep, act, who.name)
    features = ("INTL-PASS",) if c.rng.random() < 0.2 else ()
    return svc.set_plan(rep, act.id, 1, plan_code=c.rng.choice(c.plans), features=features)


def _sim(c: Counter, act: ActivationDTO, *, esim_ok: bool, current_esim: bool) -> ActivationDTO:
    """eSIM for some eSIM-capable devices (a SIM change swaps physical <-> eSIM where it can), else a new ICCID."""
    svc = c.services.activation
    esim = esim_ok and not current_esim and (c.rng.random() < 0.4 or act.kind is ActivationKind.SIM_CHANGE)
    if esim:
        c.esim_lines += 1
        return svc.set_sim(c.rep, act.id, 1, kind=SimKind.ESIM, eid=c.ids.eid())
    return svc.set_sim(c.rep, act.id, 1, kind=SimKind.PHYSICAL, iccid=c.ids.iccid())


def _upgrade(c: Counter, act: ActivationDTO, who: SimCustomer) -> ActivationDTO:
    svc = c.services.activation
    check = svc.check_device(c.stock.pop(0))
    act = svc.set_device(c.rep, act.id, 1, check)
    if c.rng.random() < 0.5:  # financed on EIP: a down payment of about a fifth, 24 months
        down = check.retail_cents // 5 // 1000 * 1000
        svc.quote_eip(act.id, 1, EipTerms(down_payment_cents=down))
        act = svc.set_financing(c.rep, act.id, 1, EipTerms(down_payment_cents=down))
        c.financed.add(who.account_id)
        c.eip_upgrades += 1
    return act


def _sim_change(c: Counter, act: ActivationDTO, line_id: uuid.UUID | None) -> ActivationDTO:
    with c.services.uow.read() as s:
        line = s.get(Line, line_id) if line_id else None
        device = s.scalar(select(Device).where(Device.line_id == line_id).limit(1)) if line_id else None
        model = s.get(DeviceModel, device.model_code) if device is not None else None
        esim_ok, current_esim = bool(model and model.esim_capable), bool(line and line.eid)
    return _sim(c, act, esim_ok=esim_ok, current_esim=current_esim)


def _pay(c: Counter, act: ActivationDTO) -> None:
    """Into the register's open sale, paid in cash (the customer signs when the sale needs it), completed."""
    reg, rep = c.services.register, c.rep
    sale = reg.cart.open(rep)
    c.services.activation.to_cart(rep, act.id, sale.id)
    due = reg.cart.view(sale.id).remaining_cents
    if due:
        reg.tenders.pay_cash(rep, sale.id, amount_cents=due, tendered_cents=-(-due // 2000) * 2000)
    sign_if_required(c.services, rep, sale.id, c.rng)
    reg.tenders.complete(rep, sale.id)
