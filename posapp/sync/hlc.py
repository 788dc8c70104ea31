"""Moved to :mod:`posapp.hlc` (a bottom-layer module: posapp.core builds the clock). Kept for old imports."""

from posapp.hlc import HybridLogicalClock, Stamp

__all__ = ["HybridLogicalClock", "Stamp"]
