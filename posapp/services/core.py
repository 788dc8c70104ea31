"""Moved to :mod:`posapp.core` (below services and sync, which both use it). Kept for old imports."""

from posapp.core import Core

__all__ = ["Core"]
