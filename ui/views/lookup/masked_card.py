"""The customer as an unverified visit may see them: name, account type and role, masked numbers."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from posapp.services.account_view import MaskedAccount
from ui.qt import named
from ui.views.lookup.common import LevelBadge, card

TEXT_ONLY = ("Opened or address changed in the last 30 days: the account PIN does not count — verify with a "
             "code by text only.")


class MaskedCard(QWidget):
    def __init__(self, *, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        frame, col = card("MaskedCard")
        self.name = named(QLabel(""), "CustomerName")
        self.case = named(QLabel(""), "CaseChip")
        self.badge = LevelBadge()
        self.facts = named(QLabel(""), "CustomerFacts")
        self.lines = named(QLabel(""), "CustomerLines")
        self.lines.setWordWrap(True)
        self.warning = named(QLabel(TEXT_ONLY), "WarnNote")
        self.warning.setWordWrap(True)
        top = QHBoxLayout()
        top.setSpacing(10)
        top.addWidget(self.name, 1)
        top.addWidget(self.case)
        top.addWidget(self.badge)
        col.setSpacing(6)
        col.addLayout(top)
        rule = named(QLabel("Verified: photo ID + PIN or code  ·  Step-up: all three"), "Muted")
        facts = QHBoxLayout()
        facts.addWidget(self.facts, 1)
        facts.addWidget(rule)
        col.addLayout(facts)
        col.addWidget(self.lines)
        col.addWidget(self.warning)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(frame)
        self.clear()

    def show_account(self, masked: MaskedAccount, *, case_number: str) -> None:
        name = masked.customer_name + (f"  ·  {masked.business_name}" if masked.business_name else "")
        self.name.setText(name)
        self.case.setText(f"Case {case_number}" if case_number else "")
        self.case.setVisible(bool(case_number))
        self.facts.setText(f"{masked.account_kind.capitalize()} account {masked.masked_account_number}  ·  "
                           f"{masked.member_role}")
        shown = [ln.masked_msisdn + ("" if ln.active else " (inactive)") for ln in masked.lines]
        self.lines.setText("Lines:  " + "   ".join(shown) if shown else "No lines on this account yet.")
        self.warning.setVisible(masked.code_by_text_only)

    def clear(self) -> None:
        for w in (self.name, self.case, self.facts, self.lines):
            w.setText("")
        self.warning.hide()
        self.case.hide()
