"""A line's plan change as one explicit state object (no Qt, no widgets, no service calls).

:class:`PlanChangeFlow` holds what the plan-change dialog knows: the choices the service offered for the line,
the rep's selection (plan, features, now / at next cycle), the latest preview and the apply call. Every change
goes through a transition method; one that is not allowed now raises :class:`Refused` with the reason shown.

Steps::

    CHOOSING --preview arrives--> PREVIEWED --apply--> APPLYING --> APPLIED
       ^  \\--preview refused (reason shown, stays CHOOSING)       \\--> FAILED --edit / retry--> CHOOSING
       \\----------- any new selection ------------/

Each selection gets a sequence number; a preview that answers an older selection is dropped, so the preview on
screen always belongs to what is ticked. Apply is allowed only with the preview of the current selection shown.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from posapp.domain.proration import ChangeTiming
from posapp.services.plan_change_dto import PlanChangeChoices, PlanChangePreview, PlanChangeResult, PlanOption


class Step(StrEnum):
    CHOOSING = "choosing"
    PREVIEWED = "previewed"
    APPLYING = "applying"
    APPLIED = "applied"
    FAILED = "failed"


ALLOWED: dict[Step, frozenset[Step]] = {
    Step.CHOOSING: frozenset({Step.CHOOSING, Step.PREVIEWED}),
    Step.PREVIEWED: frozenset({Step.CHOOSING, Step.APPLYING}),
    Step.APPLYING: frozenset({Step.APPLIED, Step.FAILED}),
    Step.APPLIED: frozenset(),
    Step.FAILED: frozenset({Step.CHOOSING}),
}


class Refused(Exception):
    """A transition that is not allowed now; ``str(exc)`` is the reason shown to the rep."""


@dataclass(frozen=True)
class Selection:
    plan_code: str
    features: tuple[str, ...]  # sorted, unique
    timing: ChangeTiming

    @classmethod
    def of(cls, plan_code: str, features: tuple[str, ...] | list[str] | frozenset[str],
           timing: ChangeTiming) -> Selection:
        return cls(plan_code, tuple(sorted(set(features))), timing)


@dataclass
class PlanChangeFlow:
    choices: PlanChangeChoices
    step: Step = Step.CHOOSING
    selection: Selection = field(init=False)
    seq: int = 0  # of the current selection
    preview: PlanChangePreview | None = None
    message: str = ""  # why the preview or the apply was refused, in plain words
    result: PlanChangeResult | None = None

    def __post_init__(self) -> None:
        self.selection = Selection.of(self.choices.current_plan_code, self.choices.current_features,
                                      ChangeTiming.NOW)

    # -- reading -------------------------------------------------------------------------------------------
    def plan(self, code: str | None = None) -> PlanOption:
        wanted = code or self.selection.plan_code
        return next(p for p in self.choices.plans if p.code == wanted)

    def unchanged(self) -> bool:
        s, c = self.selection, self.choices
        return s.plan_code == c.current_plan_code and s.features == tuple(sorted(c.current_features))

    def why_not_apply(self) -> str:
        if self.step is Step.APPLYING:
            return "Applying the change..."
        if self.step is Step.APPLIED:
            return "The change is done."
        if self.unchanged():
            return "Choose another plan or change the features first."
        if self.step is not Step.PREVIEWED:
            return self.message or "Waiting for the preview..."
        return ""

    # -- transitions ---------------------------------------------------------------------------------------
    def _move(self, to: Step) -> None:
        if to not in ALLOWED[self.step]:
            raise Refused(f"Cannot go from {self.step.value} to {to.value}.")
        self.step = to

    def select(self, *, plan_code: str | None = None, features: tuple[str, ...] | list[str] | None = None,
               timing: ChangeTiming | None = None) -> int:
        """A new selection (any part); returns its sequence number. Features the new plan cannot carry drop."""
        if self.step in (Step.APPLYING, Step.APPLIED):
            raise Refused("The change is being applied." if self.step is Step.APPLYING else "The change is done.")
        code = plan_code or self.selection.plan_code
        if not any(p.code == code for p in self.choices.plans):
            raise Refused(f"Plan {code} is not offered for this line.")
        allowed = {f.code for f in self.plan(code).features} | set(self.choices.current_features)
        chosen = self.selection.features if features is None else tuple(features)
        self.selection = Selection.of(code, [f for f in chosen if f in allowed],
                                      timing or self.selection.timing)
        self._move(Step.CHOOSING)
        self.seq += 1
        self.preview, self.message = None, ""
        return self.seq

    def toggle_feature(self, code: str) -> int:
        have = set(self.selection.features)
        return self.select(features=sorted(have ^ {code}))

    def preview_arrived(self, seq: int, preview: PlanChangePreview) -> bool:
        """Show the preview if it answers the current selection; False (dropped) otherwise."""
        if seq != self.seq or self.step is not Step.CHOOSING:
            return False
        self.preview = preview
        self._move(Step.PREVIEWED)
        return True

    def preview_refused(self, seq: int, reason: str) -> bool:
        if seq != self.seq or self.step is not Step.CHOOSING:
            return False
        self.message = reason
        return True

    def start_apply(self) -> Selection:
        why = self.why_not_apply()
        if why:
            raise Refused(why)
        self._move(Step.APPLYING)
        return self.selection

    def applied(self, result: PlanChangeResult) -> None:
        self._move(Step.APPLIED)
        self.result = result

    def apply_failed(self, reason: str) -> None:
        self._move(Step.FAILED)
        self.message = reason

    def retry(self) -> int:
        """After a failure: back to choosing with the same selection (the page asks for a new preview)."""
        if self.step is not Step.FAILED:
            raise Refused("Nothing to retry.")
        return self.select()
