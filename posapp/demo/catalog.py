"""The demo loader's SQL rows for the catalog; the catalog itself (plans, device models) is :mod:`posapp.catalog`,
re-exported here for older imports."""

from __future__ import annotations

from posapp.catalog import ModelInfo, PlanInfo, load_models, load_plans

__all__ = ["MODEL_SQL", "PLAN_SQL", "ModelInfo", "PlanInfo", "load_models", "load_plans", "model_rows", "plan_rows"]


PLAN_SQL = ("INSERT OR IGNORE INTO plan (code, name, kind, monthly_cents, data_gb, hotspot_gb, active) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)")
MODEL_SQL = ("INSERT OR IGNORE INTO device_model (code, make, model, storage_gb, retail_cents, tac, esim_capable, "
             "upc) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")


def plan_rows(plans: tuple[PlanInfo, ...]) -> list[tuple[object, ...]]:
    return [(p.code, p.name, p.kind, p.monthly_cents, p.data_gb, p.hotspot_gb, int(p.active)) for p in plans]


def model_rows(models: tuple[ModelInfo, ...]) -> list[tuple[object, ...]]:
    return [(m.code, m.make, m.model, m.storage_gb, m.retail_cents, m.tac, int(m.esim_capable), m.upc)
            for m in models]
