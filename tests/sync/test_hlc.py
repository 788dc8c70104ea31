from __future__ import annotations

from posapp.sync.hlc import HybridLogicalClock, Stamp


def test_stamps_are_strictly_increasing_even_when_the_wall_clock_stalls_or_goes_back() -> None:
    wall = iter([1000, 1000, 999, 500, 1001, 1001])
    clock = HybridLogicalClock("S1-T1", wall_ms=lambda: next(wall))
    stamps = [clock.now() for _ in range(6)]
    assert stamps == sorted(stamps) and len(set(stamps)) == 6
    assert [str(s) for s in stamps] == sorted(str(s) for s in stamps), "text order is clock order"


def test_observing_a_remote_stamp_from_the_future_moves_past_it() -> None:
    clock = HybridLogicalClock("S1-T1", wall_ms=lambda: 1000)
    remote = Stamp(5000, 7, "S2-T9")
    after = clock.observe(remote)
    assert after > remote and clock.now() > after


def test_stamp_text_round_trip_and_restart_continues_after_last() -> None:
    s = Stamp(1_700_000_000_000, 3, "S001-T01")
    assert Stamp.parse(str(s)) == s
    clock = HybridLogicalClock("S001-T01", wall_ms=lambda: 1_600_000_000_000, last=s)
    assert clock.now() > s
