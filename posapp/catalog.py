"""The chain's catalog as shipped in ``resources/data``: plans, features, device models, accessories and the
trade-in grading rules and price table.

Read by the demo generator, the register's stock helpers and head office's central catalog alike, so it sits in
the bottom layer (it needs only :mod:`posapp.paths` and the pure :mod:`posapp.domain.tradein`).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from posapp.domain.tradein import GradingRules, PriceTable
from posapp.paths import resources_dir


@dataclass(frozen=True)
class PlanInfo:
    code: str
    name: str
    kind: str
    segment: str  # consumer, business or prepaid
    monthly_cents: int
    data_gb: int | None
    hotspot_gb: int
    active: bool


@dataclass(frozen=True)
class FeatureInfo:
    """An add-on a line may carry (``features.json``): ``kinds`` and ``segments`` name the plans that may add it."""

    code: str
    name: str
    monthly_cents: int
    kinds: frozenset[str]  # plan kinds: postpaid, prepaid
    segments: frozenset[str]  # plan segments: consumer, business, prepaid
    active: bool

    def allowed_on(self, plan: PlanInfo) -> bool:
        """May a line on ``plan`` add this feature (inactive features are never added)?"""
        return self.active and plan.kind in self.kinds and plan.segment in self.segments


@dataclass(frozen=True)
class ModelInfo:
    code: str
    make: str
    model: str
    storage_gb: int
    retail_cents: int
    tac: str
    esim_capable: bool
    upc: str | None
    category: str  # phone, tablet, watch or hotspot


def _data_file(name: str, folder: Path | None) -> Any:
    path = (folder or resources_dir() / "data") / name
    with path.open(encoding="utf-8") as f:
        return json.load(f)


def load_plans(folder: Path | None = None) -> tuple[PlanInfo, ...]:
    return tuple(PlanInfo(code=p["code"], name=p["name"], kind=p["kind"], segment=p["segment"],
                          monthly_cents=int(p["monthly_cents"]), data_gb=p["data_gb"],
                          hotspot_gb=int(p["hotspot_gb"]), active=bool(p["active"]))
                 for p in _data_file("plans.json", folder)["plans"])


def load_features(folder: Path | None = None) -> tuple[FeatureInfo, ...]:
    """The features catalog (``features.json``), in file order."""
    return tuple(FeatureInfo(code=f["code"], name=f["name"], monthly_cents=int(f["monthly_cents"]),
                             kinds=frozenset(f["kinds"]), segments=frozenset(f["segments"]),
                             active=bool(f["active"]))
                 for f in _data_file("features.json", folder)["features"])


def load_models(folder: Path | None = None) -> tuple[ModelInfo, ...]:
    return tuple(ModelInfo(code=m["code"], make=m["make"], model=m["model"], storage_gb=int(m["storage_gb"]),
                           retail_cents=int(m["retail_cents"]), tac=m["tac"], esim_capable=bool(m["esim_capable"]),
                           upc=m.get("upc"), category=m.get("category", "phone"))
                 for m in _data_file("device_models.json", folder)["models"])


def load_accessories(folder: Path | None = None) -> tuple[Mapping[str, Any], ...]:
    """The accessory catalog (``accessories.json``) as its raw records: upc, sku, name, price_cents, active."""
    return tuple(_data_file("accessories.json", folder)["accessories"])


def model_by_tac(tac: str, folder: Path | None = None) -> ModelInfo | None:
    """The catalog model with this TAC (the first by code when several share it), or None."""
    return min((m for m in load_models(folder) if m.tac == tac), key=lambda m: m.code, default=None)


def load_tradein_rules(folder: Path | None = None) -> GradingRules:
    """The trade-in grading rules (``tradein_grades.json``)."""
    return GradingRules.parse(_data_file("tradein_grades.json", folder))


def load_tradein_prices(folder: Path | None = None) -> PriceTable:
    """The dated trade-in price table (``tradein_prices.json``); refuses one whose grades are not A >= B >= C >= D."""
    return PriceTable.parse(_data_file("tradein_prices.json", folder))
