"""What a sync run and a convergence check report (the engine returns them; the CLI and the UI show them)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SyncReport:
    """What one run did. ``ok`` is False when it stopped early (``error`` says why) or an entity diverged."""

    pushed: int = 0
    duplicates: int = 0
    rejected: int = 0
    pulled: int = 0
    conflicts: int = 0                  # conflicts the central store has flagged for this store (unresolved)
    new_conflicts: int = 0              # of those, first seen in this run
    guarded_fields: int = 0             # pulled values not applied because a newer local change is pending
    apply_problems: int = 0             # pulled rows that could not be written locally (kept in sync_problem)
    held: int = 0                       # pulled rows held back by a local unique key collision (see sync/held.py)
    rebuilt: tuple[str, ...] = ()
    diverged: tuple[str, ...] = ()
    checked: int = 0                    # entities compared with the centre by this run
    pending: int = 0                    # outbox changes still unacknowledged after the run
    cursor: str = ""
    seconds: float = 0.0
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None and not self.diverged


@dataclass(frozen=True)
class VerifyReport:
    """This terminal against the central store, entity by entity, at the stored cursor."""

    cursor: str
    entities: tuple[tuple[str, int, int], ...]     # (entity, local count, central count) of every entity compared
    differing: tuple[str, ...]
    pending: int

    @property
    def ok(self) -> bool:
        return not self.differing
