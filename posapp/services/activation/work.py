"""What the provisioning queue's steps hand each other. Plain frozen data; no ORM rows, no secrets (an eSIM code
is only in an :class:`~posapp.adapters.provisioning.Answer` on its way to an ``EsimCodeReady`` event)."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from posapp.adapters.provisioning import Ack, Answer
from posapp.domain.activation import RequestAction
from posapp.events import EsimCodeReady, LineStatusChanged


@dataclass(frozen=True)
class SendWork:
    """A queued request that is due: what the carrier is sent (the transfer PIN is read only when sending)."""

    request_id: uuid.UUID
    activation_line_id: uuid.UUID
    action: RequestAction
    payload: Mapping[str, Any]
    port_in_id: uuid.UUID | None
    attempts: int


@dataclass(frozen=True)
class Due:
    send: tuple[SendWork, ...]
    poll: tuple[uuid.UUID, ...]  # requests the carrier has, waiting for their answer


class SendFailure(StrEnum):
    UNAVAILABLE = "unavailable"  # nothing was received: offline, link down, no carrier configured
    TIMEOUT = "timeout"  # no answer in time: the carrier may have it (resend with the same id)
    LOCAL = "local"  # this terminal could not prepare the request (e.g. the keyring is not available)


@dataclass(frozen=True)
class SendOutcome:
    ack: Ack | None = None
    failure: SendFailure | None = None
    error: str | None = None  # plain words for the rep; never a PIN


@dataclass(frozen=True)
class PollOutcome:
    answers: tuple[Answer, ...] = ()
    error: str | None = None  # the carrier could not be asked (offline): try again next pass


@dataclass(frozen=True)
class Notice:
    """A text message for the customer, sent after the answer is committed (no code, no PIN)."""

    to_e164: str
    text: str


@dataclass(frozen=True)
class Recorded:
    """What recording steps produced: the events published after the commit and the texts still to send."""

    changes: tuple[LineStatusChanged, ...] = ()
    codes: tuple[EsimCodeReady, ...] = ()
    notices: tuple[Notice, ...] = ()


@dataclass(frozen=True)
class PassReport:
    """One pass of the queue (``run_once``)."""

    sent: int = 0
    duplicates: int = 0  # resent requests the carrier already had
    retried: int = 0
    dead: int = 0
    answered: int = 0  # answers that changed a line
    offline: bool = False  # a send or a poll could not reach the carrier
    queued: int = 0  # after the pass: requests waiting to be sent (offline: pending, never done)
    awaiting: int = 0  # after the pass: requests the carrier has, waiting for a final answer
