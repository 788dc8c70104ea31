"""The background sender of the carrier's queue: DB steps on the DB worker, carrier calls on ``posapp-carrier``
(never the UI thread), answers reaching the bridge's ``line_status_changed`` / ``esim_code_ready``, offline
passes that leave the lines pending, and the app starting and stopping it."""

from __future__ import annotations

import threading
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from posapp.adapters.provisioning import Ack, Answer, SimulatedCarrier
from posapp.adapters.sms import SimulatedSmsGateway
from posapp.db.models import ActivationLine
from posapp.domain.activation import LineActivationStatus, SimKind
from posapp.events import EsimCodeReady, LineStatusChanged
from posapp.services.activation.queue import ProvisioningService
from tests.services.activation.builder import imei, queued_line
from tests.services.activation.conftest import MemoryPins
from ui.bridge import EventBridge
from ui.provisioning_worker import ProvisioningWorker
from ui.worker import DbWorker


class ThreadNotingCarrier(SimulatedCarrier):
    """The simulator, noting which thread asked it."""

    def __init__(self) -> None:
        super().__init__(delay_s=0)
        self.threads: list[str] = []

    def submit(self, request_id: str, action: str, payload: Mapping[str, Any], transfer_pin: str | None) -> Ack:
        self.threads.append(threading.current_thread().name)
        return super().submit(request_id, action, payload, transfer_pin)

    def poll(self, request_ids: Sequence[str]) -> list[Answer]:
        self.threads.append(threading.current_thread().name)
        return super().poll(request_ids)


@pytest.fixture
def carrier_worker(qtbot: QtBot, unexpected: list[BaseException]) -> Iterator[DbWorker]:
    w = DbWorker(on_unexpected=unexpected.append, name="posapp-carrier")
    yield w
    w.shutdown(wait=True)


@pytest.fixture
def rig(services: Any, worker: DbWorker, carrier_worker: DbWorker) -> Iterator[tuple[ProvisioningWorker,
                                                                                   ThreadNotingCarrier,
                                                                                   EventBridge]]:
    carrier = ThreadNotingCarrier()
    queue = ProvisioningService(uow=services.uow, carrier=carrier, sms=SimulatedSmsGateway(), pins=MemoryPins(),
                                backoff_base_s=0)
    bridge = EventBridge()
    bridge.attach(services.core.events)
    sender = ProvisioningWorker(queue=queue, db_worker=worker, carrier_worker=carrier_worker, interval_s=60)
    yield sender, carrier, bridge
    sender.stop()
    bridge.detach()


def _status(services: Any, line_id: Any) -> LineActivationStatus:
    with services.uow.read() as s:
        row = s.get(ActivationLine, line_id)
        assert row is not None
        return row.status


def test_a_pass_sends_on_the_carrier_thread_and_answers_reach_the_bridge(qtbot: QtBot, services: Any,
                                                                        employees: Any, make_account: Any,
                                                                        rig: Any) -> None:
    sender, carrier, bridge = rig
    account = make_account()
    built = queued_line(services, employees.rep, account_id=account.account_id,
                        account_number=account.account_number, sim_kind=SimKind.ESIM, device_imei=imei(60))
    changes: list[LineStatusChanged] = []
    codes: list[EsimCodeReady] = []
    bridge.line_status_changed.connect(changes.append)
    bridge.esim_code_ready.connect(codes.append)
    bridge.data_changed.connect(lambda _e: sender.wake())  # as the app does
    sender.start(first_delay_s=60)
    for _ in range(3):  # sent, in progress, active
        with qtbot.waitSignal(sender.finished, timeout=10_000):
            sender.send_now()
    qtbot.waitUntil(lambda: _status(services, built.line_id) is LineActivationStatus.ACTIVE, timeout=10_000)
    qtbot.waitUntil(lambda: len(codes) == 1, timeout=5_000)
    assert [c.status for c in changes] == ["submitted", "in_progress", "active"]
    assert codes[0].activation_line_id == built.line_id and codes[0].code.startswith("LPA:1$")
    assert carrier.threads and all(t.startswith("posapp-carrier") for t in carrier.threads)
    assert threading.main_thread().name not in carrier.threads
    qtbot.wait(200)
    assert sender.passes == 3 and not sender.busy  # its own writes do not start pass after pass


def test_offline_a_pass_leaves_the_line_pending_then_sends_when_back(qtbot: QtBot, services: Any,
                                                                     employees: Any, make_account: Any,
                                                                     rig: Any) -> None:
    sender, carrier, _bridge = rig
    account = make_account()
    built = queued_line(services, employees.rep, account_id=account.account_id,
                        account_number=account.account_number)
    carrier.test_controls().go_offline()
    sender.start(first_delay_s=60)
    with qtbot.waitSignal(sender.finished, timeout=10_000) as blocker:
        sender.send_now()
    report = blocker.args[0]
    assert report.offline and report.sent == 0 and report.queued == 1
    assert _status(services, built.line_id) is LineActivationStatus.QUEUED
    carrier.test_controls().go_online()
    with qtbot.waitSignal(sender.finished, timeout=10_000) as blocker:
        sender.send_now()
    assert blocker.args[0].sent == 1
    assert _status(services, built.line_id) is LineActivationStatus.SUBMITTED


def test_the_app_runs_the_sender_on_its_own_carrier_worker(qtbot: QtBot, make_app: Any, start_ready: Any) -> None:
    app = make_app(provisioning=True)
    start_ready(app)
    assert app.provisioning_worker is not None and app.provisioning_worker.running
    assert app.carrier_worker.name == "posapp-carrier" and app.carrier_worker is not app.device_worker
    app.shutdown()
    assert not app.provisioning_worker.running


def test_tests_and_a_terminal_without_a_carrier_link_run_no_sender(qtbot: QtBot, make_app: Any,
                                                                  start_ready: Any) -> None:
    app = make_app()
    start_ready(app)
    assert app.provisioning_worker is None
