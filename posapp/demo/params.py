"""The demo generator's parameters, in a module of their own so the generator and the account history (which
both read them) do not import each other."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from posapp.catalog import ModelInfo, PlanInfo


@dataclass(frozen=True)
class DemoParams:
    """Everything the generator needs; picklable, so a worker process can build the same generator."""

    seed: int
    customers: int
    as_of: date
    store_id: str
    case_prefix: str  # STORE-TERMINAL- of the demo case numbers
    history_share: float
    employees: tuple[str, ...]  # hex ids of the employees who opened the demo cases
    pins: tuple[tuple[str, bytes, bytes, str], ...]  # (PIN, hash, salt, params): the demo account PIN pool
    plans: tuple[PlanInfo, ...]
    models: tuple[ModelInfo, ...]
    chunk_accounts: int = 4000
