"""posapp-admin central pool add|list (head office) and pool add|list (this terminal): exit codes and JSON."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from posapp.central.schema import default_url
from posapp.cli import main


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_central_pool_add_list_and_refusals(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "hq").mkdir()
    url = default_url(tmp_path / "hq")
    d = ["--data-dir", str(tmp_path / "hq")]
    assert run(capsys, "central", "init", "--url", url, *d)[0] == 0
    code, out, err = run(capsys, "central", "pool", "add", "--url", url, "--store", "S1", "(206) 555-0100",
                         "206.555.0101", *d)
    assert (code, err) == (0, "")
    assert out == "Added 2 number(s) to store S1's pool: +1 206-555-0100, +1 206-555-0101.\n"
    code, out, _ = run(capsys, "central", "pool", "add", "--url", url, "--store", "S2", "--range", "4255550100",
                       "425-555-0103", "--json", *d)
    assert code == 0 and json.loads(out) == {"store_id": "S2", "already": [], "added": [
        "+14255550100", "+14255550101", "+14255550102", "+14255550103"]}
    code, out, err = run(capsys, "central", "pool", "add", "--url", url, "--store", "S2", "2065550101", *d)
    assert (code, out) == (1, "")
    assert err == ("posapp-admin: Assigned to another store: +1 206-555-0101 (store S1); nothing was added.\n")
    code, _, err = run(capsys, "central", "pool", "add", "--url", url, "--store", "S1", "555-01", *d)
    assert code == 1 and "'555-01': Too few digits" in err
    code, _, err = run(capsys, "central", "pool", "add", "--url", url, "--store", "S1", "2065550109", "--range",
                       "2065550110", "2065550111", *d)
    assert code == 1 and "not both" in err
    code, out, _ = run(capsys, "central", "pool", "list", "--url", url, "--store", "S1", "--json", *d)
    assert code == 0 and [r["msisdn"] for r in json.loads(out)] == ["+12065550100", "+12065550101"]
    code, out, _ = run(capsys, "central", "pool", "list", "--url", url, "--store", "S9", *d)
    assert code == 0 and out == "Store S9 has no pool numbers at the central store.\n"
    with pytest.raises(SystemExit) as exc:
        main(["central", "pool", "add", "2065550100"])        # --store is required
    assert exc.value.code == 2


def test_local_pool_add_and_list(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    d = ["--data-dir", str(tmp_path)]
    assert run(capsys, "init", *d)[0] == 0
    code, out, _ = run(capsys, "pool", "add", "206 555 0100", "+1 (206) 555-0101", "--json", *d)
    assert code == 0 and json.loads(out) == {"added": ["+12065550100", "+12065550101"]}
    code, _, err = run(capsys, "pool", "add", "2065550100", *d)
    assert code == 1 and err == "posapp-admin: Already in the pool: (206) 555-0100.\n"
    code, out, _ = run(capsys, "pool", "list", *d)
    assert code == 0 and out == "+1 206-555-0100  available\n+1 206-555-0101  available\n"
    code, out, _ = run(capsys, "pool", "list", "--all", "--json", *d)
    assert code == 0 and [(r["msisdn"], r["status"]) for r in json.loads(out)] == [
        ("+12065550100", "available"), ("+12065550101", "available")]
    code, _, err = run(capsys, "pool", "add", *d)
    assert code == 1 and "No numbers given" in err
