"""The head-office catalogs in ``resources/data``: rate plans and device models."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

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


def load_models(folder: Path | None = None) -> tuple[ModelInfo, ...]:
    return tuple(ModelInfo(code=m["code"], make=m["make"], model=m["model"], storage_gb=int(m["storage_gb"]),
                           retail_cents=int(m["retail_cents"]), tac=m["tac"], esim_capable=bool(m["esim_capable"]),
                           upc=m.get("upc"), category=m.get("category", "phone"))
                 for m in _data_file("device_models.json", folder)["models"])


PLAN_SQL = ("INSERT OR IGNORE INTO plan (code, name, kind, monthly_cents, data_gb, hotspot_gb, active) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)")
MODEL_SQL = ("INSERT OR IGNORE INTO device_model (code, make, model, storage_gb, retail_cents, tac, esim_capable, "
             "upc) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")


def plan_rows(plans: tuple[PlanInfo, ...]) -> list[tuple[object, ...]]:
    return [(p.code, p.name, p.kind, p.monthly_cents, p.data_gb, p.hotspot_gb, int(p.active)) for p in plans]


def model_rows(models: tuple[ModelInfo, ...]) -> list[tuple[object, ...]]:
    return [(m.code, m.make, m.model, m.storage_gb, m.retail_cents, m.tac, int(m.esim_capable), m.upc)
            for m in models]
