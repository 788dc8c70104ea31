"""posapp-admin receipt render / verify against a real sale."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from posapp.cli import main
from posapp.domain.money import format_cents
from posapp.paths import DataPaths
from posapp.receipts.render import render_pdf
from posapp.services.registry import Services
from tests.helpers import staff
from tests.helpers.receipts import sell
from tests.receipts.tools import pdftotext


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_render_and_verify(services: Services, employees: staff.Staff, data_paths: DataPaths, tmp_path: Path,
                           capsys: pytest.CaptureFixture[str]) -> None:
    no = sell(services, employees)
    total = format_cents(services.receipts.receipt_for(no).total_cents)
    dd = ("--data-dir", str(data_paths.root))
    for fmt in ("thermal", "letter"):
        out = tmp_path / f"{fmt}.pdf"
        code, text, _ = run(capsys, "receipt", "render", no, "--out", str(out), "--format", fmt, *dd)
        assert code == 0 and str(out) in text and total in pdftotext(out)
        code, text, err = run(capsys, "receipt", "verify", "--pdf", str(out), *dd)
        assert code == 0 and "genuine" in text and not err
    code, text, _ = run(capsys, "receipt", "verify", "--pdf", str(tmp_path / "thermal.pdf"), "--json", *dd)
    doc = json.loads(text)
    assert code == 0 and doc["ok"] and doc["receipt_no"] == no and doc["problems"] == []


def test_verify_by_number_uses_the_receipts_folder(services: Services, employees: staff.Staff,
                                                   data_paths: DataPaths,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    no = sell(services, employees)
    dd = ("--data-dir", str(data_paths.root))
    code, _, err = run(capsys, "receipt", "verify", no, *dd)
    assert code == 1 and "No rendered PDF" in err
    services.receipts.render(no, "thermal")
    code, text, _ = run(capsys, "receipt", "verify", no, *dd)
    assert code == 0 and no in text


def test_altered_and_forged_copies_exit_1(services: Services, employees: staff.Staff, data_paths: DataPaths,
                                          tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    no = sell(services, employees)
    dd = ("--data-dir", str(data_paths.root))
    r = services.receipts.receipt_for(no)
    plain = tmp_path / "plain.pdf"
    render_pdf(r, "thermal", plain, compress=False)
    total = format_cents(r.total_cents).encode()
    altered = tmp_path / "altered.pdf"
    altered.write_bytes(plain.read_bytes().replace(total, total[:-1] + (b"0" if total[-1:] != b"0" else b"1")))
    code, _, err = run(capsys, "receipt", "verify", "--pdf", str(altered), *dd)
    assert code == 1 and err.startswith("posapp-admin: receipt not genuine:") and len(err.splitlines()) == 1
    forged = tmp_path / "forged.pdf"
    render_pdf(dataclasses.replace(r, rep_name="Someone Else"), "thermal", forged)
    code, _, err = run(capsys, "receipt", "verify", "--pdf", str(forged), *dd)
    assert code == 1 and "store's record" in err
    code, text, _ = run(capsys, "receipt", "verify", no, "--pdf", str(forged), "--json", *dd)
    assert code == 1 and not json.loads(text)["ok"]


def test_unknown_receipt_exit_1(services: Services, employees: staff.Staff, data_paths: DataPaths, tmp_path: Path,
                                capsys: pytest.CaptureFixture[str]) -> None:
    dd = ("--data-dir", str(data_paths.root))
    code, _, err = run(capsys, "receipt", "verify", "S001-T01-999999", *dd)
    assert code == 1 and "No receipt S001-T01-999999" in err
    code, _, err = run(capsys, "receipt", "render", "S001-T01-999999", "--out", str(tmp_path / "x.pdf"), *dd)
    assert code == 1 and "No receipt S001-T01-999999" in err and not (tmp_path / "x.pdf").exists()
    code, _, err = run(capsys, "receipt", "verify", *dd)
    assert code == 1 and "receipt number or --pdf" in err


def test_refund_receipt_names_the_original(services: Services, employees: staff.Staff, data_paths: DataPaths,
                                           tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    no = sell(services, employees)
    refund = services.register.refunds.refund(employees.manager, no, {2: 1}, reason="changed mind")
    assert refund.receipt_no is not None
    out = tmp_path / "refund.pdf"
    code, _, _ = run(capsys, "receipt", "render", refund.receipt_no, "--out", str(out), "--data-dir",
                     str(data_paths.root))
    assert code == 0 and f"REFUND of receipt {no}" in pdftotext(out)


def test_not_a_receipt_and_wrong_number(services: Services, employees: staff.Staff, data_paths: DataPaths,
                                        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    dd = ("--data-dir", str(data_paths.root))
    junk = tmp_path / "junk.pdf"
    junk.write_bytes(b"%PDF-1.4\nnot really\n")
    code, _, err = run(capsys, "receipt", "verify", "--pdf", str(junk), *dd)
    assert code == 1 and "receipt not genuine" in err and len(err.splitlines()) == 1
    code, _, err = run(capsys, "receipt", "verify", "--pdf", str(tmp_path / "missing.pdf"), *dd)
    assert code == 1 and "Cannot open" in err
    no = sell(services, employees)
    other = services.register.refunds.refund(employees.manager, no, {2: 1}, reason="changed mind").receipt_no
    assert other is not None
    pdf = services.receipts.render(no, "thermal", tmp_path / "first.pdf")
    code, _, err = run(capsys, "receipt", "verify", other, "--pdf", str(pdf), *dd)
    assert code == 1 and f"store's record of {other}" in err
