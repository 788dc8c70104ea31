"""The block list adapter: a labelled, deterministic simulator (its data file's IMEIs blocked, offline answers
unknown) only in training mode; "none" refuses plainly."""

from __future__ import annotations

import dataclasses

import pytest

from posapp.adapters.block_list import BlockResult, SimulatedBlockList, load_entries
from posapp.adapters.controls import AdapterInfo
from posapp.adapters.factory import REFUSED_SIMULATOR, build_block_list
from posapp.adapters.unconfigured import DeviceNotConfigured, NoBlockList
from posapp.config import Settings
from posapp.domain.identifiers import imei_from_parts, imei_is_valid


def test_simulator_blocks_exactly_its_listed_imeis_and_goes_offline() -> None:
    sim = build_block_list(Settings())
    assert isinstance(sim, SimulatedBlockList) and isinstance(sim, AdapterInfo)
    assert sim.is_simulator and sim.configured and "SIMULATOR" in sim.label
    listed = load_entries()
    assert listed and all(imei_is_valid(i) for i in listed)
    for imei, reason in listed.items():
        assert sim.check(imei) == BlockResult("blocked", reason)
    assert sim.check(imei_from_parts("35390642", 1)) == BlockResult("clear")
    controls = sim.test_controls()
    assert controls.blocked_imeis() == tuple(sorted(listed))
    controls.set_offline(True)
    assert sim.check(next(iter(listed))).status == "unknown"


def test_none_and_a_refused_simulator_are_not_configured() -> None:
    none = build_block_list(dataclasses.replace(Settings(), block_list="none"))
    assert isinstance(none, NoBlockList) and not none.configured
    with pytest.raises(DeviceNotConfigured, match="block_list"):
        none.check("353906429000012")
    refused = build_block_list(dataclasses.replace(Settings(), training_mode=False))
    assert isinstance(refused, NoBlockList) and refused.reason == REFUSED_SIMULATOR
