"""posapp-admin validate KIND VALUE [--json]: exit 0 with the normalised value, 1 with the reason on stderr."""

from __future__ import annotations

import io
import json
import subprocess
import sys

import pytest

from posapp.cli import main


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize(("kind", "value", "normalised"), [
    ("imei", "49-015420-323751-8", "490154203237518"),
    ("imeisv", "3569380356438091", "3569380356438091"),
    ("meid", "293608736500703710", "AF0123450ABCDE"),
    ("iccid", "8901 2602 2219 3581 820", "8901260222193581820"),
    ("eid", "89049032123451234512345678901235", "89049032123451234512345678901235"),
    ("lpa", "1$SMDP.GSMA.COM$04386-AGYFT-A74Y8-3F815", "LPA:1$SMDP.GSMA.COM$04386-AGYFT-A74Y8-3F815"),
    ("msisdn", "(206) 555-0142", "+12065550142"),
    ("pin", "482915", "******"),
])
def test_valid_values_exit_0_printing_the_normalised_value(capsys: pytest.CaptureFixture[str], kind: str,
                                                           value: str, normalised: str) -> None:
    code, out, err = run(capsys, "validate", kind, value)
    assert (code, out, err) == (0, normalised + "\n", "")
    code, out, _ = run(capsys, "validate", kind, value, "--json")
    doc = json.loads(out)
    assert code == 0 and doc["kind"] == kind and doc["valid"] is True and doc["value"] == normalised


def test_invalid_exits_1_with_one_line_reason(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "validate", "imei", "490154203237517")
    assert (code, out) == (1, "")
    assert err == "posapp-admin: IMEI check digit should be 8, not 7: check for a typo.\n"
    code, out, err = run(capsys, "validate", "iccid", "890126022219358182", "--json")
    doc = json.loads(out)
    assert code == 1 and doc == {"kind": "iccid", "valid": False, "suggestion": "8901260222193581820",
                                 "reason": "ICCID has 18 digits: the check digit is missing; "
                                           "complete: 8901260222193581820"}
    assert err.count("\n") == 1


def test_pin_facts_and_their_misuse(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "validate", "pin", "206555", "--numbers", "+12065550142,+12065550143")
    assert code == 1 and "start or end of a phone number" in err and "206555" not in err
    code, _, err = run(capsys, "validate", "pin", "031585", "--dob", "1985-03-15")
    assert code == 1 and "date of birth" in err
    code, _, err = run(capsys, "validate", "pin", "482915", "--previous", "482915", "--json")
    assert code == 1 and "previous PIN" in err and "482915" not in err
    code, _, err = run(capsys, "validate", "pin", "917293", "--ssn-last4", "7293", "--account-number", "5550001")
    assert code == 1 and "social security" in err
    code, _, err = run(capsys, "validate", "imei", "490154203237518", "--dob", "1985-03-15")
    assert code == 2 and "--dob" in err
    with pytest.raises(SystemExit) as exc:
        main(["validate", "pin", "482915", "--dob", "15/03/1985"])
    assert exc.value.code == 2
    with pytest.raises(SystemExit) as exc:
        main(["validate", "vin", "1"])
    assert exc.value.code == 2


def test_value_from_stdin_keeps_it_out_of_argv(capsys: pytest.CaptureFixture[str],
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO("LPA:1$SMDP.GSMA.COM$04386-AGYFT-A74Y8-3F815$$1\n"))
    code, out, _ = run(capsys, "validate", "lpa", "-", "--json")
    assert code == 0 and json.loads(out)["note"] == "confirmation code required"


def test_module_entry_point_exit_codes() -> None:
    ok = subprocess.run([sys.executable, "-m", "posapp.cli", "validate", "msisdn", "+1 206 555 0142"],
                        capture_output=True, text=True, check=False)
    assert (ok.returncode, ok.stdout) == (0, "+12065550142\n")
    bad = subprocess.run([sys.executable, "-m", "posapp.cli", "validate", "eid", "8904903212345"],
                         capture_output=True, text=True, check=False)
    assert bad.returncode == 1 and bad.stderr.strip() == "posapp-admin: An EID has 32 digits; this has 13."
