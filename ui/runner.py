"""One way for a page, panel or dialog to call the services: :class:`ServiceRunner`.

``runner.call(fn, done, action=...)`` runs ``fn(override)`` on the DB worker and hands the result to ``done`` on
the UI thread. A refusal for want of a permission (:class:`PermissionDenied` carrying it) opens the manager
override dialog (:class:`ui.widgets.override_dialog.OverrideDialog`) once and runs ``fn`` again with the granted
:class:`Override`; closing the dialog without an approval reports the original refusal. Errors go to ``on_error``
when given, else a :class:`PosError`'s message goes to the owner's error line (``show_error``) and anything else to
the app's unexpected-error handler (``worker.report_unexpected``).

``runner.device(fn, done)`` runs a call that waits on a device (card terminal, cash drawer, printer rasterising)
on the device worker, so the DB worker never waits for one. It never asks for an override: the permission was
checked by the database step before it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

from PySide6.QtCore import QObject, Signal

from posapp.errors import PermissionDenied, PosError
from posapp.security.permissions import Permission

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

    from posapp.services.dto import Actor, Override
    from ui.widgets.override_dialog import OverrideAuth, OverrideDialog
    from ui.worker import DbWorker

T = TypeVar("T")
#: What a manager's override can grant: an employee permission. A refusal for the customer's side (the visit's
#: verification or account role, e.g. ``add_line``) is reported as it is; no override can lift it.
_EMPLOYEE_PERMISSIONS = frozenset(p.value for p in Permission)
ErrorHandler = Callable[[BaseException], object]


class ServiceRunner(QObject):
    """Service calls of one view (its ``owner`` widget): worker, override retry, errors (see the module doc)."""

    busy_changed = Signal(int)  # calls in flight
    override_closed = Signal()  # the override dialog went away (the owner takes the keyboard back)

    def __init__(self, *, worker: DbWorker, device_worker: DbWorker | None = None, auth: OverrideAuth | None,
                 actor: Actor | Callable[[], Actor], owner: QWidget, show_error: Callable[[str], None],
                 parent: QObject | None = None) -> None:
        """``auth``: how a manager's override is checked; None for a view none of whose calls can be overridden
        (a refused permission is then reported like any error). ``actor``: the signed-in employee, or a callable
        giving it (a view whose actor is read at each call)."""
        super().__init__(parent if parent is not None else owner)
        self._worker = worker
        self._device = device_worker or worker
        self._auth, self._actor, self._owner = auth, actor, owner
        self._show_error = show_error
        self.override_dialog: OverrideDialog | None = None
        self.calls = 0

    @property
    def busy(self) -> bool:
        return self.calls > 0

    @property
    def device_worker(self) -> DbWorker:
        return self._device

    def failed(self, exc: BaseException) -> None:
        """The default error handling: a PosError on the error line, anything else to the app's handler."""
        if isinstance(exc, PosError):
            self._show_error(str(exc))
        else:
            self._worker.report_unexpected(exc)

    def report_unexpected(self, exc: BaseException) -> None:
        self._worker.report_unexpected(exc)

    def sibling(self, *, owner: QWidget, show_error: Callable[[str], None]) -> ServiceRunner:
        """A runner for a dialog of this view: same workers, auth and actor; errors on the dialog's own line."""
        return ServiceRunner(worker=self._worker, device_worker=self._device, auth=self._auth, actor=self._actor,
                             owner=owner, show_error=show_error)

    def call(self, fn: Callable[[Override | None], T], on_done: Callable[[T], object], *, action: str,
             on_error: ErrorHandler | None = None, override: Override | None = None,
             ask_override: bool = True) -> None:
        """Run ``fn(override)`` on the DB worker; a refused permission asks a manager once and runs it again
        (``ask_override=False``: a refusal is final, e.g. a report only a manager may run)."""

        def failed(exc: BaseException) -> None:
            if (isinstance(exc, PermissionDenied) and exc.permission in _EMPLOYEE_PERMISSIONS and override is None
                    and ask_override and self._auth is not None):
                self.ask_override(Permission(exc.permission), action,
                                  lambda ov: self.call(fn, on_done, action=action, on_error=on_error, override=ov),
                                  cancelled=lambda: (on_error or self.failed)(exc))
                return
            (on_error or self.failed)(exc)

        self._submit(self._worker, lambda: fn(override), on_done, failed)

    def device(self, fn: Callable[[], T], on_done: Callable[[T], object], *,
               on_error: ErrorHandler | None = None) -> None:
        """Run ``fn()`` on the device worker (a terminal, the drawer, rasterising for the printer)."""
        self._submit(self._device, fn, on_done, on_error or self.failed)

    def _submit(self, worker: DbWorker, fn: Callable[[], T], on_done: Callable[[T], object],
                on_error: ErrorHandler) -> None:
        self._count(+1)

        def done(result: T) -> None:
            self._count(-1)
            on_done(result)

        def failed(exc: BaseException) -> None:
            self._count(-1)
            on_error(exc)

        worker.run(fn, done, failed, owner=self._owner)

    def _count(self, delta: int) -> None:
        self.calls += delta
        self.busy_changed.emit(self.calls)

    def ask_override(self, permission: Permission, action: str, then: Callable[[Override], object], *,
                     cancelled: Callable[[], object]) -> None:
        """A manager's number + PIN (non-modal); ``then(override)`` when granted, ``cancelled()`` when the dialog
        is closed without an approval."""
        from ui.widgets.override_dialog import OverrideDialog

        assert self._auth is not None, "ask_override needs the runner's auth"
        actor = self._actor() if callable(self._actor) else self._actor
        dialog = OverrideDialog(actor=actor, permission=permission, action=action, auth=self._auth,
                                worker=self._worker, parent=self._owner)
        dialog.granted.connect(then)

        def closed(_result: int) -> None:
            if dialog.override is None:
                cancelled()
            if self.override_dialog is dialog:
                self.override_dialog = None
            dialog.deleteLater()
            self.override_closed.emit()

        dialog.finished.connect(closed)
        self.override_dialog = dialog
        dialog.open()
