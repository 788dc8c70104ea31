"""Interaction records: each visit opens a case with a case number; notes are append-only; a disposition
closes the case (DOMAIN.md, interaction records). Notes never contain a PIN, card number or activation code."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from posapp.db.models import Employee, Interaction, InteractionNote
from posapp.domain.enums import CaseStatus, Disposition
from posapp.errors import NotFoundError, ValidationError
from posapp.security.permissions import Permission
from posapp.services.dto import Actor
from posapp.services.numbers import next_number
from posapp.services.uow import Tx, UnitOfWork

MAX_NOTE = 2000
_SECRETISH = [
    (re.compile(r"\b(?:\d[ -]?){13,19}\b"), "a card-like number"),
    (re.compile(r"LPA:1\$", re.IGNORECASE), "an eSIM activation code"),
    (re.compile(r"\bpin\b\D{0,12}\d{4,15}\b", re.IGNORECASE), "a PIN"),
]


@dataclass(frozen=True)
class NoteDTO:
    id: uuid.UUID
    author: str
    at: datetime
    text: str


@dataclass(frozen=True)
class CaseDTO:
    id: uuid.UUID
    case_number: str
    reason: str
    status: str
    opened_at: datetime
    opened_by: str
    disposition: str | None
    disposition_reason: str | None
    closed_at: datetime | None
    notes: tuple[NoteDTO, ...]


def check_note_text(text: str) -> str:
    text = text.strip()
    if not text:
        raise ValidationError("The note is empty.")
    if len(text) > MAX_NOTE:
        raise ValidationError(f"Notes are at most {MAX_NOTE} characters.")
    for pattern, what in _SECRETISH:
        if pattern.search(text):
            raise ValidationError(f"The note seems to contain {what}; notes must never hold one.")
    return text


def open_case(tx: Tx, *, account_id: uuid.UUID | None, customer_id: uuid.UUID | None, reason: str) -> Interaction:
    """Open a case inside the caller's transaction (used by the visit start)."""
    assert tx.actor.employee_id is not None, "cases are opened by a signed-in employee"
    s = tx.settings
    number = next_number(tx.session, name="case", store_id=s.store_id, terminal_id=s.terminal_id,
                         column=Interaction.case_number)
    case = Interaction(case_number=number, account_id=account_id, customer_id=customer_id,
                       opened_by=tx.actor.employee_id, opened_at=tx.now, reason=reason[:60],
                       status=CaseStatus.OPEN)
    tx.add(case)
    tx.audit("case.open", entity="interaction", entity_id=str(case.id), details={"case": number})
    return case


class InteractionService:
    def __init__(self, *, uow: UnitOfWork) -> None:
        self._uow = uow

    def add_note(self, actor: Actor, case_id: uuid.UUID, text: str) -> NoteDTO:
        text = check_note_text(text)
        with self._uow.write(actor, Permission.CASE_WRITE) as tx:
            case = tx.session.get(Interaction, case_id)
            if case is None:
                raise NotFoundError("No such case.")
            if case.status is CaseStatus.CLOSED:
                raise ValidationError(f"Case {case.case_number} is closed; open a new case to add notes.")
            assert actor.employee_id is not None
            note = InteractionNote(interaction_id=case.id, author_id=actor.employee_id, text=text)
            tx.add(note)
            tx.audit("case.note", entity="interaction", entity_id=str(case.id), details={"chars": len(text)})
            return NoteDTO(note.id, actor.name, note.created_at, note.text)

    def close(self, actor: Actor, case_id: uuid.UUID, *, disposition: Disposition | str, reason: str = "") -> None:
        try:
            disposition = Disposition(disposition)
        except ValueError:
            raise ValidationError("Choose resolved, follow-up required or escalated.") from None
        reason = reason.strip()
        if disposition is not Disposition.RESOLVED and not reason:
            raise ValidationError("Give a reason for a follow-up or an escalation.")
        with self._uow.write(actor, Permission.CASE_WRITE) as tx:
            case = tx.session.get(Interaction, case_id)
            if case is None:
                raise NotFoundError("No such case.")
            if case.status is CaseStatus.CLOSED:
                return
            case.status, case.disposition, case.disposition_reason = CaseStatus.CLOSED, disposition, reason or None
            case.closed_at, case.closed_by = tx.now, actor.employee_id
            tx.changed(case)
            tx.audit("case.close", entity="interaction", entity_id=str(case.id),
                     details={"disposition": disposition.value})

    def recent(self, account_id: uuid.UUID, *, limit: int = 10) -> list[CaseDTO]:
        with self._uow.read() as s:
            cases = s.scalars(select(Interaction).where(Interaction.account_id == account_id)
                              .order_by(Interaction.opened_at.desc()).limit(limit)).all()
            ids = [c.id for c in cases]
            notes = s.scalars(select(InteractionNote).where(InteractionNote.interaction_id.in_(ids))
                              .order_by(InteractionNote.created_at)).all() if ids else []
            people = {e.id: e.name for e in s.scalars(select(Employee))}
            by_case: dict[uuid.UUID, list[NoteDTO]] = {}
            for n in notes:
                by_case.setdefault(n.interaction_id, []).append(
                    NoteDTO(n.id, people.get(n.author_id, "?"), n.created_at, n.text))
            return [CaseDTO(c.id, c.case_number, c.reason, c.status.value, c.opened_at,
                            people.get(c.opened_by, "?"), c.disposition.value if c.disposition else None,
                            c.disposition_reason, c.closed_at, tuple(by_case.get(c.id, ())))
                    for c in cases]
