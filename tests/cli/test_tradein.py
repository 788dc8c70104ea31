"""posapp-admin tradein quote on a real data folder, with the block-list simulator and its shipped registry."""

from __future__ import annotations

import json
from typing import Any

import pytest
from stdnum import luhn

from posapp.adapters.block_list import load_entries
from posapp.cli import main
from posapp.domain.tradein import ANSWER_KEYS, BAD_WHEN_TRUE
from posapp.paths import DataPaths

GOOD: dict[str, bool] = {k: k not in BAD_WHEN_TRUE for k in ANSWER_KEYS}
CLEAR_IMEI = "35391284" + "000001" + luhn.calc_check_digit("35391284000001")  # iPhone 16 Pro Max 256 GB
BLOCKED_IMEI = "353906429000012"  # simulated_block_list.json: reported stolen (an iPhone 16 128 GB TAC)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def dd(data_paths: DataPaths) -> tuple[str, str]:
    return ("--data-dir", str(data_paths.root))


def quote(capsys: pytest.CaptureFixture[str], dd: tuple[str, str], imei: str, answers: Any,
          *extra: str) -> tuple[int, str, str]:
    text = answers if isinstance(answers, str) else json.dumps(answers)
    return run(capsys, "tradein", "quote", "--imei", imei, "--answers", text, *extra, *dd)


def test_a_good_device_is_quoted_with_model_storage_grade_and_value(dd: tuple[str, str],
                                                                     capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = quote(capsys, dd, CLEAR_IMEI, GOOD, "--json")
    doc = json.loads(out)
    assert code == 0 and not err
    assert (doc["model_code"], doc["model"], doc["storage_gb"], doc["grade"], doc["value_cents"],
            doc["acceptable"]) == ("IP16PM-256", "Apple iPhone 16 Pro Max", 256, "A", 53500, True)
    assert doc["block_list"]["status"] == "clear" and "SIMULATOR" in doc["block_list"]["source"]
    assert doc["price_table"] == "2026-11-01" and doc["imei"] == CLEAR_IMEI and doc["price_cents"] == 53500
    code, out, _ = quote(capsys, dd, f"{CLEAR_IMEI[:8]}-{CLEAR_IMEI[8:]}", {**GOOD, "screen_ok": False})
    assert code == 0
    assert "Apple iPhone 16 Pro Max 256 GB" in out and "Grade:      C" in out and "$240.00" in out
    assert "the screen is cracked or does not work (grade C)" in out and "Acceptable: yes" in out


def test_find_my_on_prints_zero_and_exits_0(dd: tuple[str, str], capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = quote(capsys, dd, CLEAR_IMEI, {**GOOD, "find_my_off": False})
    assert code == 0 and not err
    assert "Value:      $0.00 (price table of 2026-11-01; grade A is listed at $535.00)" in out
    assert "Acceptable: no" in out and "cannot be accepted until it is off" in out


def test_every_simulated_block_listed_imei_exits_1(dd: tuple[str, str], capsys: pytest.CaptureFixture[str]) -> None:
    entries = load_entries()
    assert BLOCKED_IMEI in entries
    for imei, reason in entries.items():
        code, out, err = quote(capsys, dd, imei, GOOD, "--json")
        assert code == 1 and out == ""
        assert f"is on the block list ({reason}): it cannot be traded in" in err


@pytest.mark.parametrize(("imei", "words"), [
    (CLEAR_IMEI[:-1] + str((int(CLEAR_IMEI[-1]) + 1) % 10), "Invalid IMEI"),
    ("12345", "Invalid IMEI: An IMEI has 15 digits; this has 5."),
    ("99999999" + "000001" + luhn.calc_check_digit("99999999000001"), "Unknown device (TAC 99999999)"),
])
def test_an_invalid_or_unknown_imei_exits_1(imei: str, words: str, dd: tuple[str, str],
                                            capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = quote(capsys, dd, imei, GOOD)
    assert code == 1 and out == "" and words in err


@pytest.mark.parametrize(("answers", "words"), [
    ({k: v for k, v in GOOD.items() if k != "leased"}, "missing leased"),
    ({**GOOD, "owned": "yes"}, "owned must be true or false, not a string"),
    ("{powers_on: true", "--answers is not JSON"),
])
def test_incomplete_answers_exit_1(answers: Any, words: str, dd: tuple[str, str],
                                   capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = quote(capsys, dd, CLEAR_IMEI, answers)
    assert code == 1 and out == "" and words in err


def test_answers_from_standard_input(dd: tuple[str, str], capsys: pytest.CaptureFixture[str],
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    import io

    monkeypatch.setattr("sys.stdin", io.StringIO(json.dumps({**GOOD, "powers_on": False})))
    code, out, _ = quote(capsys, dd, CLEAR_IMEI, "-", "--json")
    assert code == 0 and json.loads(out)["grade"] == "D" and json.loads(out)["value_cents"] == 5300


def test_without_a_block_list_the_quote_cannot_be_accepted(dd: tuple[str, str],
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "config", "set", "block_list=none", *dd)[0] == 0
    code, out, _ = quote(capsys, dd, BLOCKED_IMEI, GOOD, "--json")
    doc = json.loads(out)
    assert code == 0 and doc["block_list"]["status"] == "unknown" and doc["acceptable"] is False
    assert any("block list could not be checked" in r for r in doc["reasons"])
