"""Register data files (tax rules, restocking fees, accessory catalog) and stocking the catalog tables."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

from posapp.domain.tax import Category, TaxRule, parse_rules, rule_for
from posapp.paths import resources_dir


def _read(folder: Path | None, name: str) -> Any:
    with ((folder or resources_dir() / "data") / name).open(encoding="utf-8") as f:
        return json.load(f)


@dataclass(frozen=True)
class RegisterData:
    rules: Mapping[str, TaxRule]
    restocking_cents: Mapping[Category, int]
    accessories: tuple[Mapping[str, Any], ...]

    @classmethod
    def load(cls, folder: Path | None = None) -> RegisterData:
        fees = _read(folder, "restocking_fees.json")["fees"]
        return cls(rules=parse_rules(_read(folder, "tax_rules.json")),
                   restocking_cents={Category(k): int(v) for k, v in fees.items()},
                   accessories=tuple(_read(folder, "accessories.json")["accessories"]))

    def rule(self, jurisdiction: str) -> TaxRule:
        return rule_for(self.rules, jurisdiction)

    def restocking_fee(self, category: Category) -> int:
        return self.restocking_cents.get(category, 0)


def seed_catalog(session: Session, data: RegisterData, models: Iterable[tuple[object, ...]] = ()) -> None:
    """Insert the accessory catalog (and device models, rows as in posapp.demo.catalog.model_rows) if missing."""
    session.execute(text("INSERT OR IGNORE INTO accessory (upc, sku, name, price_cents, active) "
                         "VALUES (:upc, :sku, :name, :price_cents, 1)"),
                    [{k: a[k] for k in ("upc", "sku", "name", "price_cents")} for a in data.accessories])
    rows = [dict(zip(("code", "make", "model", "storage_gb", "retail_cents", "tac", "esim_capable", "upc"), m,
                     strict=True)) for m in models]
    if rows:
        session.execute(text(
            "INSERT OR IGNORE INTO device_model (code, make, model, storage_gb, retail_cents, tac, esim_capable, "
            "upc) VALUES (:code, :make, :model, :storage_gb, :retail_cents, :tac, :esim_capable, :upc)"), rows)
