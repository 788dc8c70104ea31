"""The plan-change dialog's panel: it renders a :class:`PlanChangeFlow` and emits the rep's intents.

Keyboard only: the plan list has the focus (arrows choose a plan, each choice asks for a preview), Tab goes to the
features (arrows, Space ticks one), Alt+N / Alt+X choose "Now" or "At next cycle", Enter applies the previewed
change (the default button), Esc closes. The panel keeps no state of its own: :meth:`show_flow` draws the flow.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from posapp.domain.money import format_cents
from posapp.domain.proration import ChangeTiming
from posapp.workflows.plan_change import PlanChangeFlow, Step
from ui.qt import named
from ui.views.lookup.common import buddy_label, message_label, section_title, set_prop

CODE_ROLE = Qt.ItemDataRole.UserRole


def _label(name: str) -> QLabel:
    label = named(QLabel("—"), name)
    label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    return label


class PlanChangePanel(QWidget):
    plan_chosen = Signal(str)
    feature_toggled = Signal(str)
    timing_chosen = Signal(object)  # ChangeTiming
    apply_requested = Signal()
    close_requested = Signal()

    def __init__(self, *, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("PlanChangePanel")
        self._rendering = False
        self._features_for = ""  # the plan whose features the list shows
        self.title = named(QLabel(""), "DialogTitle")
        self.current = named(QLabel(""), "FieldHelp")
        self.plans = named(QListWidget(), "PlanList")
        self.features = named(QListWidget(), "FeatureList")
        self.now = named(QRadioButton("&Now (prorated)"), "TimingNow")
        self.next_cycle = named(QRadioButton("At ne&xt cycle"), "TimingNext")
        group = QButtonGroup(self)
        group.addButton(self.now)
        group.addButton(self.next_cycle)
        self.credit, self.charge, self.net = _label("PreviewCredit"), _label("PreviewCharge"), _label("PreviewNet")
        self.autopay, self.next_bill = _label("PreviewAutoPay"), _label("PreviewNextBill")
        self.effective = _label("PreviewEffective")
        self.message = message_label("InlineError")
        self.done = message_label("InlineInfo")
        self.apply = named(QPushButton("&Apply"), "ApplyPlanChange")
        self.apply.setDefault(True)
        self.apply.setProperty("primary", True)
        self.close_button = named(QPushButton("Close"), "ClosePlanChange")
        self.close_button.setAutoDefault(False)
        self._layout()
        self.plans.currentItemChanged.connect(self._plan_moved)
        self.features.itemChanged.connect(self._feature_changed)
        self.now.toggled.connect(lambda on: self._timing(ChangeTiming.NOW, on))
        self.next_cycle.toggled.connect(lambda on: self._timing(ChangeTiming.NEXT_CYCLE, on))
        self.apply.clicked.connect(self._apply_clicked)
        self.close_button.clicked.connect(self.close_requested)

    def _layout(self) -> None:
        left = QVBoxLayout()
        left.setSpacing(6)
        left.addWidget(buddy_label("&Plan", self.plans))
        left.addWidget(self.plans, 3)
        left.addSpacing(8)
        left.addWidget(buddy_label("&Features (Space ticks)", self.features))
        left.addWidget(self.features, 2)
        timing = QHBoxLayout()
        timing.addWidget(self.now)
        timing.addWidget(self.next_cycle)
        timing.addStretch(1)
        left.addLayout(timing)
        grid = QGridLayout()
        grid.setVerticalSpacing(8)
        rows = (("Effective", self.effective), ("Credit, old plan", self.credit),
                ("Charge, new plan", self.charge), ("Net on the next bill", self.net),
                ("AutoPay", self.autopay), ("Next full bill", self.next_bill))
        for i, (text, value) in enumerate(rows):
            grid.addWidget(named(QLabel(text), "FieldLabel"), i, 0)
            grid.addWidget(value, i, 1)
        grid.setColumnStretch(1, 1)
        right = QVBoxLayout()
        right.addWidget(section_title("Preview"))
        right.addLayout(grid)
        right.addStretch(1)
        right.addWidget(self.message)
        right.addWidget(self.done)
        body = QHBoxLayout()
        body.setSpacing(24)
        body.addLayout(left, 3)
        body.addLayout(right, 2)
        for lst in (self.plans, self.features):
            lst.setMinimumWidth(480)
            lst.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
            lst.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)
        buttons.addWidget(self.apply)
        col = QVBoxLayout(self)
        col.setContentsMargins(20, 16, 20, 16)
        col.setSpacing(10)
        col.addWidget(self.title)
        col.addWidget(self.current)
        col.addLayout(body, 1)
        col.addLayout(buttons)

    # -- intents --------------------------------------------------------------------------------------------
    def _plan_moved(self, item: QListWidgetItem | None, _old: QListWidgetItem | None) -> None:
        if item is not None and not self._rendering:
            self.plan_chosen.emit(str(item.data(CODE_ROLE)))

    def _feature_changed(self, item: QListWidgetItem) -> None:
        if not self._rendering:
            self.feature_toggled.emit(str(item.data(CODE_ROLE)))

    def _timing(self, timing: ChangeTiming, on: bool) -> None:
        if on and not self._rendering:
            self.timing_chosen.emit(timing)

    def _apply_clicked(self) -> None:
        (self.close_requested if self.apply.text() == "Close" else self.apply_requested).emit()

    # -- rendering ------------------------------------------------------------------------------------------
    def show_flow(self, flow: PlanChangeFlow) -> None:
        self._rendering = True
        try:
            self._render_lists(flow)
            self._render_preview(flow)
            self._render_state(flow)
        finally:
            self._rendering = False

    def _render_lists(self, flow: PlanChangeFlow) -> None:
        c, s = flow.choices, flow.selection
        self.title.setText(f"Change plan · line ending {c.line_last4}")
        current = flow.plan(c.current_plan_code)
        scheduled = f"  ·  Scheduled: {c.scheduled.new_plan_name} on {c.scheduled.effective_on:%b %d}" \
            if c.scheduled else ""
        self.current.setText(f"Now on {current.name} ({format_cents(current.monthly_cents)}/mo)  ·  cycle "
                             f"started {c.cycle_start:%b %d}, next cycle {c.next_cycle:%b %d}{scheduled}")
        if self.plans.count() != len(c.plans):
            self.plans.clear()
            for p in c.plans:
                mark = "  (current)" if p.code == c.current_plan_code else ""
                item = QListWidgetItem(f"{p.name}  ·  {format_cents(p.monthly_cents)}/mo{mark}")
                item.setData(CODE_ROLE, p.code)
                self.plans.addItem(item)
        row = next(i for i, p in enumerate(c.plans) if p.code == s.plan_code)
        if self.plans.currentRow() != row:
            self.plans.setCurrentRow(row)
        plan = flow.plan()
        if self._features_for != plan.code:
            self._features_for = plan.code
            self.features.clear()
            for f in plan.features:
                item = QListWidgetItem(f"{f.name}  ·  {format_cents(f.monthly_cents)}/mo")
                item.setData(CODE_ROLE, f.code)
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                item.setCheckState(Qt.CheckState.Unchecked)  # a check state role: Space can toggle it
                self.features.addItem(item)
            if self.features.count():
                self.features.setCurrentRow(0)
        for i in range(self.features.count()):
            item = self.features.item(i)
            want = Qt.CheckState.Checked if item.data(CODE_ROLE) in s.features else Qt.CheckState.Unchecked
            if item.checkState() != want:
                item.setCheckState(want)
        self.now.setChecked(s.timing is ChangeTiming.NOW)
        self.next_cycle.setChecked(s.timing is ChangeTiming.NEXT_CYCLE)
        self.next_cycle.setText(f"At ne&xt cycle ({c.next_cycle:%b %d})")

    def _render_preview(self, flow: PlanChangeFlow) -> None:
        p = flow.preview
        values = (self.effective, self.credit, self.charge, self.net, self.autopay, self.next_bill)
        if p is None:
            for label in values:
                label.setText("—" if flow.unchanged() else "…")
            return
        pr = p.proration
        self.effective.setText("Today" if pr.timing is ChangeTiming.NOW else f"{p.effective_on:%b %d, %Y}")
        self.credit.setText(f"−{format_cents(pr.credit_cents)}  ({pr.remaining_days} days)")
        self.charge.setText(f"{format_cents(pr.charge_cents)}  ({pr.remaining_days} days)")
        self.net.setText(f"Credit {format_cents(-pr.net_cents)}" if pr.net_cents < 0
                         else format_cents(pr.net_cents))
        self.autopay.setText(f"−{format_cents(pr.autopay.discount_cents)}/mo" if pr.autopay.applies
                             else pr.autopay.reason)
        self.autopay.setToolTip(pr.autopay.reason)
        self.next_bill.setText(f"{format_cents(pr.next_full_bill_cents)}/mo from {p.next_cycle:%b %d}")

    def _render_state(self, flow: PlanChangeFlow) -> None:
        editable = flow.step not in (Step.APPLYING, Step.APPLIED)
        for w in (self.plans, self.features, self.now, self.next_cycle):
            w.setEnabled(editable)
        why = flow.why_not_apply()
        refused = flow.message if flow.step in (Step.CHOOSING, Step.FAILED) else ""
        self.message.setText(refused)
        self.message.setVisible(bool(refused))
        if flow.step is Step.APPLIED and flow.result is not None:
            p = flow.result.preview
            when = "from today" if p.timing is ChangeTiming.NOW else f"on {p.effective_on:%b %d, %Y}"
            verb = "Changed to" if flow.result.status == "applied" else "Scheduled:"
            self.done.setText(f"{verb} {p.new_plan_name} {when}. Press Enter to close.")
            self.done.show()
            self.apply.setText("Close")
            self.close_button.hide()
            self.apply.setEnabled(True)
            self.apply.setToolTip("")
            self.apply.setFocus()
            return
        self.done.hide()
        self.apply.setText("Applying…" if flow.step is Step.APPLYING else "&Apply")
        self.apply.setEnabled(not why)
        self.apply.setToolTip(why)
        set_prop(self.apply, "state", flow.step.value)
