"""posapp-admin report eod: PDF read back with pdftotext, CSV sections parse, bad date/extension refused."""

from __future__ import annotations

import csv
import json
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from posapp.cli import main
from posapp.domain.money import format_cents
from tests.receipts.tools import pdftotext


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def sections(path: Path) -> dict[str, list[dict[str, str]]]:
    found: dict[str, list[dict[str, str]]] = {}
    with path.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    i = 0
    while i < len(rows):
        if rows[i] and rows[i][0].startswith("# "):
            name, header, i = rows[i][0][2:], rows[i + 1], i + 2
            found[name] = []
            while i < len(rows) and rows[i]:
                found[name].append(dict(zip(header, rows[i], strict=True)))
                i += 1
        else:
            i += 1
    return found


def test_report_eod_pdf_csv_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = str(tmp_path / "data")
    assert run(capsys, "simulate", "sales", "--count", "25", "--seed", "5", "--data-dir", data)[0] == 0
    day = datetime.now(ZoneInfo("America/Los_Angeles")).date().isoformat()
    code, out, _ = run(capsys, "report", "eod", "--date", day, "--out", str(tmp_path / "z.csv"), "--json",
                       "--data-dir", data)
    doc = json.loads(out)
    assert code == 0 and doc["sales_count"] == 25
    net = doc["net_cents"]
    assert net == doc["gross_sales_cents"] - doc["refunds_cents"]
    assert sum(a["cents"] for a in doc["by_tender"]) == sum(a["cents"] for a in doc["by_rep"]) == net

    s = sections(tmp_path / "z.csv")
    assert {"summary", "tax", "by_rep", "by_tender", "by_category", "drawers"} <= set(s)
    assert sum(int(r["net_cents"]) for r in s["by_tender"]) == net
    assert sum(int(r["net_cents"]) for r in s["by_rep"]) == net
    assert {r["item"]: r["value"] for r in s["summary"]}["Net total"] == str(net)
    assert len(s["drawers"]) == 1 and s["drawers"][0]["float_cents"] == "20000"

    pdf = tmp_path / "z.pdf"
    code, out, _ = run(capsys, "report", "eod", "--date", day, "--out", str(pdf), "--data-dir", data)
    assert code == 0 and format_cents(net) in out and pdf.read_bytes().startswith(b"%PDF")
    text = pdftotext(pdf)
    assert "End-of-day (Z) report" in text and "Net total" in text and format_cents(net) in text
    assert "Sales by tender" in text and "Cash drawer sessions" in text


def test_report_eod_refuses_bad_input(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = str(tmp_path / "data")
    code, _, err = run(capsys, "report", "eod", "--date", "2026-02-30", "--out", str(tmp_path / "z.pdf"),
                       "--data-dir", data)
    assert code == 1 and "--date" in err and len(err.strip().splitlines()) == 1
    code, _, err = run(capsys, "report", "eod", "--date", "2026-02-03", "--out", str(tmp_path / "z.xlsx"),
                       "--data-dir", data)
    assert code == 1 and ".pdf or .csv" in err and len(err.strip().splitlines()) == 1
    assert not (tmp_path / "z.pdf").exists()
