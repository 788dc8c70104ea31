"""Test-suite wide set-up (qutebrowser style): Qt offscreen, the automatic ``gui`` marker, shared fixtures.

Shared fixtures live in ``tests/helpers/`` and are registered here as a pytest plugin.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

# Before anything imports Qt: no screen is needed for the tests (CI has none).
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

pytest_plugins = ["tests.helpers.fixtures", "tests.helpers.accounts"]

_UI_TESTS = Path(__file__).parent / "ui"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Every test under tests/ui/ is a ``gui`` test, so ``-m "not gui"`` is the fast lane."""
    for item in items:
        if item.path.is_relative_to(_UI_TESTS):
            item.add_marker(pytest.mark.gui)
