"""Test-suite wide set-up (qutebrowser style): Qt offscreen, the automatic ``gui`` marker, shared fixtures,
the hypothesis profiles.

Shared fixtures live in ``tests/helpers/`` and are registered here as a pytest plugin.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from tests.helpers.env import in_ci
from tests.helpers.scale import SCALE_ENV, scale, soaking

# Before anything imports Qt: no screen is needed for the tests (CI has none).
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

# tmp_path and tmp_path_factory folders in RAM (/dev/shm, tmpfs) where there is one: the tests commit tens of
# thousands of small SQLite transactions (synchronous=FULL, an fsync each: ~5 ms on this machine's disk, far more
# while other jobs write) and what is under test is the code, not the disk. PYTEST_DEBUG_TEMPROOT is pytest's own
# setting for the root of its temporary folders ("pytest-of-<user>/pytest-N", the last 3 kept); set it yourself
# (or pass --basetemp) to put them elsewhere. Only failed tests' folders are kept (pyproject.toml).
_RAM = Path("/dev/shm")
if "PYTEST_DEBUG_TEMPROOT" not in os.environ and _RAM.is_dir() and os.access(_RAM, os.W_OK):
    os.environ["PYTEST_DEBUG_TEMPROOT"] = str(_RAM)

pytest_plugins = ["tests.helpers.fixtures", "tests.helpers.accounts"]

_UI_TESTS = Path(__file__).parent / "ui"

# Hypothesis profiles. "ci" (loaded under CI=true): the same examples on every run (a red CI run reproduces),
# no example database, no deadline or too-slow health check (CI shares its 2 cores). "soak" (loaded when
# POSAPP_TEST_SCALE > 1, `make soak`): new random examples, POSAPP_TEST_SCALE times hypothesis' default count;
# the properties that set their own max_examples scale it with tests.helpers.scale.scaled().
settings.register_profile("ci", derandomize=True, database=None, deadline=None, print_blob=True,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("soak", max_examples=100 * scale(), deadline=None, print_blob=True,
                          suppress_health_check=[HealthCheck.too_slow])
if soaking():
    settings.load_profile("soak")
elif in_ci():
    settings.load_profile("ci")


def pytest_report_header(config: pytest.Config) -> str:
    """The scale of the randomized runs and the hypothesis profile in force."""
    return f"{SCALE_ENV}={scale()}, hypothesis profile {settings.get_current_profile_name()!r}"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Every test under tests/ui/ is a ``gui`` test, so ``-m "not gui"`` is the fast lane; every hypothesis
    property is a ``soak`` test, so ``make soak`` (``-m soak``) runs it with the soak profile."""
    for item in items:
        if item.path.is_relative_to(_UI_TESTS):
            item.add_marker(pytest.mark.gui)
        if isinstance(item, pytest.Function) and getattr(item.obj, "is_hypothesis_test", False):
            item.add_marker(pytest.mark.soak)
