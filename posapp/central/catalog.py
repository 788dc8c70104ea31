"""The chain-wide catalog head office loads into the central store (shared rows every terminal pulls)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from posapp.catalog import load_accessories, load_models, load_plans


def catalog_rows(folder: Path | None = None) -> dict[str, list[dict[str, Any]]]:
    """Plans, device models and accessories from ``resources/data`` (or ``folder``), as local table columns."""
    plans = [{"code": p.code, "name": p.name, "kind": p.kind, "monthly_cents": p.monthly_cents,
              "data_gb": p.data_gb, "hotspot_gb": p.hotspot_gb, "active": p.active} for p in load_plans(folder)]
    models = [{"code": m.code, "make": m.make, "model": m.model, "storage_gb": m.storage_gb,
               "retail_cents": m.retail_cents, "tac": m.tac, "esim_capable": m.esim_capable, "upc": m.upc}
              for m in load_models(folder)]
    accessories = [{"upc": a["upc"], "sku": a["sku"], "name": a["name"], "price_cents": int(a["price_cents"]),
                    "active": bool(a.get("active", True))} for a in load_accessories(folder)]
    return {"plan": plans, "device_model": models, "accessory": accessories}
