"""The plan step: the plan (↑↓), its features (Tab, Space) and, for a store device, pay in full or finance on EIP
(Ctrl+F: down payment and months, with the service's quote). Enter records it; Enter again goes on."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from posapp.domain.activation import NumberSource
from posapp.domain.money import format_cents
from posapp.services.activation.dto import EipQuote, EipTerms, FeatureOption, LineDTO, PlanOption
from ui.qt import named
from ui.views.activation.widgets import ScanBox, card, label, payment_text, plan_text, set_state
from ui.views.register.common import parse_money

FINANCE_KEYS = "Ctrl+F"
NO_PLANS = "No plans are loaded at this store yet: sync with head office (the plans come with the catalog)."


PlanChoice = PlanOption  # what the plan list shows: the service's plans, each with the features it may add
FeatureChoice = FeatureOption


@dataclass(frozen=True)
class PlanPick:
    """What the rep chose on the plan step."""

    plan_code: str
    features: tuple[str, ...]
    terms: EipTerms | None  # None: pay in full (or no store device)


class EnterList(QListWidget):
    entered = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # Qt override
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.entered.emit()
            return
        super().keyPressEvent(event)


class PlanPanel(QWidget):
    chosen = Signal(object)  # PlanPick
    quote_wanted = Signal(object)  # EipTerms
    next_step = Signal()

    def __init__(self, *, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ActPlanPanel")
        self.plans = named(EnterList(), "ActPlans")
        self.plans.setAccessibleName("Plan")
        self.features = named(EnterList(), "ActFeatures")
        self.features.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.features.setTextElideMode(Qt.TextElideMode.ElideMiddle)  # a long name keeps its price in view
        self.features.setAccessibleName("Features (Space to add or remove)")
        self.finance = QCheckBox(f"Finance the device on EIP   {FINANCE_KEYS}")
        self.finance.setObjectName("ActFinance")
        self.down = ScanBox(placeholder="Down payment, e.g. 100", name="ActDownPayment")
        self.months = named(QSpinBox(), "ActMonths")
        self.months.setRange(1, 36)
        self.months.setValue(24)
        self.months.setSuffix(" months")
        self.quote = label("", "ActQuote")
        self.current = label("", "ActVerdict")
        self.current.hide()
        self.error = label("", "ErrorText")
        self.error.hide()
        self.eip_card, ec = card("ActEipCard")
        terms = QHBoxLayout()
        terms.addWidget(label("Down payment", "FieldLabel", wrap=False))
        terms.addWidget(self.down, 1)
        terms.addWidget(self.months)
        ec.addWidget(self.finance)
        ec.addLayout(terms)
        ec.addWidget(self.quote)
        left, right = QVBoxLayout(), QVBoxLayout()
        left.addWidget(label("PLAN", "SectionTitle"))
        left.addWidget(self.plans, 1)
        self.features_title = label("FEATURES \u00b7 Space adds or removes", "SectionTitle")
        right.addWidget(self.features_title)
        right.addWidget(self.features, 1)
        right.addWidget(self.eip_card, 0, Qt.AlignmentFlag.AlignTop)  # its own height when the features are hidden
        row = QHBoxLayout()
        row.setSpacing(18)
        row.addLayout(left, 1)
        row.addLayout(right, 1)
        col = QVBoxLayout(self)
        col.setContentsMargins(0, 0, 0, 0)
        col.setSpacing(10)
        col.addWidget(label("\u2191\u2193 plan \u00b7 Tab to the features and the EIP terms \u00b7 Enter records "
                            "the choice, Enter again goes on.", "ActHint"))
        col.addWidget(self.current)
        col.addWidget(self.error)
        col.addLayout(row, 1)
        self._recorded: PlanPick | None = None
        self._plan_features: dict[str, tuple[FeatureOption, ...]] = {}
        self.plans.currentRowChanged.connect(lambda _row: self._show_features())
        self._can_finance = False
        self._keeps = False
        for w in (self.plans, self.features):
            w.entered.connect(self._enter)
        self.down.submitted.connect(lambda _t: self._enter())
        self.down.enter_empty.connect(self._enter)
        self.finance.toggled.connect(self._terms_changed)
        self.down.editingFinished.connect(self._terms_changed)
        self.months.valueChanged.connect(self._terms_changed)

    def set_choices(self, plans: Sequence[PlanChoice], features: Sequence[FeatureChoice] = ()) -> None:
        """The plans sold; each plan's own features (``PlanOption.features``) are listed when it is selected,
        ``features`` when a plan carries none of its own."""
        self._plan_features = {p.code: tuple(p.features) or tuple(features) for p in plans}
        self.plans.clear()
        for p in plans:
            item = QListWidgetItem(f"{p.name}   {format_cents(p.monthly_cents)}/mo")
            item.setData(Qt.ItemDataRole.UserRole, p.code)
            self.plans.addItem(item)
        self.plans.setCurrentRow(0 if plans else -1)
        self._show_features()
        if not plans:
            self.show_error(NO_PLANS)

    def _show_features(self) -> None:
        item = self.plans.currentItem()
        code = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        ticked = {self.features.item(r).data(Qt.ItemDataRole.UserRole) for r in range(self.features.count())
                  if self.features.item(r).checkState() is Qt.CheckState.Checked}
        if self._recorded is not None and self._recorded.plan_code == code:
            ticked |= set(self._recorded.features)
        features = self._plan_features.get(code, ()) if code is not None else ()
        self.features.clear()
        for f in features:
            row = QListWidgetItem(f"{f.name}   +{format_cents(f.monthly_cents)}/mo")
            row.setData(Qt.ItemDataRole.UserRole, f.code)
            row.setToolTip(f"{f.name}: +{format_cents(f.monthly_cents)} a month")
            row.setFlags(row.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            row.setCheckState(Qt.CheckState.Checked if f.code in ticked else Qt.CheckState.Unchecked)
            self.features.addItem(row)
        shown = bool(features) and not self._keeps  # a plan that may add nothing, or a kept plan: no box
        self.features.setVisible(shown)
        self.features_title.setVisible(shown)

    def pick(self) -> PlanPick | str:
        """What is selected now, or why it is not a choice yet."""
        item = self.plans.currentItem()
        if item is None:
            return "Choose a plan."
        code = item.data(Qt.ItemDataRole.UserRole)
        features = tuple(self.features.item(r).data(Qt.ItemDataRole.UserRole) for r in range(self.features.count())
                         if self.features.item(r).checkState() is Qt.CheckState.Checked)
        terms: EipTerms | None = None
        if self._can_finance and self.finance.isChecked():
            down = parse_money(self.down.text() or "0")
            if down is None:
                return "The down payment is not an amount."
            terms = EipTerms(down_payment_cents=down, months=self.months.value())
        if self._keeps and self._recorded is not None:  # the line keeps its plan and features (upgrade)
            features = self._recorded.features
        return PlanPick(plan_code=code, features=features, terms=terms)

    def _enter(self) -> None:
        pick = self.pick()
        if isinstance(pick, str):
            self.show_error(pick)
        elif pick == self._recorded:
            self.next_step.emit()
        else:
            self.error.hide()
            self.chosen.emit(pick)

    def _terms_changed(self) -> None:
        on = self._can_finance and self.finance.isChecked()
        self.down.setEnabled(on)
        self.months.setEnabled(on)
        pick = self.pick()
        if on and isinstance(pick, PlanPick) and pick.terms is not None:
            self.quote_wanted.emit(pick.terms)
        elif not on:
            self.quote.setText("Paid in full at the register." if self._can_finance else "")

    def toggle_finance(self) -> None:
        if self._can_finance:
            self.finance.setChecked(not self.finance.isChecked())
            if self.finance.isChecked():
                self.down.setFocus()

    def show_quote(self, q: EipQuote) -> None:
        self.quote.setText(f"Retail {format_cents(q.retail_cents)} \u2212 down {format_cents(q.down_payment_cents)}"
                           f" = financed {format_cents(q.financed_cents)}: {q.months - 1} \u00d7 "
                           f"{format_cents(q.monthly_cents)} and a last month of {format_cents(q.last_month_cents)}")

    def show_line(self, line: LineDTO | None, *, finance_refusal: str | None) -> None:
        self._can_finance = finance_refusal is None
        self.finance.setEnabled(self._can_finance)
        self.finance.setToolTip(finance_refusal or "")
        if not self._can_finance:
            self.finance.setChecked(False)
            self.quote.setText(finance_refusal or "")
        self._terms_changed()
        keeps = line is not None and line.number_source is NumberSource.EXISTING
        self._keeps = keeps
        self.features.setEnabled(not keeps)
        self._only(line.plan_code if keeps and line is not None else None)
        self._show_features()
        if line is None or line.plan_code is None:
            self._recorded = None
            self.current.hide()
            return
        terms = (EipTerms(down_payment_cents=line.eip.down_payment_cents, months=line.eip.months)
                 if line.financed and line.eip is not None else None)
        self._recorded = PlanPick(plan_code=line.plan_code, features=line.features, terms=terms)
        kept = " (the line keeps its plan: change it from the account view)" if keeps else ""
        self.current.setText(f"\u2713 {plan_text(line)}{kept} \u00b7 {payment_text(line)}. Enter: next step")
        set_state(self.current, "ok")
        self.current.show()

    def _only(self, plan_code: str | None) -> None:
        """An upgrade keeps the line's plan: only that plan is listed (None: every plan)."""
        found = False
        for row in range(self.plans.count()):
            mine = self.plans.item(row).data(Qt.ItemDataRole.UserRole) == plan_code
            self.plans.setRowHidden(row, plan_code is not None and not mine)
            if mine:
                self.plans.setCurrentRow(row)
                found = True
        if plan_code is not None and not found:
            item = QListWidgetItem(f"{plan_code} (the line's plan)")
            item.setData(Qt.ItemDataRole.UserRole, plan_code)
            self.plans.addItem(item)
            self.plans.setCurrentItem(item)

    def show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()

    def focus(self) -> None:
        self.plans.setFocus(Qt.FocusReason.OtherFocusReason)
