"""``posapp-admin simulate activations --count N --seed S``: activation orders at the counter driven through the
real services end to end, deterministic for a seed (training mode and simulators only).

Each order is a new account + line, an added line, an upgrade (some financed on EIP), a SIM change (physical <->
eSIM) or a bring-your-own-device line (:mod:`.activation_orders`): a customer (new, or one met earlier in the run
coming back once their line is active), a verified visit, ``ActivationService`` from start to the cart, cash, the
sale completed. The provisioning queue (``ProvisioningService.run_once``) runs one pass after each order, as the
background worker would, against a carrier simulator that answers one step per pass; the queue's retry backoff
is compressed to one pass (a failed send is tried again at the next pass, up to the queue's retry limit). Along
the way: a carrier outage for some passes (paid lines stay pending, then are sent), lost acknowledgements (resent
under the same request id: the carrier reports a duplicate and activates once), ports of the old-carrier
registry's numbers rejected then fixed and resubmitted (:mod:`.activation_ports`). The report counts; it never
holds an eSIM code or a PIN.
"""

from __future__ import annotations

import contextlib
import random
from collections import Counter as Tally
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import select

from posapp.adapters.provisioning import SimulatedCarrier
from posapp.db.models import ActivationLine, ProvisioningEvent
from posapp.demo.activation_orders import EXISTING_ACCOUNT_KINDS, Counter, pick_account, run_order
from posapp.demo.activation_ports import PortDesk
from posapp.demo.activation_setup import (
    POOL_AREAS,
    Identifiers,
    SimulationRefused,
    ensure_catalog,
    in_stock,
    require_training,
    restock,
    seed_pool,
    sold_plans,
)
from posapp.demo.sales import sim_rep
from posapp.domain.activation import ActivationKind, LineActivationStatus, ProvisioningEventKind
from posapp.errors import ValidationError
from posapp.events import EsimCodeReady, Event
from posapp.services.activation.pins import KeyringTransferPins
from posapp.services.activation.queue import ProvisioningService
from posapp.services.activation.work import PassReport
from posapp.services.dto import SYSTEM_ACTOR
from posapp.services.registry import Services

KIND_WEIGHTS = {ActivationKind.NEW_ACCOUNT: 30, ActivationKind.ADD_LINE: 15, ActivationKind.UPGRADE: 25,
                ActivationKind.SIM_CHANGE: 15, ActivationKind.BYOD: 15}
OFFLINE_PASSES = (3, 6)  # the outage's length in queue passes: at least, at most (below the queue's retry limit)
MAX_WAIT_PASSES = 12
MAX_DRAIN_PASSES = 200


@dataclass(frozen=True)
class ActivationSimReport:
    orders: int
    by_kind: dict[str, int]
    lines: dict[str, int]  # this run's activation lines by final status
    esim_lines: int
    esim_codes_shown: int  # EsimCodeReady events: each code went to the customer window only
    eip_upgrades: int
    ports: int
    ports_typed_wrong: int
    rejected_resubmitted: int
    resubmitted_active: int
    went_on_hold: int
    offline_passes: int
    pending_while_offline: int  # lines still queued (pending, not done) when the carrier link came back
    sent_after_offline: int  # of those, sent once it was back
    requests_sent: int
    retries: int
    duplicates: int
    passes: int
    port_ins_skipped_no_keyring: int


def plan_kinds(count: int, rng: random.Random) -> list[ActivationKind]:
    """A new account first (a store needs customers), then each other kind once, then drawn by weight."""
    others = [k for k in KIND_WEIGHTS if k is not ActivationKind.NEW_ACCOUNT]
    first = [ActivationKind.NEW_ACCOUNT, *rng.sample(others, len(others))]
    rest = rng.choices(list(KIND_WEIGHTS), weights=list(KIND_WEIGHTS.values()), k=max(0, count - len(first)))
    return (first + rest)[:count]


@dataclass
class QueueDriver:
    """The provisioning queue's passes and the carrier outage."""

    queue: ProvisioningService
    carrier: SimulatedCarrier
    passes: int = 0
    sent: int = 0
    retries: int = 0
    duplicates: int = 0
    offline_passes: int = 0
    offline_left: int = 0
    came_back: Callable[[], None] | None = None

    def go_offline(self, passes: int, came_back: Callable[[], None]) -> None:
        self.carrier.test_controls().go_offline()
        self.offline_left, self.came_back = passes, came_back

    def run(self) -> PassReport:
        self.passes += 1
        r = self.queue.run_once()
        self.sent, self.retries, self.duplicates = self.sent + r.sent, self.retries + r.retried, \
            self.duplicates + r.duplicates
        if self.offline_left:
            self.offline_passes += 1
            self.offline_left -= 1
            if not self.offline_left and self.came_back is not None:
                self.came_back()
                self.carrier.test_controls().go_online()
        return r

    @property
    def busy(self) -> bool:
        """Requests still to send or waiting for their answer (asked now: a resubmitted port counts), or the
        outage still on."""
        queued, awaiting = self.queue.counts()
        return bool(queued or awaiting or self.offline_left)


@dataclass
class Run:
    counter: Counter
    driver: QueueDriver
    kinds: Tally[str] = field(default_factory=Tally)
    pending_at_return: list[object] = field(default_factory=list)

    def one_pass(self) -> int:
        """One queue pass, then the rejected ports fixed and resubmitted (returns how many: queued anew)."""
        self.driver.run()
        return self.counter.ports.fix_rejected(self.counter.services, self.counter.rep)

    def order(self, kind: ActivationKind) -> None:
        found = pick_account(self.counter, kind) if kind in EXISTING_ACCOUNT_KINDS else None
        waited = 0
        while kind in EXISTING_ACCOUNT_KINDS and found is None and self.driver.busy and waited < MAX_WAIT_PASSES:
            self.one_pass()  # the customer comes back once the carrier has activated their line
            waited += 1
            found = pick_account(self.counter, kind)
        if found is None and kind in EXISTING_ACCOUNT_KINDS and kind is not ActivationKind.BYOD:
            kind = ActivationKind.NEW_ACCOUNT  # nobody can come back yet: a new customer instead
        run_order(self.counter, kind, found)
        self.kinds[kind.value] += 1

    def note_pending(self) -> None:
        """The carrier link is back: which of this run's lines are still queued (pending, never shown as done)."""
        self.pending_at_return = list(_statuses(self.counter, LineActivationStatus.QUEUED))

    def drain(self) -> None:
        for _ in range(MAX_DRAIN_PASSES):
            resubmitted = self.one_pass()
            if not (resubmitted or self.driver.busy or self.counter.ports.fixes):
                return


def _statuses(c: Counter, status: LineActivationStatus | None = None) -> dict[object, LineActivationStatus]:
    with c.services.uow.read() as s:
        rows = s.execute(select(ActivationLine.id, ActivationLine.status)
                         .where(ActivationLine.id.in_(c.line_ids))).all()
    return {i: st for i, st in rows if status is None or st is status}


def _held(c: Counter) -> int:
    with c.services.uow.read() as s:
        return len(set(s.scalars(select(ProvisioningEvent.activation_line_id).where(
            ProvisioningEvent.activation_line_id.in_(c.line_ids),
            ProvisioningEvent.kind.in_((ProvisioningEventKind.ON_HOLD, ProvisioningEventKind.HELD))))))


def _counter(services: Services, rng: random.Random, count: int, pins_seen: list[str] | None) -> Counter:
    rep = sim_rep(services)
    with contextlib.suppress(ValidationError):  # already open: keep using it
        services.register.drawer.open_session(rep, float_cents=20_000)
    phones = ensure_catalog(services)
    ids = Identifiers.load(services, rng)
    restock(services, rep, ids, phones, need=count)
    ports = PortDesk.open(services, rng, pins_seen=pins_seen)
    free = seed_pool(services, SYSTEM_ACTOR, count, listed=frozenset(e.msisdn for e in ports.registry))
    if free < count:
        raise SimulationRefused(f"Only {free} numbers are left in the simulated pool range (555-0100..0199 of "
                                f"{', '.join(POOL_AREAS)}) for {count} orders: use a smaller --count or a fresh "
                                "--data-dir.")
    return Counter(services, rep, rng, ids, phones, sold_plans(), in_stock(services), ports)


def _queue(services: Services) -> tuple[ProvisioningService, SimulatedCarrier]:
    """The real queue service over a carrier simulator that answers at once (one step per poll), with its
    backoff compressed to one pass."""
    s = services.core.settings
    carrier = SimulatedCarrier(delay_s=0.0)
    pins = KeyringTransferPins(ids=lambda: (s.store_id, s.terminal_id))
    return ProvisioningService(uow=services.uow, carrier=carrier, sms=services.sms, pins=pins, backoff_base_s=0.0,
                               backoff_cap_s=0.0), carrier


def simulate_activations(services: Services, *, count: int, seed: int, progress: Callable[[int], None] | None = None,
                         pins_seen: list[str] | None = None) -> ActivationSimReport:
    """``pins_seen`` (tests): receives every transfer PIN typed, to scan the data folder for them."""
    require_training(services)
    if count < 1:
        raise ValidationError("--count must be at least 1")
    rng = random.Random(seed)
    queue, carrier = _queue(services)
    run = Run(_counter(services, rng, count, pins_seen), QueueDriver(queue, carrier))
    codes = [0]

    def on_event(event: Event) -> None:
        codes[0] += isinstance(event, EsimCodeReady)  # counted, never kept

    unsubscribe = services.core.events.subscribe(on_event)
    try:
        offline_at = min(count - 1, max(5, count * 2 // 5))
        for i, kind in enumerate(plan_kinds(count, rng)):
            run.order(kind)
            if i == offline_at:
                run.driver.go_offline(min(OFFLINE_PASSES[1], max(OFFLINE_PASSES[0], count // 10)), run.note_pending)
            if i in (2, count - 2) and not run.driver.offline_left:
                carrier.test_controls().time_out_next_submit()  # the carrier gets it; its answer is lost
            run.one_pass()
            if progress:
                progress(i + 1)
        run.drain()
    finally:
        unsubscribe()
    return _report(run, count, codes[0])


def _report(run: Run, count: int, codes: int) -> ActivationSimReport:
    c, d = run.counter, run.driver
    final = _statuses(c)
    resubmitted = c.ports.resubmitted_ids
    return ActivationSimReport(
        orders=count, by_kind=dict(sorted(run.kinds.items())),
        lines=dict(sorted(Tally(st.value for st in final.values()).items())), esim_lines=c.esim_lines,
        esim_codes_shown=codes, eip_upgrades=c.eip_upgrades, ports=c.ports.ports,
        ports_typed_wrong=c.ports.typed_wrong, rejected_resubmitted=c.ports.resubmitted,
        resubmitted_active=sum(final.get(i) is LineActivationStatus.ACTIVE for i in resubmitted),
        went_on_hold=_held(c), offline_passes=d.offline_passes, pending_while_offline=len(run.pending_at_return),
        sent_after_offline=sum(final.get(i) is not LineActivationStatus.QUEUED for i in run.pending_at_return),
        requests_sent=d.sent, retries=d.retries, duplicates=d.duplicates, passes=d.passes,
        port_ins_skipped_no_keyring=c.ports.skipped_no_keyring)


def summary_text(r: ActivationSimReport) -> str:
    kinds = ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in r.by_kind.items())
    lines = ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in r.lines.items())
    text = [f"Simulated {r.orders} activation orders through the real services (CARRIER SIMULATOR, card terminal "
            f"SIMULATOR; training mode): {kinds}.",
            f"Lines: {lines}. eSIM lines {r.esim_lines} (codes shown on the customer window only: "
            f"{r.esim_codes_shown}); EIP upgrades {r.eip_upgrades}.",
            f"Port-ins {r.ports}: {r.ports_typed_wrong} typed with a wrong detail, {r.rejected_resubmitted} rejected "
            f"-> fixed and resubmitted ({r.resubmitted_active} now active); lines that went on hold "
            f"{r.went_on_hold}.",
            f"Carrier offline for {r.offline_passes} queue passes: {r.pending_while_offline} paid lines waited as "
            f"pending, {r.sent_after_offline} sent once it was back.",
            f"Queue: {r.passes} passes, {r.requests_sent} requests sent, {r.retries} retries, {r.duplicates} "
            "duplicates (same request id: activated once)."]
    if r.port_ins_skipped_no_keyring:
        text.append("No OS keyring on this machine: transfer PINs cannot be held, so port-ins were replaced by pool "
                    "numbers.")
    return "\n".join(text)
