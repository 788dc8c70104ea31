"""Core events reach views as Qt signals on the UI thread, whichever thread wrote."""

from __future__ import annotations

import threading

from posapp.events import DataChanged, EventBus, SettingsChanged
from posapp.services.dto import SYSTEM_ACTOR
from ui.bridge import EventBridge


def test_events_from_a_worker_thread_arrive_on_the_ui_thread(qtbot):
    bus = EventBus()
    bridge = EventBridge()
    bridge.attach(bus)
    received: list[tuple[object, str]] = []
    bridge.data_changed.connect(lambda e: received.append((e, threading.current_thread().name)))
    event = DataChanged(frozenset({"customer"}), 2)
    with qtbot.waitSignal(bridge.data_changed, timeout=5_000):
        threading.Thread(target=bus.publish, args=(event,), name="writer").start()
    assert received == [(event, threading.main_thread().name)]
    bridge.detach()


def test_settings_changes_and_detach(qtbot):
    bus = EventBus()
    bridge = EventBridge()
    bridge.attach(bus)
    with qtbot.waitSignal(bridge.settings_changed) as got:
        bus.publish(SettingsChanged(frozenset({"store_name"})))
    assert got.args[0].keys == frozenset({"store_name"})
    bridge.detach()
    with qtbot.assertNotEmitted(bridge.data_changed, wait=50):
        bus.publish(DataChanged(frozenset({"x"})))


def test_real_service_writes_are_forwarded(qtbot, services, employees, worker):
    bridge = EventBridge()
    bridge.attach(services.core.events)
    with qtbot.waitSignal(bridge.data_changed, timeout=10_000) as got:
        worker.run(lambda: services.employees.add(SYSTEM_ACTOR, number="1234", name="Pat New", role="rep",
                                                  pin="3579"))
    assert "employee" in got.args[0].entities
    bridge.detach()
