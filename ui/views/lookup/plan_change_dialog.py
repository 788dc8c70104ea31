"""The plan-change dialog (account view, Lines tab, "Change plan…"): the page pattern in small.

:class:`PlanChangeFlow` (Qt-free state) + :class:`PlanChangePanel` (renders it, emits intents) + this dialog as
the controller: each intent is a transition on the flow, then a service call through the view's
:class:`ServiceRunner` (a sibling runner, errors on the dialog's own line). Previews are asked for every new
selection; a stale answer is dropped by the flow. :class:`PlanChangeLauncher` loads the line's choices and opens
the dialog; ``applied`` tells the account view to reload.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QDialog, QVBoxLayout, QWidget

from posapp.errors import PosError
from posapp.workflows.plan_change import PlanChangeFlow, Refused, Step
from ui.views.lookup.plan_change_panel import PlanChangePanel

if TYPE_CHECKING:
    from posapp.domain.proration import ChangeTiming
    from posapp.services.dto import Actor
    from posapp.services.plan_change import PlanChangeService
    from posapp.services.plan_change_dto import PlanChangeChoices, PlanChangePreview, PlanChangeResult
    from ui.runner import ServiceRunner


class PlanChangeDialog(QDialog):
    applied = Signal(object)  # PlanChangeResult

    def __init__(self, *, flow: PlanChangeFlow, plan_changes: PlanChangeService, runner: ServiceRunner,
                 visit_id: uuid.UUID, actor: Callable[[], Actor], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("PlanChangeDialog")
        self.setWindowTitle("Change plan")
        self.setModal(True)
        self.resize(980, 600)
        self.flow = flow
        self._svc, self._visit_id, self._actor = plan_changes, visit_id, actor
        self.panel = PlanChangePanel()
        self.runner = runner.sibling(owner=self, show_error=self._show_message)
        col = QVBoxLayout(self)
        col.setContentsMargins(0, 0, 0, 0)
        col.addWidget(self.panel)
        self.panel.plan_chosen.connect(lambda code: self._select(plan_code=code))
        self.panel.feature_toggled.connect(self._toggle)
        self.panel.timing_chosen.connect(lambda timing: self._select(timing=timing))
        self.panel.apply_requested.connect(self.apply)
        self.panel.close_requested.connect(self.accept)
        self.panel.show_flow(flow)
        self.panel.plans.setFocus()

    # -- intents ------------------------------------------------------------------------------------------
    def _select(self, *, plan_code: str | None = None, timing: ChangeTiming | None = None) -> None:
        self._after(lambda: self.flow.select(plan_code=plan_code, timing=timing))

    def _toggle(self, code: str) -> None:
        self._after(lambda: self.flow.toggle_feature(code))

    def _after(self, transition: Callable[[], int]) -> None:
        try:
            seq = transition()
        except Refused as exc:
            self._show_message(str(exc))
            return
        self.panel.show_flow(self.flow)
        if not self.flow.unchanged():
            self._preview(seq)

    def _preview(self, seq: int) -> None:
        svc, actor, visit_id, line_id = self._svc, self._actor(), self._visit_id, self.flow.choices.line_id
        sel = self.flow.selection

        def refused(exc: BaseException) -> None:
            if not isinstance(exc, PosError):
                self.runner.report_unexpected(exc)
            elif self.flow.preview_refused(seq, str(exc)):
                self.panel.show_flow(self.flow)

        self.runner.call(lambda _ov: svc.preview(actor, visit_id, line_id, sel.plan_code, sel.features, sel.timing),
                         lambda p: self._previewed(seq, p), action="Preview the plan change", on_error=refused,
                         ask_override=False)

    def _previewed(self, seq: int, preview: PlanChangePreview) -> None:
        if self.flow.preview_arrived(seq, preview):
            self.panel.show_flow(self.flow)

    def apply(self) -> None:
        try:
            sel = self.flow.start_apply()
        except Refused as exc:
            self._show_message(str(exc))
            return
        self.panel.show_flow(self.flow)
        svc, actor, visit_id, line_id = self._svc, self._actor(), self._visit_id, self.flow.choices.line_id

        def failed(exc: BaseException) -> None:
            self.flow.apply_failed(str(exc) if isinstance(exc, PosError) else "The change could not be made.")
            self.panel.show_flow(self.flow)
            if not isinstance(exc, PosError):
                self.runner.report_unexpected(exc)

        self.runner.call(lambda _ov: svc.apply(actor, visit_id, line_id, sel.plan_code, sel.features, sel.timing),
                         self._applied, action="Change plan", on_error=failed, ask_override=False)

    def _applied(self, result: PlanChangeResult) -> None:
        self.flow.applied(result)
        self.panel.show_flow(self.flow)
        self.applied.emit(result)

    def _show_message(self, text: str) -> None:
        self.panel.message.setText(text)
        self.panel.message.setVisible(bool(text))

    def reject(self) -> None:  # Qt override: Esc closes, except while the change is being applied
        if self.flow.step is not Step.APPLYING:
            super().reject()


class PlanChangeLauncher(QObject):
    """Loads a line's choices and opens one :class:`PlanChangeDialog` at a time over ``owner``."""

    applied = Signal(object)  # PlanChangeResult, once its dialog has closed
    opened = Signal(object)  # the PlanChangeDialog

    def __init__(self, *, plan_changes: PlanChangeService, runner: ServiceRunner, actor: Callable[[], Actor],
                 owner: QWidget, parent: QObject | None = None) -> None:
        super().__init__(parent if parent is not None else owner)
        self._svc, self._runner, self._actor, self._owner = plan_changes, runner, actor, owner
        self.dialog: PlanChangeDialog | None = None

    def open(self, visit_id: uuid.UUID, line_id: uuid.UUID) -> None:
        if self.dialog is not None:
            return
        svc, actor = self._svc, self._actor()
        self._runner.call(lambda _ov: svc.choices(actor, visit_id, line_id), lambda c: self._show(visit_id, c),
                          action="Change plan", ask_override=False)

    def _show(self, visit_id: uuid.UUID, choices: PlanChangeChoices) -> None:
        dialog = PlanChangeDialog(flow=PlanChangeFlow(choices), plan_changes=self._svc, runner=self._runner,
                                  visit_id=visit_id, actor=self._actor, parent=self._owner)

        def closed(_result: int) -> None:
            if self.dialog is dialog:
                self.dialog = None
            dialog.deleteLater()
            if dialog.flow.result is not None:
                self.applied.emit(dialog.flow.result)

        dialog.finished.connect(closed)
        self.dialog = dialog
        dialog.open()
        self.opened.emit(dialog)
