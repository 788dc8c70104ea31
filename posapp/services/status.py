"""What the status bar shows: store, terminal, unsynced changes, online/offline."""

from __future__ import annotations

from posapp.db.models import Store
from posapp.services.dto import TerminalInfo
from posapp.services.uow import UnitOfWork
from posapp.sync.outbox import pending_count


class StatusService:
    def __init__(self, *, uow: UnitOfWork) -> None:
        self._uow = uow

    def terminal_info(self) -> TerminalInfo:
        s = self._uow.core.settings
        with self._uow.read() as session:
            store = session.get(Store, s.store_id)
            unsynced = pending_count(session)
        central = s.central_url or "embedded central store"
        # No sync engine yet (issue 5): the terminal has never reached a central store, so it reports offline.
        return TerminalInfo(store_id=s.store_id, store_name=store.name if store else s.store_name,
                            terminal_id=s.terminal_id, unsynced_changes=unsynced, online=False,
                            central_label=central.split("@")[-1])
