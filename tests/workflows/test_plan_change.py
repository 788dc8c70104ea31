"""The plan-change dialog's state object, without Qt: steps, allowed transitions, stale previews dropped."""

from __future__ import annotations

import uuid
from datetime import date

import pytest

from posapp.domain.proration import ChangeTiming, PlanPrice, preview_plan_change
from posapp.services.plan_change_dto import (
    FeatureOption,
    PlanChangeChoices,
    PlanChangePreview,
    PlanChangeResult,
    PlanOption,
)
from posapp.workflows.plan_change import ALLOWED, PlanChangeFlow, Refused, Step

LINE = uuid.UUID(int=7)
INTL = FeatureOption("INTL-CALL", "International calling", 1500)
HOT = FeatureOption("HOTSPOT-20", "Extra hotspot 20GB", 1000)


def _choices() -> PlanChangeChoices:
    return PlanChangeChoices(
        line_id=LINE, line_last4="0142", current_plan_code="P45", current_features=(),
        plans=(PlanOption("P45", "Talk 45", 4500, "consumer", (INTL,)),
               PlanOption("P60", "Unlimited 60", 6000, "consumer", (INTL, HOT))),
        cycle_start=date(2026, 11, 1), next_cycle=date(2026, 12, 1), scheduled=None)


def _preview(flow: PlanChangeFlow) -> PlanChangePreview:
    s = flow.selection
    proration = preview_plan_change(old=PlanPrice("Talk 45", 4500), new=PlanPrice("x", flow.plan().monthly_cents),
                                    day=10, timing=s.timing)
    return PlanChangePreview(LINE, "P45", "Talk 45", (), s.plan_code, flow.plan().name, s.features, s.timing,
                             date(2026, 11, 1), 10, date(2026, 12, 1), date(2026, 11, 10), proration)


def test_choose_preview_apply() -> None:
    flow = PlanChangeFlow(_choices())
    assert flow.step is Step.CHOOSING and flow.unchanged()
    assert "another plan" in flow.why_not_apply()
    seq = flow.select(plan_code="P60")
    assert flow.why_not_apply() == "Waiting for the preview..."
    with pytest.raises(Refused):
        flow.start_apply()
    assert flow.preview_arrived(seq, _preview(flow))
    assert flow.step is Step.PREVIEWED and flow.preview is not None
    assert (flow.preview.credit_cents, flow.preview.charge_cents) == (3000, 4000)
    chosen = flow.start_apply()
    assert flow.step is Step.APPLYING and chosen.plan_code == "P60"
    with pytest.raises(Refused, match="being applied"):
        flow.select(plan_code="P45")
    flow.applied(PlanChangeResult(uuid.uuid4(), "applied", flow.preview))
    assert flow.step is Step.APPLIED
    with pytest.raises(Refused):
        flow.start_apply()


def test_a_stale_preview_is_dropped() -> None:
    flow = PlanChangeFlow(_choices())
    first = flow.select(plan_code="P60")
    stale = _preview(flow)
    second = flow.toggle_feature("HOTSPOT-20")
    assert not flow.preview_arrived(first, stale)
    assert flow.step is Step.CHOOSING and flow.preview is None
    assert flow.preview_arrived(second, _preview(flow))
    assert flow.selection.features == ("HOTSPOT-20",)


def test_features_the_plan_cannot_carry_drop_and_refusals_show() -> None:
    flow = PlanChangeFlow(_choices())
    flow.select(plan_code="P60", features=["HOTSPOT-20", "INTL-CALL"])
    flow.select(plan_code="P45")
    assert flow.selection.features == ("INTL-CALL",)
    seq = flow.select(timing=ChangeTiming.NEXT_CYCLE)
    assert flow.preview_refused(seq, "Nope.") and flow.why_not_apply() == "Nope."
    assert flow.step is Step.CHOOSING
    with pytest.raises(Refused, match="not offered"):
        flow.select(plan_code="PRE-15")


def test_failure_then_retry() -> None:
    flow = PlanChangeFlow(_choices())
    seq = flow.select(plan_code="P60")
    flow.preview_arrived(seq, _preview(flow))
    flow.start_apply()
    flow.apply_failed("The database is busy.")
    assert flow.step is Step.FAILED and flow.message == "The database is busy."
    seq = flow.retry()
    assert flow.step is Step.CHOOSING and flow.selection.plan_code == "P60" and seq == flow.seq
    with pytest.raises(Refused, match="Nothing to retry"):
        flow.retry()


def test_the_transition_table() -> None:
    flow = PlanChangeFlow(_choices())
    for step, targets in ALLOWED.items():
        for to in Step:
            flow.step = step
            if to in targets:
                flow._move(to)
                assert flow.step is to
            else:
                with pytest.raises(Refused):
                    flow._move(to)
