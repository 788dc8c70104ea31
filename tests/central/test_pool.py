"""Head office assigns numbers to a store's pool; only that store's terminals pull them (SQLite and PostgreSQL)."""

from __future__ import annotations

from pathlib import Path

import pytest

from posapp.central import pool as hq
from posapp.central.store import CentralStore
from posapp.errors import ValidationError
from posapp.services.activation import pool
from posapp.services.dto import SYSTEM_ACTOR
from posapp.services.registry import Services
from tests.sync.terminals import local_rows, open_terminal


def _url(central: CentralStore) -> str:
    return central.engine.url.render_as_string(hide_password=False)


def _pool(services: Services) -> dict[str, str]:
    return {str(r["msisdn"]): str(r["status"]) for r in local_rows(services.core, "pool_number").values()}


def test_numbers_normalised_refused_for_another_store_and_idempotent(central: CentralStore) -> None:
    first = hq.assign(central, "S1", ["(206) 555-0100", "206.555.0101", "+1 206 555 0100"])
    assert first.added == ("+12065550100", "+12065550101") and first.already == ()
    with pytest.raises(ValidationError, match=r"Assigned to another store: \+1 206-555-0101 \(store S1\)"):
        hq.assign(central, "S2", ["425 555 0100", "2065550101"])
    assert hq.listing(central, "S2") == []                                  # all or nothing
    again = hq.assign(central, "S1", ["2065550101", "2065550102"])
    assert again.added == ("+12065550102",) and again.already == ("+12065550101",)
    assert [r["msisdn"] for r in hq.listing(central, "S1")] == ["+12065550100", "+12065550101", "+12065550102"]
    assert {r["status"] for r in hq.listing(central, "S1")} == {"available"}
    with pytest.raises(ValidationError, match="'12345'"):
        hq.assign(central, "S1", ["12345"])


def test_number_range() -> None:
    assert hq.number_range("(425) 555-0198", "425-555-0201") == [
        "+14255550198", "+14255550199", "+14255550200", "+14255550201"]
    assert hq.number_range("4255550198", "4255550198") == ["+14255550198"]
    with pytest.raises(ValidationError, match="ends before it starts"):
        hq.number_range("4255550201", "4255550198")
    with pytest.raises(ValidationError, match="more than 10000"):
        hq.number_range("4255550000", "4255570000")
    with pytest.raises(ValidationError, match="not one range"):
        hq.number_range("4255550100", "+44 20 7946 0958")


def test_a_store_pulls_only_its_own_pool(tmp_path: Path, central: CentralStore) -> None:
    hq.assign(central, "S1", ["2065550100", "2065550101"])
    hq.assign(central, "S2", hq.number_range("4255550100", "4255550102"))
    s1 = open_terminal(tmp_path / "s1", "S1", "T01", central_url=_url(central))
    s2 = open_terminal(tmp_path / "s2", "S2", "T01", central_url=_url(central))
    try:
        assert s1.sync.run_now().ok and s2.sync.run_now().ok
        assert _pool(s1) == {"+12065550100": "available", "+12065550101": "available"}
        assert _pool(s2) == {"+14255550100": "available", "+14255550101": "available", "+14255550102": "available"}
        with s1.uow.read() as session:
            assert [p.msisdn for p in pool.available(session, "206")] == ["+12065550100", "+12065550101"]
        # numbers assigned later arrive with the next run; a number another store has, added here by hand,
        # is flagged at the centre (the pool_msisdn claim)
        hq.assign(central, "S1", ["2065550102"])
        with s1.uow.write(SYSTEM_ACTOR) as tx:
            pool.add_numbers(tx, ["4255550101"])
        report = s1.sync.run_now()
        assert report.ok and report.new_conflicts == 1, report
        assert set(_pool(s1)) == {"+12065550100", "+12065550101", "+12065550102", "+14255550101"}
        flagged = [c for c in s1.sync.conflicts() if c.kind == "uniqueness"]
        assert len(flagged) == 1 and flagged[0].entity == "pool_number" and "+14255550101" in flagged[0].detail
        assert flagged[0].summary == ("Number +1 425-555-0101 was added to this store's pool but is assigned to "
                                      "store S2: do not give it to a line; ask head office which store keeps it.")
        assert s1.sync.verify().ok and s2.sync.verify().ok
        assert s2.sync.run_now().ok and "+12065550102" not in _pool(s2)
    finally:
        s1.close()
        s2.close()


def test_a_number_added_here_and_by_head_office_never_wedges_sync(tmp_path: Path, central: CentralStore) -> None:
    t1 = open_terminal(tmp_path / "t1", "S1", "T01", central_url=_url(central))
    try:
        assert t1.sync.run_now().ok
        with t1.uow.write(SYSTEM_ACTOR) as tx:
            pool.add_numbers(tx, ["2065550100"])          # by hand at the counter, not yet synced
        hq.assign(central, "S1", ["2065550100", "2065550101"])   # and by head office (another row id)
        for _ in range(3):
            report = t1.sync.run_now()
            assert report.ok and not report.diverged and report.held == 1, report
        kinds = sorted(c.kind for c in t1.sync.conflicts())
        assert kinds == ["local_unique", "uniqueness"]
        assert _pool(t1) == {"+12065550100": "available", "+12065550101": "available"}
        assert t1.sync.verify().ok
    finally:
        t1.close()
