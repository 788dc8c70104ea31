"""Reading and changing settings (admin), audited; the Core's snapshot is replaced after each change."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any

from sqlalchemy import select

from posapp.config import DEVICE_SETTINGS, SPECS, Settings, settings_from_values, simulated_devices, spec
from posapp.db.models import Setting, Store, Terminal
from posapp.errors import ValidationError
from posapp.events import SettingsChanged
from posapp.security.permissions import Permission
from posapp.services.dto import SYSTEM_ACTOR, Actor
from posapp.services.uow import UnitOfWork


class SettingsService:
    def __init__(self, *, uow: UnitOfWork, running_simulators: Callable[[], Mapping[str, bool]] | None = None) -> None:
        """``running_simulators``: device setting -> whether the adapter this process runs is a simulator."""
        self._uow = uow
        self._running = running_simulators

    def current(self) -> Settings:
        return self._uow.core.settings

    def get(self, key: str) -> Any:
        spec(key)  # rejects unknown keys
        return self.current().as_dict()[key]

    def update(self, actor: Actor, changes: Mapping[str, object]) -> Settings:
        """Validate every change first; write all or nothing."""
        parsed = {key: spec(key).parse(raw) for key, raw in changes.items()}
        before = self.current().as_dict()
        changed = {k: v for k, v in parsed.items() if before[k] != v}
        if not changed:
            return self.current()
        refuse_simulators_outside_training({**before, **changed}, changed,
                                           self._running() if self._running is not None else None)
        with self._uow.write(actor, Permission.SETTINGS_EDIT) as tx:
            for key, value in changed.items():
                row = tx.session.get(Setting, key)
                text = json.dumps(value)
                if row is None:
                    tx.session.add(Setting(key=key, value=text, updated_at=tx.now, updated_by=actor.number))
                else:
                    row.value, row.updated_at, row.updated_by = text, tx.now, actor.number
            tx.touched.add("setting")
            after = settings_from_values({**before, **changed})
            _sync_store_rows(tx.session, after, tx.now)
            tx.audit("settings.update", entity="setting", entity_id=",".join(sorted(changed)),
                     details={k: {"from": before[k], "to": v} for k, v in changed.items()})
        self._uow.core.replace_settings(after)
        self._uow.core.events.publish(SettingsChanged(frozenset(changed)))
        return after

    def ensure_store_rows(self) -> None:
        """Create the store and terminal rows for the current settings if they are missing."""
        s = self.current()
        with self._uow.read() as session:
            present = session.get(Store, s.store_id) is not None and session.get(
                Terminal, (s.store_id, s.terminal_id)) is not None
        if present:
            return
        with self._uow.write(SYSTEM_ACTOR) as tx:
            _sync_store_rows(tx.session, s, tx.now)
            tx.touched.add("store")
            tx.audit("store.register_terminal", entity="terminal", entity_id=f"{s.store_id}-{s.terminal_id}")

    @staticmethod
    def specs() -> list[dict[str, Any]]:
        return [{"key": s.key, "type": s.kind.__name__, "default": s.default, "label": s.label, "help": s.help,
                 "choices": list(s.choices)} for s in SPECS]


def _names(keys: list[str]) -> tuple[str, str]:
    names = [DEVICE_SETTINGS[k] for k in keys]
    what = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    return what, "is a simulator" if len(names) == 1 else "are simulators"


def refuse_simulators_outside_training(after: Mapping[str, object], changed: Mapping[str, object],
                                       running: Mapping[str, bool] | None = None) -> None:
    """Going live (``training_mode false``) is refused while any device is a simulator — as set, or as still
    running (``running``: device setting -> its adapter is a simulator; device settings apply at the next start)
    — and so is choosing a simulator while training mode is off. A change that touches neither is never refused
    for an older state."""
    if after["training_mode"] or not ("training_mode" in changed or simulated_devices(changed)):
        return
    simulated = simulated_devices(after)
    if simulated and "training_mode" not in changed:
        what, _ = _names(simulated)
        raise ValidationError(f"Training mode is off: the {what} cannot be a simulator (simulators are only "
                              "allowed in training mode).")
    if simulated:
        what, verb = _names(simulated)
        keys = ", ".join(simulated)
        fix = f"configure a real one or set {keys} none" if len(simulated) == 1 else \
            f"configure real ones or set {keys} to none"
        raise ValidationError(f"Training mode stays on: the {what} {verb}; {fix} first.")
    still = [k for k, sim in (running or {}).items() if sim]
    if still:
        what, verb = _names(still)
        raise ValidationError(f"Training mode stays on: the {what} {verb} still in use on this terminal (device "
                              "settings take effect at the next start); restart posapp, then set training_mode "
                              "false.")


def _sync_store_rows(session: Any, s: Settings, now: Any) -> None:
    """Keep the store and terminal rows in step with the settings that describe them."""
    store = session.get(Store, s.store_id)
    if store is None:
        session.add(Store(id=s.store_id, name=s.store_name, address=s.store_address, timezone=s.store_timezone,
                          tax_jurisdiction=s.tax_jurisdiction))
    else:
        store.name, store.address = s.store_name, s.store_address
        store.timezone, store.tax_jurisdiction = s.store_timezone, s.tax_jurisdiction
    session.flush()
    if session.scalar(select(Terminal).where(Terminal.store_id == s.store_id, Terminal.id == s.terminal_id)) is None:
        session.add(Terminal(store_id=s.store_id, id=s.terminal_id, name=f"Counter {s.terminal_id}",
                             registered_at=now))
