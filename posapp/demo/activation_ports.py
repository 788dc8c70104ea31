"""The number of a simulated new line: a pool number, or a port-in. Ports of the numbers the carrier simulator's
old-carrier registry lists (``resources/data/simulated_old_carriers.json``) are first typed with one detail wrong
(account number, transfer PIN, or name/ZIP), so the carrier rejects them; once the rejection is in, the rep fixes
the details and resubmits (``resubmit_port_in``). The registry's held number is typed right and goes on hold
first. Other numbers port without checks. Transfer PINs go to the OS keyring through the service; the desk keeps
the corrected forms in memory only until they are resubmitted."""

from __future__ import annotations

import dataclasses
import random
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field

from sqlalchemy import select

from posapp.adapters.provisioning import OldCarrierEntry, load_old_carriers
from posapp.db.models import ActivationLine, Line, PoolNumber
from posapp.demo.activation_setup import PORT_AREAS, SimulationRefused
from posapp.domain.activation import OPEN_LINE_STATUSES, LineActivationStatus
from posapp.security.secrets import SecretStoreUnavailable
from posapp.services.activation.dto import ActivationDTO, PortInForm
from posapp.services.dto import Actor
from posapp.services.registry import Services

OTHER_CARRIERS = ("Evergreen Mobile", "Cascade Wireless", "Rainier Cellular", "Columbia Telecom")
MISTAKES = ("account", "pin", "zip")


def _pin(rng: random.Random) -> str:
    """A transfer PIN as long as the old carriers allow (15 digits), so a byte scan can look for it."""
    return f"{rng.randrange(10 ** 14, 10 ** 15)}"


@dataclass
class PortDesk:
    rng: random.Random
    registry: list[OldCarrierEntry]
    unlisted: Iterator[str]
    share: float = 0.3
    keyring: bool = True
    pins_seen: list[str] | None = None  # tests: every PIN typed (memory only)
    fixes: dict[uuid.UUID, PortInForm] = field(default_factory=dict, repr=False)
    ports: int = 0
    typed_wrong: int = 0
    resubmitted: int = 0
    resubmitted_ids: list[uuid.UUID] = field(default_factory=list)
    skipped_no_keyring: int = 0
    _mistake: int = 0

    @classmethod
    def open(cls, services: Services, rng: random.Random, *, share: float = 0.3,
             pins_seen: list[str] | None = None) -> PortDesk:
        """The registry's numbers and the unlisted ones that are not lines, pool numbers or open orders here."""
        with services.uow.read() as s:
            used = set(s.scalars(select(Line.msisdn))) | set(s.scalars(select(PoolNumber.msisdn)))
            used |= {m for m in s.scalars(select(ActivationLine.msisdn).where(
                ActivationLine.status.in_(OPEN_LINE_STATUSES))) if m}
        listed = [e for _, e in sorted(load_old_carriers().items()) if e.msisdn not in used]
        unlisted = (n for n in (f"+1{a}55501{i:02d}" for a in PORT_AREAS for i in range(100)) if n not in used)
        return cls(rng, listed, unlisted, share=share, pins_seen=pins_seen)

    def number(self, services: Services, rep: Actor, act: ActivationDTO, who_name: str) -> ActivationDTO:
        """The run's first new line ports its number (so every run shows a rejection and its resubmission); then
        a share of the new lines do."""
        if self.keyring and (self.ports == 0 or self.rng.random() < self.share):
            try:
                return self._port(services, rep, act, who_name)
            except SecretStoreUnavailable:  # no OS keyring here: transfer PINs cannot be held, so no port-ins
                self.keyring = False
                self.skipped_no_keyring += 1
        free = services.activation.pool_numbers(limit=1)
        if not free:
            raise SimulationRefused("The store's number pool is used up; add numbers (head office) first.")
        return services.activation.pick_number(rep, act.id, 1, free[0].msisdn)

    def _port(self, services: Services, rep: Actor, act: ActivationDTO, who_name: str) -> ActivationDTO:
        entry = self.registry[0] if self.registry else None
        if entry is not None:
            right = PortInForm(msisdn=entry.msisdn, old_carrier=entry.old_carrier,
                               old_account_number=entry.account_number, transfer_pin=entry.pin, name=entry.name,
                               billing_zip=entry.zip)
            first = right if entry.hold_code else self._wrong(right)
        else:
            right = PortInForm(msisdn=next(self.unlisted), old_carrier=self.rng.choice(OTHER_CARRIERS),
                               old_account_number=f"AC{self.rng.randrange(10 ** 7, 10 ** 8)}",
                               transfer_pin=_pin(self.rng), name=who_name, billing_zip="98101")
            first = right
        self._seen(first)
        act = services.activation.set_port_in(rep, act.id, 1, first)
        if entry is not None:
            self.registry.pop(0)
        self.ports += 1
        if first is not right:
            self.typed_wrong += 1
            self.fixes[act.lines[0].id] = right
            self._seen(right)
        return act

    def _wrong(self, right: PortInForm) -> PortInForm:
        mistake = MISTAKES[self._mistake % len(MISTAKES)]
        self._mistake += 1
        if mistake == "account":
            return dataclasses.replace(right, old_account_number=right.old_account_number + "7")
        if mistake == "pin":
            return dataclasses.replace(right, transfer_pin=_pin(self.rng))
        return dataclasses.replace(right, billing_zip="98000" if right.billing_zip != "98000" else "98001")

    def _seen(self, form: PortInForm) -> None:
        if self.pins_seen is not None:
            self.pins_seen.append(form.transfer_pin)

    def fix_rejected(self, services: Services, rep: Actor) -> int:
        """Resubmit, with the right details, each port the carrier rejected; returns how many."""
        if not self.fixes:
            return 0
        with services.uow.read() as s:
            rejected = [i for i in self.fixes if s.scalar(select(ActivationLine.status).where(
                ActivationLine.id == i)) is LineActivationStatus.REJECTED]
        for line_id in rejected:
            services.activation.resubmit_port_in(rep, line_id, self.fixes.pop(line_id))
            self.resubmitted += 1
            self.resubmitted_ids.append(line_id)
        return len(rejected)
