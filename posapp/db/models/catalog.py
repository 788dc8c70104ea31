"""Shared catalogs: plans and device models (read-only at the terminal; maintained by head office)."""

from __future__ import annotations

from sqlalchemy import Boolean, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from posapp.db.models.base import Base, str_enum
from posapp.domain.enums import PlanKind


class Plan(Base):
    __tablename__ = "plan"
    code: Mapped[str] = mapped_column(String(20), primary_key=True)
    name: Mapped[str] = mapped_column(String(80))
    kind: Mapped[PlanKind] = mapped_column(str_enum(PlanKind))
    monthly_cents: Mapped[int] = mapped_column(Integer)
    data_gb: Mapped[int | None] = mapped_column(Integer)  # None = unlimited
    hotspot_gb: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class DeviceModel(Base):
    __tablename__ = "device_model"
    code: Mapped[str] = mapped_column(String(30), primary_key=True)
    make: Mapped[str] = mapped_column(String(40))
    model: Mapped[str] = mapped_column(String(80))
    storage_gb: Mapped[int] = mapped_column(Integer)
    retail_cents: Mapped[int] = mapped_column(Integer)
    tac: Mapped[str] = mapped_column(String(8), index=True)
    esim_capable: Mapped[bool] = mapped_column(Boolean, default=True)
    upc: Mapped[str | None] = mapped_column(String(14), unique=True)
