"""``simulate activations`` drives the real services end to end: every kind appears, a rejected port is fixed,
resubmitted and completes, an outage leaves paid lines pending and then sends them, a lost acknowledgement is
resent under the same id and never activates twice, the same seed gives the same summary, and no eSIM code or
transfer PIN reaches the database, its WAL or the logs. Only simulators, in training mode."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import asdict
from pathlib import Path

import pytest
from sqlalchemy import func, select

from posapp.adapters.provisioning import load_old_carriers
from posapp.adapters.unconfigured import NoCarrier, NoTerminal
from posapp.db.models import (
    Activation,
    ActivationLine,
    AuditEvent,
    Line,
    OutboxEntry,
    PortIn,
    ProvisioningEvent,
    ProvisioningRequest,
    Sale,
)
from posapp.demo.activation_setup import SimulationRefused
from posapp.demo.activations import ActivationSimReport, simulate_activations, summary_text
from posapp.domain.activation import ActivationKind, LineActivationStatus, PortStatus, ProvisioningEventKind
from posapp.events import EsimCodeReady, Event
from posapp.paths import DataPaths
from posapp.security.transfer_pins import read_transfer_pin
from posapp.services.registry import Services
from tests.helpers.fixtures import SecretScope
from tests.helpers.secret_scan import data_files, debug_log, found_in
from tests.helpers.templates import Templates

COUNT, SEED = 10, 1


@pytest.fixture
def run(services: Services, secret_service: SecretScope) -> tuple[ActivationSimReport, list[str], list[str]]:
    """The simulation on the test's database with a real keyring, a DEBUG log, and what it must not leave behind:
    the eSIM codes (seen by an EsimCodeReady subscriber, as the customer window) and every transfer PIN typed."""
    codes: list[str] = []

    def on_event(event: Event) -> None:
        if isinstance(event, EsimCodeReady):
            codes.append(event.code)

    services.core.events.subscribe(on_event)
    pins: list[str] = []
    with debug_log(services.core.paths.logs):
        report = simulate_activations(services, count=COUNT, seed=SEED, pins_seen=pins)
        services.core.db.read_sessions().close()
        hits = found_in(services.core.paths.root, [*codes, *(c.rsplit("$", 1)[1] for c in codes),
                                                   *(p for p in pins if len(p) >= 8)])
    assert not hits, hits
    return report, codes, pins


def test_every_kind_end_to_end_with_ports_outage_and_lost_acks(services: Services,
                                                                run: tuple[ActivationSimReport, list[str], list[str]]
                                                                ) -> None:
    report, codes, _ = run
    assert set(report.by_kind) == {k.value for k in ActivationKind} and sum(report.by_kind.values()) == COUNT
    assert report.lines == {"active": COUNT}, "every line ends active: nothing pending, failed or on hold"
    with services.uow.read() as s:
        assert s.scalar(select(func.count()).select_from(Sale).where(Sale.status == "completed")) == COUNT
        assert {a.kind.value for a in s.scalars(select(Activation))} == set(report.by_kind)
        actives = Counter(s.scalars(select(ProvisioningEvent.activation_line_id).where(
            ProvisioningEvent.kind == ProvisioningEventKind.ACTIVE)))
        assert len(actives) == COUNT and set(actives.values()) == {1}, "each line activated exactly once"
        msisdns = list(s.scalars(select(Line.msisdn)))
        assert len(msisdns) == len(set(msisdns))
    assert report.esim_lines >= 1 and report.esim_codes_shown == len(codes) >= report.esim_lines
    assert report.duplicates >= 1 and report.requests_sent == COUNT + report.rejected_resubmitted


def test_a_rejected_port_is_fixed_resubmitted_and_completes(services: Services,
                                                            run: tuple[ActivationSimReport, list[str], list[str]]
                                                            ) -> None:
    report, _, _ = run
    assert report.ports_typed_wrong >= 1
    assert report.rejected_resubmitted == report.resubmitted_active == report.ports_typed_wrong
    listed = set(load_old_carriers())
    store, terminal = services.core.settings.store_id, services.core.settings.terminal_id
    with services.uow.read() as s:
        ports = list(s.scalars(select(PortIn)))
        again = [p for p in ports if p.attempt == 2]
        assert len(again) == report.rejected_resubmitted and all(p.msisdn in listed for p in again)
        assert all(p.status is PortStatus.COMPLETED and not p.pin_held for p in ports)
        for p in again:
            line = s.get(ActivationLine, p.activation_line_id)
            assert line is not None and line.status is LineActivationStatus.ACTIVE
            kinds = list(s.scalars(select(ProvisioningEvent.kind).where(
                ProvisioningEvent.activation_line_id == line.id).order_by(ProvisioningEvent.at)))
            assert ProvisioningEventKind.REJECTED in kinds and kinds[-1] is ProvisioningEventKind.ACTIVE
            assert len(s.scalars(select(ProvisioningRequest.id).where(
                ProvisioningRequest.activation_line_id == line.id)).all()) == 2, "a new request id"
    assert all(read_transfer_pin(store, terminal, p.id) is None for p in ports), "PINs dropped once accepted"


def test_an_outage_leaves_paid_lines_pending_then_sends_them(services: Services,
                                                             run: tuple[ActivationSimReport, list[str], list[str]]
                                                             ) -> None:
    report, _, _ = run
    assert report.offline_passes >= 3 and report.pending_while_offline >= 1
    assert report.sent_after_offline == report.pending_while_offline
    with services.uow.read() as s:
        retried = set(s.scalars(select(ProvisioningEvent.activation_line_id).where(
            ProvisioningEvent.kind == ProvisioningEventKind.RETRY,
            ProvisioningEvent.reason.like("%could not be reached%"))))
    assert len(retried) >= report.pending_while_offline and report.retries >= report.pending_while_offline


def test_no_code_or_transfer_pin_in_the_records(services: Services,
                                                run: tuple[ActivationSimReport, list[str], list[str]]) -> None:
    """The long secrets were scanned for in every file by the fixture; the short PINs of the old-carrier registry
    (4 to 6 digits, which raw pages could hold by chance) are looked for, as whole numbers, in the text the app
    writes: request payloads, events, outbox, audit and the log."""
    _, codes, pins = run
    assert codes and pins
    with services.uow.read() as s:
        texts = [*s.scalars(select(ProvisioningRequest.payload)), *s.scalars(select(OutboxEntry.payload)),
                 *s.scalars(select(AuditEvent.details)),
                 *(r or "" for r in s.scalars(select(ProvisioningEvent.reason)))]
    texts += [p.read_text(errors="replace") for p in data_files(services.core.paths.logs)]
    blob = "\n".join(texts)
    for pin in {p for p in pins if len(p) < 8}:
        assert not re.search(rf"(?<![0-9]){pin}(?![0-9])", blob), f"a registry PIN ({pin[:1]}…) in the records"
    assert not any(code in blob for code in codes)
    assert str(asdict(run[0])).count("LPA:") == 0


def _fresh(templates: Templates, root: Path, **adapters: object) -> Services:
    paths = DataPaths.resolve(root)
    templates.install(templates.migrated(), paths)
    return Services.open(paths, **adapters)  # type: ignore[arg-type]


@pytest.mark.slow
def test_the_same_seed_gives_the_same_summary(tmp_path: Path, templates: Templates,
                                              secret_service: SecretScope) -> None:
    reports = []
    for name in ("one", "two"):
        services = _fresh(templates, tmp_path / name)
        try:
            reports.append(simulate_activations(services, count=6, seed=5))
        finally:
            services.close()
    assert reports[0] == reports[1]
    assert reports[0].orders == 6 and sum(reports[0].lines.values()) == 6


@pytest.mark.parametrize("adapters", [{"carrier": NoCarrier()}, {"terminal": NoTerminal()}],
                         ids=["carrier", "terminal"])
def test_refused_unless_the_carrier_and_terminal_are_simulators(tmp_path: Path, templates: Templates,
                                                                adapters: dict[str, object]) -> None:
    services = _fresh(templates, tmp_path / "d", **adapters)
    try:
        with pytest.raises(SimulationRefused, match=r"is not a simulator .*drives simulators only"):
            simulate_activations(services, count=3, seed=1)
        with services.uow.read() as s:
            assert s.scalar(select(func.count()).select_from(Activation)) == 0
            assert s.scalar(select(func.count()).select_from(Sale)) == 0
    finally:
        services.close()


@pytest.fixture
def no_keyring() -> Iterator[None]:
    """No OS keyring on this machine (the backend keyring picks when there is none)."""
    import keyring
    from keyring.backends import fail

    before = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    try:
        yield
    finally:
        keyring.set_keyring(before)


def test_without_a_keyring_port_ins_give_way_to_pool_numbers(services: Services, no_keyring: None) -> None:
    report = simulate_activations(services, count=6, seed=3)
    assert report.port_ins_skipped_no_keyring == 1 and report.ports == 0
    assert report.lines == {"active": 6}
    with services.uow.read() as s:
        assert s.scalar(select(func.count()).select_from(PortIn)) == 0
    assert "No OS keyring on this machine" in summary_text(report)


def test_a_port_resubmitted_on_the_last_pass_is_still_sent(services: Services, secret_service: SecretScope) -> None:
    """One order: the outage follows it and its port is rejected on the last pass; the drain goes on for the
    resubmitted request instead of stopping with the line queued."""
    report = simulate_activations(services, count=1, seed=1)
    assert report.rejected_resubmitted == report.resubmitted_active == 1
    assert report.lines == {"active": 1}
