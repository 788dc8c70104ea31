"""The verification step: photo ID, account PIN and a one-time code, shown over the masked account only.

Nothing private is on this panel: the customer's name, masked numbers and the account's role. The ID number is
never asked for; the PIN field is masked and cleared after every try. With the SMS simulator (training mode
only) a yellow box shows the "sent" text so a demo can go on without a phone: the panel asks the gateway for its
test controls (``sms.test_controls()``) and shows the box only when it gets them.

Sending a code is three jobs: the code's hash and its pending send record are committed on the DB worker, the
gateway is called on the device worker (the DB worker never waits for it), and the outcome is recorded on the DB
worker again.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from posapp.domain.enums import PhotoIdType
from posapp.errors import PosError
from posapp.services.verification import VerificationLocked
from ui.views.lookup.common import message_label, set_prop, show_error
from ui.views.lookup.masked_card import MaskedCard
from ui.views.lookup.method_cards import ID_TYPES, NOT_DONE, MethodCards
from ui.views.lookup.sms_box import SmsSimulatorBox

if TYPE_CHECKING:
    from posapp.adapters.controls import SmsTestControls
    from posapp.adapters.sms import SmsGateway
    from posapp.services.account_view import MaskedAccount
    from posapp.services.dto import Actor
    from posapp.services.verification import CodeSent, Delivery, PendingCode, VerificationService, VisitDTO
    from ui.worker import DbWorker


KEYS = "Ctrl+I  ID matches   ·   Ctrl+P  PIN   ·   Ctrl+S  send code   ·   Ctrl+K  code"


class VerifyPanel(QWidget):
    visit_changed = Signal(object)  # VisitDTO after every successful attempt
    verified = Signal(object)  # VisitDTO whose level is Verified or Step-up
    back_requested = Signal()  # Esc / Back

    def __init__(self, *, verification: VerificationService, sms: SmsGateway, worker: DbWorker,
                 actor: Callable[[], Actor], device_worker: DbWorker | None = None,
                 parent: QWidget | None = None) -> None:
        """``device_worker``: where the SMS gateway is called (default ``worker``, as a test may share one)."""
        super().__init__(parent)
        self.setObjectName("VerifyPanel")
        self._verification = verification
        self._sms_controls: SmsTestControls | None = sms.test_controls()
        self._sms_configured = sms.configured  # "none": no code by text; photo ID and PIN still work
        self._worker = worker
        self._device_worker = device_worker or worker
        self._actor = actor
        self.visit: VisitDTO | None = None
        self.sent: CodeSent | None = None
        self._busy = False

        self.masked = MaskedCard()
        self.badge = self.masked.badge
        self.error = message_label("InlineError")
        self.info = message_label("InlineInfo")
        self.cards = cards = MethodCards()
        self.id_type, self.id_match, self.id_mismatch = cards.id_type, cards.id_match, cards.id_mismatch
        self.pin, self.check_pin = cards.pin, cards.check_pin
        self.line, self.send, self.code, self.check_code = cards.line, cards.send, cards.code, cards.check_code
        self.id_state, self.pin_state, self.code_state = cards.id_state, cards.pin_state, cards.code_state
        # the yellow box exists only with a simulator's controls: a real gateway's code never shows on screen
        self.simulator = SmsSimulatorBox() if self._sms_controls is not None else None

        grid = QHBoxLayout()
        grid.setSpacing(16)
        for frame, share in ((cards.id_card, 3), (cards.pin_card, 3), (cards.code_card, 4)):
            grid.addWidget(frame, share)
        foot = QHBoxLayout()
        self.back = QPushButton("Back to search  (Esc)")
        self.back.setObjectName("VerifyBack")
        foot.addWidget(self.back)
        foot.addStretch(1)
        key_help = QLabel(KEYS)
        key_help.setObjectName("Muted")
        foot.addWidget(key_help)

        col = QVBoxLayout(self)
        col.setContentsMargins(0, 0, 0, 0)
        col.setSpacing(12)
        col.addWidget(self.masked)
        col.addWidget(self.error)
        col.addWidget(self.info)
        col.addLayout(grid)
        if self.simulator is not None:
            col.addWidget(self.simulator)
        col.addLayout(foot)
        col.addStretch(1)

        self.id_match.clicked.connect(lambda: self._photo_id(True))
        self.id_mismatch.clicked.connect(lambda: self._photo_id(False))
        self.check_pin.clicked.connect(self._check_pin)
        self.pin.returnPressed.connect(self._check_pin)
        self.send.clicked.connect(self._send_code)
        self.check_code.clicked.connect(self._check_code)
        self.code.returnPressed.connect(self._check_code)
        self.back.clicked.connect(self.back_requested)
        for keys, slot in (("Ctrl+I", self.id_match.click), ("Ctrl+P", self._focus_pin),
                           ("Ctrl+S", self.send.click), ("Ctrl+K", self._focus_code),
                           ("Esc", self.back_requested.emit)):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(slot)
        if not sms.configured:
            self.send.setToolTip(f"{sms.label}: verify with a photo ID or the account PIN.")
        self.clear()

    # -- showing ----------------------------------------------------------------------------------------
    def start(self, visit: VisitDTO, masked: MaskedAccount) -> None:
        """Show the masked account of a freshly started (or already verified, for step-up) visit."""
        self.clear()
        self.visit = visit
        self.masked.show_account(masked, case_number=visit.case_number)
        for ln in masked.lines:
            if ln.active:
                self.line.addItem(ln.masked_msisdn, ln.line_id)
        if not self.line.count():
            self.line.addItem("No active line", None)
        self._apply(visit)
        if visit.locked_until is not None:
            self._locked(VerificationLocked("Verification on this account is locked after repeated failures; "
                                            "try again later or escalate to a manager."))
        self.back.setText("Back to account  (Esc)" if visit.level.value != "none" else "Back to search  (Esc)")

    def clear(self) -> None:
        self.visit, self.sent, self._busy = None, None, False
        self.masked.clear()
        self.line.clear()
        self.pin.clear()
        self.code.clear()
        self.error.hide()
        self.info.hide()
        if self.simulator is not None:
            self.simulator.clear()
        self.badge.set_level("none")
        for state in (self.id_state, self.pin_state, self.code_state):
            state.setText(NOT_DONE)
            set_prop(state, "done", "no")
        self._enable(True)

    def focus_first(self) -> None:
        target = self.id_type if self.id_type.isEnabled() else self.pin if self.pin.isEnabled() else self.back
        target.setFocus(Qt.FocusReason.OtherFocusReason)

    def _focus_pin(self) -> None:
        self.pin.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def _focus_code(self) -> None:
        self.code.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def _enable(self, on: bool) -> None:
        for w in self.cards.inputs:
            w.setEnabled(on)

    def _apply(self, visit: VisitDTO) -> None:
        self.visit = visit
        self.badge.set_level(visit.level.value)
        if visit.photo_id_type:
            self._done(self.id_state, f"✓ Matched · {ID_TYPES.get(PhotoIdType(visit.photo_id_type), '')}")
        if visit.pin_verified:
            self._done(self.pin_state, "✓ PIN matched" if visit.pin_counts else "✓ PIN matched (does not count "
                                                                                "on a new account)")
        if visit.code_verified:
            self._done(self.code_state, "✓ Code matched")
        for w in (self.id_type, self.id_match, self.id_mismatch):
            w.setEnabled(visit.photo_id_type is None)
        self.pin.setEnabled(not visit.pin_verified)
        self.check_pin.setEnabled(not visit.pin_verified)
        sms_widgets: tuple[QWidget, ...] = (self.line, self.send, self.code, self.check_code)
        can_send = self._sms_configured and not visit.code_verified and self.line.currentData() is not None
        for sms_widget in sms_widgets:
            sms_widget.setEnabled(can_send)

    @staticmethod
    def _done(state: QLabel, text: str) -> None:
        state.setText(text)
        set_prop(state, "done", "yes")

    # -- attempts ---------------------------------------------------------------------------------------
    def _begin(self) -> tuple[Callable[[], bool], Callable[[BaseException], None]] | None:
        """Start an attempt: (is this visit still shown?, the error handler), or None while one is running."""
        if self.visit is None or self._busy:
            return None  # one attempt at a time: a double press must not count two failures
        self._busy = True
        self.error.hide()
        self.info.hide()
        visit_id = self.visit.id

        def current() -> bool:  # the rep may have backed out of this visit meanwhile
            return self.visit is not None and self.visit.id == visit_id

        def failed(exc: BaseException) -> None:
            if current():
                self._failed(exc)
            elif not isinstance(exc, PosError):
                self._worker.report_unexpected(exc)

        return current, failed

    def _run(self, call: Callable[[VerificationService, Actor, Any], Any], done: Callable[[Any], None]) -> None:
        begun = self._begin()
        if begun is None or self.visit is None:
            return
        current, failed = begun
        svc, actor, visit_id = self._verification, self._actor(), self.visit.id

        def finished(result: Any) -> None:
            if current():
                self._busy = False
                done(result)

        self._worker.run(lambda: call(svc, actor, visit_id), finished, failed, owner=self)

    def _photo_id(self, matched: bool) -> None:
        id_type = self.id_type.currentData()
        self._run(lambda s, a, v: s.record_photo_id(a, v, id_type=id_type, matched=matched), self._attempted)

    def _check_pin(self) -> None:
        pin = self.pin.text()
        self.pin.clear()
        if not pin:
            self._message("Let the customer type the account PIN first.")
            return
        self._run(lambda s, a, v: s.check_pin(a, v, pin), self._attempted)

    def _send_code(self) -> None:
        line_id = self.line.currentData()
        if line_id is None or not self.send.isEnabled():
            return
        begun = self._begin()
        if begun is None or self.visit is None:
            return
        current, failed = begun
        svc, actor, visit_id = self._verification, self._actor(), self.visit.id

        def recorded(sent: CodeSent) -> None:
            if current():
                self._busy = False
                self._code_sent(sent)

        def delivered(pending: PendingCode, delivery: Delivery) -> None:  # recorded even if the rep moved on
            self._worker.run(lambda: svc.record_delivery(actor, pending, delivery), recorded, failed, owner=self)

        def prepared(pending: PendingCode) -> None:
            self._device_worker.run(lambda: svc.deliver(pending), lambda d: delivered(pending, d), failed,
                                    owner=self)

        self._worker.run(lambda: svc.prepare_code(actor, visit_id, line_id=line_id), prepared, failed, owner=self)

    def _check_code(self) -> None:
        code = self.code.text()
        if len(code) != 6:
            self._message("The code is 6 digits.")
            return
        self._run(lambda s, a, v: s.check_code(a, v, code), self._attempted)

    # -- outcomes ---------------------------------------------------------------------------------------
    def _attempted(self, visit: VisitDTO) -> None:
        before = self.visit.level.value if self.visit else "none"
        self._apply(visit)
        self.visit_changed.emit(visit)
        if visit.pin_verified and not visit.pin_counts and visit.level.value == "none":
            self.info.setText("The PIN matched, but this account was opened or its address changed in the last "
                              "30 days: verify with a one-time code by text.")
            self.info.show()
        if visit.level.value != "none" and visit.level.value != before:
            self.verified.emit(visit)
        elif visit.photo_id_type is None:
            self.focus_first()
        else:
            self._next_focus(visit)

    def _next_focus(self, visit: VisitDTO) -> None:
        if not visit.pin_verified and self.pin.isEnabled():
            self.pin.setFocus()
        elif self.send.isEnabled():
            self.send.setFocus()

    def _code_sent(self, sent: CodeSent) -> None:
        self.sent = sent
        self.code_state.setText(f"Sent to {sent.masked_msisdn} · valid until {sent.expires_at.astimezone():%H:%M}")
        controls = self._sms_controls
        text = controls.message_text(sent.message_id) if controls is not None and sent.message_id else None
        if self.simulator is not None and text is not None:
            self.simulator.show_message(to=sent.masked_msisdn, text=text, label=sent.gateway_label)
        self.code.setFocus()

    def _failed(self, exc: BaseException) -> None:
        self._busy = False
        if isinstance(exc, VerificationLocked):
            self._locked(exc)
            return
        show_error(self.error, exc, self._worker)
        self.code.clear()

    def _locked(self, exc: BaseException) -> None:
        self.error.setText(f"🔒 {exc}")
        self.error.show()
        self._enable(False)
        self.back.setFocus()

    def _message(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()
