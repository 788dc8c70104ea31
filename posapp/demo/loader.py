"""``posapp-admin demo``: load deterministic, realistic demo data (rows that "came from head office").

* Demo employees are added through the real, audited :class:`~posapp.services.employees.EmployeeService`.
* Everything else is one bulk SQLite transaction (:mod:`posapp.demo.bulk`) that ends with a single audit event
  ``demo.load`` carrying the counts. Demo rows are not put in the sync outbox: head office already has them.
* Loading twice is refused (:class:`DemoAlreadyLoaded`): the demo needs empty customer tables. A load that
  fails midway leaves nothing of the bulk load behind; the demo employees, if already added, are reused by
  the next attempt (same number, name, role and PIN).
* Same ``seed``, ``customers``, ``history_share`` and ``as_of`` give the same rows, ids included. Employee rows
  and audit events are made by the real services (wall-clock ids and times), so they differ between loads.
* DEMO ONLY: account PINs come from a small pool (:data:`DEMO_ACCOUNT_PINS`), each hashed once with scrypt and
  the hash and salt shared by every account that uses it. Hashing a million PINs would take hours; real
  accounts always get their own salt.
"""

from __future__ import annotations

import gc
import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import select

from posapp.db.models import AuditEvent, Customer, Employee
from posapp.demo import pipeline
from posapp.demo.bulk import BulkWriter, bulk_transaction
from posapp.demo.catalog import MODEL_SQL, PLAN_SQL, load_models, load_plans, model_rows, plan_rows
from posapp.demo.generator import MAX_CUSTOMERS
from posapp.demo.params import DemoParams
from posapp.demo.publish import mark_pending
from posapp.domain.enums import Role
from posapp.errors import ValidationError
from posapp.events import DataChanged
from posapp.security.pins import DEFAULT_PARAMS, hash_pin, verify_pin
from posapp.services.dto import SYSTEM_ACTOR
from posapp.services.registry import Services
from posapp.services.uow import Tx

Progress = Callable[[str, int, int], None]
PARALLEL_FROM = 50_000  # customers; below this a worker process costs more than it saves

# 6 digits, no runs or repeats, never the start or end of a demo number (+1 NPA 555 XXXX), never a valid
# date (so never a date of birth). Shown in the README; never use such a pool for real accounts.
DEMO_ACCOUNT_PINS: tuple[str, ...] = ("482916", "730154", "629847", "947261", "368072", "851394", "417093",
                                      "395862")


@dataclass(frozen=True)
class DemoEmployee:
    number: str
    name: str
    role: Role
    pin: str


# The same numbers and PINs as tests/helpers/staff.py and the README.
DEMO_EMPLOYEES: tuple[DemoEmployee, ...] = (
    DemoEmployee("1001", "Riley Rivera", Role.REP, "2580"),
    DemoEmployee("1002", "Jordan Lee", Role.REP, "1470"),
    DemoEmployee("1003", "Sam Patel", Role.REP, "8024"),
    DemoEmployee("1004", "Taylor Nguyen", Role.REP, "7315"),
    DemoEmployee("2001", "Morgan Brooks", Role.MANAGER, "3691"),
    DemoEmployee("9001", "Alex Kim", Role.ADMIN, "4826"),
)


@dataclass(frozen=True)
class DemoReport:
    counts: dict[str, int]
    seconds: float
    customers: int
    seed: int
    as_of: date
    employees: tuple[DemoEmployee, ...]
    account_pins: tuple[str, ...] = DEMO_ACCOUNT_PINS

    @property
    def customers_per_second(self) -> float:
        return self.customers / self.seconds if self.seconds else 0.0


class DemoAlreadyLoaded(ValidationError):
    """The database already holds demo data (or other customers)."""


def _demo_pins(seed: int) -> tuple[tuple[str, bytes, bytes, str], ...]:
    """Each demo PIN hashed once, with a salt derived from the seed (so loads are reproducible)."""
    out = []
    for pin in DEMO_ACCOUNT_PINS:
        salt = hashlib.sha256(f"posapp-demo-account-pin:{seed}:{pin}".encode()).digest()[:16]
        digest, salt, params = hash_pin(pin, salt=salt, params=DEFAULT_PARAMS)
        out.append((pin, digest, salt, params))
    return tuple(out)


def _check_not_loaded(services: Services) -> None:
    with services.uow.read() as s:
        if s.scalar(select(AuditEvent.seq).where(AuditEvent.action == "demo.load").limit(1)) is not None:
            raise DemoAlreadyLoaded("Demo data is already loaded in this database; "
                                    "use another data directory for a fresh demo.")
        if s.scalar(select(Customer.id).limit(1)) is not None:
            raise DemoAlreadyLoaded("This database already has customers; demo data loads only into an "
                                    "empty database.")


def _ensure_employees(services: Services) -> tuple[list[str], tuple[DemoEmployee, ...]]:
    """Add the demo employees (audited); reuse one left by an earlier, failed attempt. Returns the ids of the
    reps and the manager (who open the demo cases) and the employees."""
    staff: list[str] = []
    for demo in DEMO_EMPLOYEES:
        with services.uow.read() as s:
            row = s.scalar(select(Employee).where(Employee.number == demo.number))
        if row is None:
            dto = services.employees.add(SYSTEM_ACTOR, number=demo.number, name=demo.name, role=demo.role,
                                         pin=demo.pin)
            emp_id = dto.id
        elif row.name == demo.name and row.role == demo.role and verify_pin(
                demo.pin, pin_hash=row.pin_hash, salt=row.pin_salt, params=row.pin_params):
            emp_id = row.id
        else:
            raise ValidationError(f"Employee number {demo.number} is already used by someone else; "
                                  "demo data needs the demo employee numbers free.")
        if demo.role in (Role.REP, Role.MANAGER):
            staff.append(emp_id.hex)
    return staff, DEMO_EMPLOYEES


def load_demo(services: Services, *, customers: int, seed: int, history_share: float = 0.10,
              progress: Progress | None = None, as_of: date | None = None,
              parallel: bool | None = None) -> DemoReport:
    """Load ``customers`` demo customers with their accounts, lines, devices and EIP agreements, and bills,
    payments, AutoPay and interactions for ``history_share`` of the accounts. ``as_of`` is the demo's
    "today" (default: today, UTC); ``parallel`` forces generation in a worker process on or off."""
    if not 1 <= customers <= MAX_CUSTOMERS:
        raise ValidationError(f"Demo customers must be between 1 and {MAX_CUSTOMERS:,}.")
    if not 0.0 <= history_share <= 1.0:
        raise ValidationError("The history share must be between 0 and 1.")
    report: Progress = progress or (lambda phase, done, total: None)
    started = time.perf_counter()
    as_of = as_of or datetime.now(UTC).date()
    _check_not_loaded(services)
    report("employees", 0, len(DEMO_EMPLOYEES))
    staff, employees = _ensure_employees(services)
    report("employees", len(DEMO_EMPLOYEES), len(DEMO_EMPLOYEES))
    settings = services.core.settings
    plans, models = load_plans(), load_models()
    params = DemoParams(seed=seed, customers=customers, as_of=as_of, store_id=settings.store_id,
                        case_prefix=f"{settings.store_id}-{settings.terminal_id}-", history_share=history_share,
                        employees=tuple(staff), pins=_demo_pins(seed), plans=plans, models=models)
    use_worker = customers >= PARALLEL_FROM if parallel is None else parallel
    with bulk_transaction(services.core.db) as (session, raw):
        writer = BulkWriter(raw)
        if not writer.is_empty():
            raise DemoAlreadyLoaded("This database already has customer data; demo data loads only into an "
                                    "empty database.")
        raw.executemany(PLAN_SQL, plan_rows(plans))
        raw.executemany(MODEL_SQL, model_rows(models))
        saved = writer.drop_indexes()
        fts, triggers = writer.suspend_fts()
        report("customers", 0, customers)
        collecting = gc.isenabled()
        gc.disable()  # millions of short-lived row tuples and no cycles: the cyclic collector only costs time
        try:
            for chunk in pipeline.chunks(params, parallel=use_worker):
                writer.insert(chunk.rows)
                report("customers", chunk.customers_done, customers)
        finally:
            if collecting:
                gc.enable()
        writer.create_indexes(saved, lambda done, total: report("indexes", done, total), fts=fts,
                              triggers=triggers)
        counts = dict(writer.counts)
        tx = Tx(session, services.core, SYSTEM_ACTOR, None)
        tx.audit("demo.load", entity="demo", entity_id=f"seed-{seed}", details={
            "customers": customers, "seed": seed, "history_share": history_share, "as_of": as_of.isoformat(),
            "counts": counts})
        mark_pending(raw, store_id=settings.store_id, customers=customers, seed=seed)  # -> posapp.demo.publish
        report("commit", 0, 1)
    report("commit", 1, 1)
    services.core.events.publish(DataChanged(frozenset(counts) | {"audit_event", "plan", "device_model"}, 1))
    return DemoReport(counts=counts, seconds=time.perf_counter() - started, customers=customers, seed=seed,
                      as_of=as_of, employees=employees)
