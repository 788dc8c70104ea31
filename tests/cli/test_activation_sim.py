"""``posapp-admin simulate activations`` and ``posapp-admin bench activation``: exit codes, the summary (counts,
never a code or a PIN), the refusal outside training mode or with a device that is not a simulator."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from posapp.adapters.provisioning import load_old_carriers
from posapp.cli import main
from posapp.domain.activation import ActivationKind
from tests.helpers.fixtures import SecretScope


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_simulate_prints_the_summary_and_json(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                              secret_service: SecretScope) -> None:
    dd = ("--data-dir", str(tmp_path))
    code, out, err = run(capsys, "simulate", "activations", "--count", "7", "--seed", "2", *dd)
    assert code == 0, err
    assert out.startswith("Simulated 7 activation orders through the real services (CARRIER SIMULATOR")
    assert "rejected -> fixed and resubmitted" in out and "Carrier offline for" in out and "duplicates" in out
    pins = {e.pin for e in load_old_carriers().values()}
    assert not any(re.search(rf"(?<![0-9]){p}(?![0-9])", out) for p in pins) and "LPA:" not in out
    code, out, _ = run(capsys, "simulate", "activations", "--count", "6", "--seed", "2", "--json", *dd)
    doc = json.loads(out)
    assert code == 0 and doc["orders"] == 6 and sum(doc["by_kind"].values()) == 6
    assert set(doc["by_kind"]) <= {k.value for k in ActivationKind} and doc["lines"] == {"active": 6}


def test_bad_arguments_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    dd = ("--data-dir", str(tmp_path))
    for count in ("0", "-3", "501"):
        code, out, err = run(capsys, "simulate", "activations", "--count", count, *dd)
        assert (code, out) == (2, "") and f"--count must be between 1 and 500 (got {count})" in err
    with pytest.raises(SystemExit) as bad:
        main(["simulate", "activations", "--count", "many", *dd])
    assert bad.value.code == 2 and "invalid int value: 'many'" in capsys.readouterr().err
    code, _, err = run(capsys, "bench", "activation", "--orders", "1", *dd)
    assert code == 2 and "--orders must be between 2 and 500" in err
    assert not (tmp_path / "posapp.sqlite3").exists(), "nothing was opened for a bad argument"


@pytest.mark.parametrize(("settings", "says"), [
    (["provisioning=none"], "the carrier provisioning link is not a simulator (No carrier provisioning configured)"),
    (["payment_terminal=none"], "the payment terminal is not a simulator (No card terminal configured)"),
], ids=["carrier", "terminal"])
def test_refused_without_simulators(tmp_path: Path, capsys: pytest.CaptureFixture[str], settings: list[str],
                                    says: str) -> None:
    dd = ("--data-dir", str(tmp_path))
    assert run(capsys, "config", "set", *settings, *dd)[0] == 0
    code, out, err = run(capsys, "simulate", "activations", "--count", "3", *dd)
    assert code == 1 and out == "" and says in err and "training mode" in err and "Nothing was done" in err


def test_refused_outside_training_mode(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    dd = ("--data-dir", str(tmp_path))
    devices = ["payment_terminal=none", "sms_gateway=none", "cash_drawer=none", "provisioning=none",
               "block_list=none"]
    assert run(capsys, "config", "set", *devices, *dd)[0] == 0
    assert run(capsys, "config", "set", "training_mode=false", *dd)[0] == 0
    code, _, err = run(capsys, "simulate", "activations", "--count", "3", *dd)
    assert code == 1 and "runs in training mode only, and this terminal is live" in err
