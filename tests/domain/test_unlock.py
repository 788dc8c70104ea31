"""Unlock eligibility: every condition failing alone, prepaid rules, the military exception, settings, deadline."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from posapp.config import settings_from_values
from posapp.domain.enums import PlanKind
from posapp.domain.unlock import UnlockFacts, UnlockPolicy, check_unlock, response_deadline
from posapp.services.unlock import unlock_policy

POLICY = UnlockPolicy()
POSTPAID_OK = UnlockFacts(plan_kind=PlanKind.POSTPAID, sold_by_carrier=True, reported_lost_stolen_blocked=False,
                          good_standing=True, days_active=41, financing_balance_cents=0, used_on_line=True,
                          unlocks_last_12_months=0)
PREPAID_OK = replace(POSTPAID_OK, plan_kind=PlanKind.PREPAID, days_active=400, unlocks_last_12_months=1)
POSTPAID_NAMES = ["sold_by_carrier", "not_lost_stolen_blocked", "good_standing", "days_active", "financing_paid"]
PREPAID_NAMES = ["used_on_line", "not_lost_stolen_blocked", "days_active", "unlocks_per_year"]


def test_all_postpaid_conditions_pass() -> None:
    verdict = check_unlock(POSTPAID_OK, POLICY)
    assert verdict.eligible
    assert [c.name for c in verdict.conditions] == POSTPAID_NAMES
    assert all(c.passed for c in verdict.conditions)
    assert verdict.failed == ()


@pytest.mark.parametrize(("change", "name", "why"), [
    ({"sold_by_carrier": False}, "sold_by_carrier", "Device was not sold by the carrier"),
    ({"reported_lost_stolen_blocked": True}, "not_lost_stolen_blocked", "Device is reported lost, stolen or blocked"),
    ({"good_standing": False, "standing_detail": "account suspended"}, "good_standing",
     "Account not in good standing: account suspended"),
    ({"days_active": 23}, "days_active", "Active on this line 23 of 40 days; 17 days to go"),
    ({"financing_balance_cents": 31240}, "financing_paid", "Financing balance $312.40 must be paid in full"),
])
def test_each_postpaid_condition_failing_alone(change: dict[str, object], name: str, why: str) -> None:
    verdict = check_unlock(replace(POSTPAID_OK, **change), POLICY)  # type: ignore[arg-type]
    assert not verdict.eligible
    assert [c.name for c in verdict.conditions] == POSTPAID_NAMES  # every condition is still listed
    assert [c.name for c in verdict.failed] == [name]
    assert verdict.failed[0].why.startswith(why)


def test_every_failed_condition_is_listed_not_just_the_first() -> None:
    facts = replace(POSTPAID_OK, sold_by_carrier=False, days_active=3, financing_balance_cents=100)
    verdict = check_unlock(facts, POLICY)
    assert [c.name for c in verdict.failed] == ["sold_by_carrier", "days_active", "financing_paid"]
    assert [c.passed for c in verdict.conditions] == [False, True, True, False, False]


def test_day_count_boundary() -> None:
    assert check_unlock(replace(POSTPAID_OK, days_active=40), POLICY).eligible
    assert not check_unlock(replace(POSTPAID_OK, days_active=39), POLICY).eligible


def test_prepaid_rules() -> None:
    verdict = check_unlock(PREPAID_OK, POLICY)
    assert verdict.eligible and [c.name for c in verdict.conditions] == PREPAID_NAMES
    # postpaid-only conditions do not apply to prepaid: not sold by carrier, financing, standing
    assert check_unlock(replace(PREPAID_OK, sold_by_carrier=False, financing_balance_cents=5000,
                                good_standing=False), POLICY).eligible
    short = check_unlock(replace(PREPAID_OK, days_active=364), POLICY)
    assert [(c.name, c.why) for c in short.failed] == [("days_active", "Active on this line 364 of 365 days; "
                                                                       "1 day to go")]
    limit = check_unlock(replace(PREPAID_OK, unlocks_last_12_months=2), POLICY)
    assert [c.name for c in limit.failed] == ["unlocks_per_year"]
    assert "limit reached" in limit.failed[0].why
    unused = check_unlock(replace(PREPAID_OK, used_on_line=False), POLICY)
    assert [(c.name, c.why) for c in unused.failed] == [("used_on_line", "Device has not been used on this line")]
    lost = check_unlock(replace(PREPAID_OK, reported_lost_stolen_blocked=True), POLICY)
    assert [c.name for c in lost.failed] == ["not_lost_stolen_blocked"]


def test_military_exception_waives_only_the_day_counts() -> None:
    post = check_unlock(replace(POSTPAID_OK, days_active=5, military=True), POLICY)
    assert post.eligible
    days = post.conditions[3]
    assert days.passed and days.why == "Active on this line 5 of 40 days: waived (deployed military exception)"
    pre = check_unlock(replace(PREPAID_OK, days_active=10, military=True), POLICY)
    assert pre.eligible and "waived (deployed military exception)" in pre.conditions[2].why
    # nothing else is waived
    others = replace(POSTPAID_OK, military=True, days_active=5, financing_balance_cents=1,
                     reported_lost_stolen_blocked=True)
    assert [c.name for c in check_unlock(others, POLICY).failed] == ["not_lost_stolen_blocked", "financing_paid"]
    assert [c.name for c in check_unlock(replace(PREPAID_OK, military=True, unlocks_last_12_months=2),
                                         POLICY).failed] == ["unlocks_per_year"]
    # a count already met is not called waived
    assert "waived" not in check_unlock(replace(POSTPAID_OK, military=True), POLICY).conditions[3].why


def test_settings_change_the_limits() -> None:
    assert unlock_policy(settings_from_values({})) == UnlockPolicy(40, 365, 2)
    policy = unlock_policy(settings_from_values({"unlock_postpaid_days": "60", "unlock_prepaid_days": "180",
                                                 "unlock_prepaid_max_per_year": "3"}))
    assert policy == UnlockPolicy(60, 180, 3)
    post = check_unlock(replace(POSTPAID_OK, days_active=45), policy)
    assert not post.eligible and post.failed[0].why == "Active on this line 45 of 60 days; 15 days to go"
    assert check_unlock(replace(PREPAID_OK, days_active=200, unlocks_last_12_months=2), policy).eligible
    assert not check_unlock(replace(PREPAID_OK, unlocks_last_12_months=3), policy).eligible


LA = ZoneInfo("America/Los_Angeles")


@pytest.mark.parametrize(("requested", "due"), [
    (datetime(2026, 12, 1, 10, 0, tzinfo=LA), date(2026, 12, 3)),   # Tuesday -> Thursday
    (datetime(2026, 12, 3, 23, 0, tzinfo=LA), date(2026, 12, 7)),   # Thursday -> Monday (weekend skipped)
    (datetime(2026, 12, 4, 9, 0, tzinfo=LA), date(2026, 12, 8)),    # Friday -> Tuesday
    (datetime(2026, 12, 5, 12, 0, tzinfo=LA), date(2026, 12, 8)),   # Saturday -> Tuesday
    (datetime(2026, 12, 6, 12, 0, tzinfo=LA), date(2026, 12, 8)),   # Sunday -> Tuesday
])
def test_response_deadline_skips_weekends(requested: datetime, due: date) -> None:
    deadline = response_deadline(requested, LA)
    assert deadline.date() == due and deadline.tzinfo is LA
    assert (deadline.hour, deadline.minute) == (23, 59)


def test_response_deadline_skips_holidays_and_uses_the_store_day() -> None:
    christmas = date(2026, 12, 25)  # a Friday
    assert response_deadline(datetime(2026, 12, 24, 10, tzinfo=LA), LA, [christmas]).date() == date(2026, 12, 29)
    assert response_deadline(datetime(2026, 12, 24, 10, tzinfo=LA), LA).date() == date(2026, 12, 28)
    # 2026-12-04 03:00 UTC is still Thursday 12-03 in Seattle: due Monday, not Tuesday
    assert response_deadline(datetime(2026, 12, 4, 3, 0, tzinfo=UTC), LA).date() == date(2026, 12, 7)
    with pytest.raises(ValueError, match="aware"):
        response_deadline(datetime(2026, 12, 4, 3, 0), LA)
