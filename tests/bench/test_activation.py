"""``posapp-admin bench activation`` with a tiny N: an activation start -> queued and the queue's work per request,
each printed beside the same number of bare write transactions on the same SQLite file and the ratio."""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path

import pytest

from posapp.cli import main


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_bench_prints_ours_raw_and_the_ratio(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "bench", "activation", "--orders", "3", "--json", "--data-dir", str(tmp_path))
    assert code == 0, err
    doc = json.loads(out)
    assert doc["orders"] == 3 and doc["requests"] == 3 and doc["write_tx_per_activation"] >= 8
    assert doc["write_tx_per_request"] == 3
    for row in doc["rows"]:
        assert row["count"] == 3 and row["ours_p95_ms"] > 0 and row["raw_p95_ms"] > 0 and row["ratio_p95"] > 0
    assert [r["label"] for r in doc["rows"]] == ["activation", "queue, per request"]
    code, out, _ = run(capsys, "bench", "activation", "--orders", "2", "--data-dir", str(tmp_path))
    assert code == 0 and "ours p50" in out and "raw p50" in out and "ratio p50" in out
    assert re.search(r"^activation +2 ", out, re.M) and re.search(r"^queue, per request +2 ", out, re.M)
    con = sqlite3.connect(tmp_path / "bench" / "activation" / "posapp.sqlite3")
    try:
        tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        queued = con.execute("SELECT count(*) FROM provisioning_request WHERE status = 'done'").fetchone()[0]
    finally:
        con.close()
    assert "bench_raw_tx" not in tables and queued == 2, "a fresh database each run; the scratch table dropped"
