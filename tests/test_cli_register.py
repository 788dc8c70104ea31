"""posapp-admin simulate sales and bench commit."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from posapp.cli import main


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_simulate_sales_drives_the_real_services(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "simulate", "sales", "--count", "40", "--seed", "3", "--json",
                       "--data-dir", str(tmp_path))
    doc = json.loads(out)
    assert code == 0 and doc["sales"] == 40
    assert doc["counts"]["cash"] + doc["counts"]["card"] + doc["counts"]["split"] == 40
    con = sqlite3.connect(tmp_path / "posapp.sqlite3")
    try:
        completed = con.execute("SELECT count(*) FROM sale WHERE status = 'completed' AND kind = 'sale'").fetchone()
        refunds = con.execute("SELECT count(*) FROM sale WHERE kind = 'refund' AND status = 'completed'").fetchone()
        unsettled = con.execute("SELECT count(*) FROM tender WHERE state IN ('pending', 'unknown')").fetchone()
    finally:
        con.close()
    assert completed[0] == 40 and refunds[0] == doc["refunds"] and unsettled[0] == 0
    code, out, _ = run(capsys, "simulate", "sales", "--count", "20", "--seed", "4", "--data-dir", str(tmp_path))
    assert code == 0 and "Simulated 20 sales" in out and "SIMULATOR" in out
    code, _, err = run(capsys, "simulate", "sales", "--count", "0", "--data-dir", str(tmp_path))
    assert code == 1 and "--count" in err


def test_bench_commit_prints_both_and_the_ratio(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "bench", "commit", "--sales", "15", "--json", "--data-dir", str(tmp_path))
    doc = json.loads(out)
    assert code == 0 and doc["count"] == 15
    assert doc["ours_p95_ms"] > 0 and doc["raw_p95_ms"] > 0 and doc["ratio_p95"] > 0
