"""The admin's settings dialog, built from ``posapp.config.SPECS``: one typed editor per setting.

Saving sends only the changed values to ``SettingsService.update`` (through the DB worker); a ValidationError is
shown under the field it names. The service checks the admin permission; the dialog is only offered to admins.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QLabel,
    QLineEdit,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from posapp.errors import PosError
from ui.qt import named

if TYPE_CHECKING:
    from posapp.config import Settings, SettingSpec
    from ui.worker import DbWorker

SaveSettings = Callable[[Mapping[str, object]], "Settings"]

GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Store and terminal", ("store_id", "terminal_id", "store_name", "store_address", "store_timezone",
                            "tax_jurisdiction")),
    ("Security", ("idle_lock_minutes", "max_pin_failures", "lockout_minutes")),
    ("Central store and sync", ("central_url", "sync_enabled", "sync_interval_seconds", "sync_full_check_hours")),
    ("Receipts and display", ("printer_name", "receipt_format", "return_window_days", "discount_limit_percent",
                              "customer_display", "signature_threshold_cents")),
    ("Offline card payments", ("offline_card_max_cents", "offline_card_total_cents", "offline_forward_hours")),
)


def make_editor(spec: SettingSpec, value: Any) -> QWidget:
    editor: QWidget
    if spec.kind is bool:
        box = QCheckBox("On")
        box.setChecked(bool(value))
        editor = box
    elif spec.choices:
        combo = QComboBox()
        combo.addItems(list(spec.choices))
        combo.setCurrentText(str(value))
        combo.setMaximumWidth(220)
        editor = combo
    elif spec.kind is int:
        spin = QSpinBox()
        spin.setRange(spec.minimum if spec.minimum is not None else -1_000_000,
                      spec.maximum if spec.maximum is not None else 1_000_000)
        spin.setValue(int(value))
        spin.lineEdit().setTextMargins(6, 0, 0, 0)  # the stylesheet's padding does not reach the inner edit
        spin.setMinimumWidth(140)
        spin.setMaximumWidth(220)
        editor = spin
    else:
        line = QLineEdit(str(value))
        line.setClearButtonEnabled(True)
        editor = line
    editor.setObjectName(f"setting_{spec.key}")
    editor.setAccessibleName(spec.label)
    return editor


def editor_value(editor: QWidget) -> object:
    if isinstance(editor, QCheckBox):
        return editor.isChecked()
    if isinstance(editor, QComboBox):
        return editor.currentText()
    if isinstance(editor, QSpinBox):
        return editor.value()
    assert isinstance(editor, QLineEdit)
    return editor.text().strip()


class SettingsDialog(QDialog):
    saved = Signal(object)  # Settings

    def __init__(self, *, specs: Sequence[SettingSpec], values: Mapping[str, Any], save: SaveSettings,
                 worker: DbWorker, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("SettingsDialog")
        self.setWindowTitle("Settings")
        self.setModal(True)
        self.resize(760, 700)
        self._save, self._worker = save, worker
        self._initial = dict(values)
        self.editors: dict[str, QWidget] = {}
        self.field_errors: dict[str, QLabel] = {}

        body = QWidget()
        col = QVBoxLayout(body)
        col.setContentsMargins(0, 0, 8, 0)
        col.setSpacing(16)
        by_key = {s.key: s for s in specs}
        groups = [*GROUPS, ("Other", tuple(k for k in by_key if k not in {k for _, ks in GROUPS for k in ks}))]
        for title, keys in groups:
            present = [by_key[k] for k in keys if k in by_key]
            if present:
                col.addWidget(self._group(title, present))
        col.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(body)
        scroll.setFrameShape(QFrame.Shape.NoFrame)

        outer = QVBoxLayout(self)
        outer.setContentsMargins(28, 24, 20, 20)
        outer.setSpacing(12)
        outer.addWidget(named(QLabel("Settings"), "DialogTitle"))
        note = named(QLabel("Changes apply to this terminal at once and are recorded in the audit log."), "Muted")
        outer.addWidget(note)
        self.error = named(QLabel(""), "ErrorText")
        self.error.setWordWrap(True)
        self.error.setVisible(False)
        outer.addWidget(self.error)
        outer.addWidget(scroll, 1)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setProperty("primary", True)
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        outer.addWidget(self.buttons)
        first = next(iter(self.editors.values()), None)
        if first is not None:
            first.setFocus()

    def _group(self, title: str, specs: Sequence[SettingSpec]) -> QFrame:
        frame = named(QFrame(), "SettingsGroup")
        col = QVBoxLayout(frame)
        col.setContentsMargins(20, 16, 20, 16)
        col.setSpacing(10)
        col.addWidget(named(QLabel(title.upper()), "SectionTitle"))
        form = QFormLayout()
        form.setHorizontalSpacing(18)
        form.setVerticalSpacing(12)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for spec in specs:
            editor = make_editor(spec, self._initial.get(spec.key, spec.default))
            self.editors[spec.key] = editor
            cell = QVBoxLayout()
            cell.setSpacing(3)
            cell.addWidget(editor)
            if spec.help:
                help_text = named(QLabel(spec.help), "FieldHelp")
                help_text.setWordWrap(True)
                cell.addWidget(help_text)
            problem = named(QLabel(""), "FieldError")
            problem.setWordWrap(True)
            problem.setVisible(False)
            cell.addWidget(problem)
            self.field_errors[spec.key] = problem
            label = QLabel(spec.label)
            label.setBuddy(editor)
            label.setWordWrap(True)
            label.setMinimumWidth(200)
            form.addRow(label, cell)
        col.addLayout(form)
        return frame

    def changes(self) -> dict[str, object]:
        return {k: v for k, e in self.editors.items() if (v := editor_value(e)) != self._initial.get(k)}

    def submit(self) -> None:
        self._clear_errors()
        changes = self.changes()
        if not changes:
            self.accept()
            return
        self.save_button.setEnabled(False)
        save = self._save
        self._worker.run(lambda: save(changes), self._succeeded, self._failed, owner=self)

    def _succeeded(self, settings: Settings) -> None:
        self.save_button.setEnabled(True)
        self.saved.emit(settings)
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self.save_button.setEnabled(True)
        if not isinstance(exc, PosError):
            self._worker.report_unexpected(exc)
            return
        message = str(exc)
        key, _, detail = message.partition(":")
        if key in self.editors:
            self.field_errors[key].setText(detail.strip() or message)
            self.field_errors[key].setVisible(True)
            self._mark(self.editors[key], True)
            self.editors[key].setFocus()
            self.error.setText("Not saved. Fix the marked setting and save again.")
        else:
            self.error.setText(f"Not saved. {message}")
        self.error.setVisible(True)

    def _clear_errors(self) -> None:
        self.error.setVisible(False)
        for key, label in self.field_errors.items():
            label.setVisible(False)
            self._mark(self.editors[key], False)

    @staticmethod
    def _mark(editor: QWidget, invalid: bool) -> None:
        editor.setProperty("invalid", invalid)
        editor.style().unpolish(editor)
        editor.style().polish(editor)
