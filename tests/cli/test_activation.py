"""posapp-admin activation send / list on a real data folder with the carrier simulator."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from posapp.cli import main
from posapp.domain.activation import RequestAction
from posapp.paths import DataPaths
from tests.services.activation.builder import port_details, queued_line


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def dd(data_paths: DataPaths) -> tuple[str, str]:
    return ("--data-dir", str(data_paths.root))


@pytest.fixture
def instant(services: Any, employees: Any) -> None:
    services.settings.update(employees.admin, {"carrier_sim_delay_seconds": 0})


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


def _queue(services: Any, employees: Any, account: Any, **kw: Any) -> Any:
    return queued_line(services, employees.rep, account_id=account.account_id,
                       account_number=account.account_number, **kw)


def test_send_flushes_the_queue_and_list_shows_the_lines(services: Any, employees: Any, make_account: Any,
                                                         instant: None, dd: tuple[str, str],
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    account = make_account()
    _queue(services, employees, account, msisdn="+12065550171")
    _queue(services, employees, account, action=RequestAction.SIM_CHANGE, msisdn=account.msisdns[0],
           existing_line_id=account.line_ids[0])
    code, out, err = run(capsys, "activation", "list", "--json", *dd)
    assert code == 0 and [r["status"] for r in json.loads(out)] == ["queued", "queued"]
    code, out, err = run(capsys, "activation", "send", "--interval", "0", "--json", *dd)
    doc = json.loads(out)
    assert code == 0 and not err
    assert (doc["sent"], doc["queued"], doc["awaiting"], doc["timed_out"]) == (2, 0, 0, False)
    assert doc["answered"] == 4  # in progress, then active, for each
    code, out, _ = run(capsys, "activation", "list", "--json", *dd)
    rows = json.loads(out)
    assert code == 0 and [(r["line_no"], r["status"], r["number"], r["plan"]) for r in rows] == [
        (1, "active", "•••-•••-0171", "UNL-PLUS"), (1, "active", "•••-•••-0142", "UNL-PLUS")]
    assert "2065550171" not in out and "2065550142" not in out
    code, out, _ = run(capsys, "activation", "list", "--status", "active", *dd)
    assert code == 0 and "0171" in out and "active" in out and "+1" not in out
    code, out, _ = run(capsys, "activation", "list", "--status", "failed", *dd)
    assert code == 0 and out.strip() == "No activation lines with status failed."


def test_send_once_is_one_pass_and_a_slow_carrier_times_out(services: Any, employees: Any, make_account: Any,
                                                            dd: tuple[str, str],
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    services.settings.update(employees.admin, {"carrier_sim_delay_seconds": 600})
    _queue(services, employees, make_account(), msisdn="+12065550172")
    code, out, _ = run(capsys, "activation", "send", "--once", "--json", *dd)
    doc = json.loads(out)
    assert code == 0 and (doc["sent"], doc["awaiting"]) == (1, 1)
    code, out, _ = run(capsys, "activation", "send", "--timeout", "0.3", "--interval", "0.1", *dd)
    # a new process has a new simulator, which does not know the request: it is sent again under the same id
    assert code == 1 and "still waiting for an answer" in out and "Sent 1 (0 already with the carrier)" in out


def test_a_port_in_without_a_keyring_stays_queued_with_the_reason(services: Any, employees: Any,
                                                                   make_account: Any, instant: None,
                                                                   dd: tuple[str, str], no_keyring: None,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    _queue(services, employees, make_account(), action=RequestAction.PORT_IN, msisdn="+12065550181",
           port=port_details())
    code, out, _ = run(capsys, "activation", "send", "--once", "--json", *dd)
    doc = json.loads(out)
    assert code == 0 and (doc["sent"], doc["retried"], doc["queued"]) == (0, 1, 1)
    code, out, _ = run(capsys, "activation", "list", "--json", *dd)
    [row] = json.loads(out)
    assert row["status"] == "queued" and "keyring" in row["reason"]


def test_send_refuses_without_a_carrier_and_bad_arguments(services: Any, employees: Any, dd: tuple[str, str],
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    services.settings.update(employees.admin, {"provisioning": "none"})
    code, _, err = run(capsys, "activation", "send", "--once", *dd)
    assert code == 1 and "No carrier provisioning configured" in err and "queued" in err
    code, _, err = run(capsys, "activation", "send", "--timeout", "0", *dd)
    assert code == 1 and "--timeout" in err
    with pytest.raises(SystemExit) as usage:
        main(["activation", "list", "--status", "nonsense", *dd])
    assert usage.value.code == 2
