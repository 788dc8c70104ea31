from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from posapp.domain.account_rules import STEP_UP_ACTIONS, AccountAction, decide, level_for, pin_counts
from posapp.domain.enums import MemberRole, VerificationLevel

NOW = datetime(2026, 11, 22, tzinfo=UTC)


@pytest.mark.parametrize(("photo", "pin", "code", "counts", "level"), [
    (False, True, True, True, VerificationLevel.NONE),
    (True, False, False, True, VerificationLevel.NONE),
    (True, True, False, True, VerificationLevel.VERIFIED),
    (True, False, True, True, VerificationLevel.VERIFIED),
    (True, True, True, True, VerificationLevel.STEP_UP),
    (True, True, False, False, VerificationLevel.NONE),  # recent account: the PIN does not count
    (True, False, True, False, VerificationLevel.VERIFIED),
])
def test_levels(photo: bool, pin: bool, code: bool, counts: bool, level: VerificationLevel) -> None:
    assert level_for(photo_id=photo, pin=pin, code=code, pin_counts=counts) is level


def test_recent_opening_or_address_change_means_code_by_text_only() -> None:
    assert pin_counts(opened_at=NOW - timedelta(days=400), address_changed_at=None, now=NOW)
    assert not pin_counts(opened_at=NOW - timedelta(days=10), address_changed_at=None, now=NOW)
    assert not pin_counts(opened_at=NOW - timedelta(days=400), address_changed_at=NOW - timedelta(days=29), now=NOW)


@pytest.mark.parametrize("action", list(AccountAction))
@pytest.mark.parametrize("role", list(MemberRole))
def test_nothing_but_notes_without_verification_and_step_up_for_risky(action: AccountAction,
                                                                      role: MemberRole) -> None:
    unverified = decide(action, level=VerificationLevel.NONE, role=role)
    if action is not AccountAction.ADD_NOTE:
        assert not unverified.allowed and unverified.reason
    verified = decide(action, level=VerificationLevel.VERIFIED, role=role)
    if action in STEP_UP_ACTIONS:
        assert not verified.allowed
    step_up = decide(action, level=VerificationLevel.STEP_UP, role=role)
    if role in (MemberRole.NO_ACCESS, MemberRole.NON_VIEW):
        assert not step_up.allowed or action is AccountAction.ADD_NOTE
    if role is MemberRole.PRIMARY:
        assert step_up.allowed, "the primary holder may do everything once stepped up"


def test_only_the_primary_removes_protection_or_changes_the_pin() -> None:
    for action in (AccountAction.REMOVE_PROTECTION, AccountAction.CHANGE_PIN, AccountAction.PORT_OUT_PIN):
        assert not decide(action, level=VerificationLevel.STEP_UP, role=MemberRole.AUTHORIZED).allowed
        assert decide(action, level=VerificationLevel.STEP_UP, role=MemberRole.PRIMARY).allowed
