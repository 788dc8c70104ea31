"""kill -9 in the middle of committing sales leaves each sale whole or absent (issue 4, "Done means")."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.helpers.scale import scaled

REPO = Path(__file__).resolve().parents[3]
RUNS = scaled(20)


def _check_whole(db: Path) -> int:
    con = sqlite3.connect(db)
    try:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        sales = con.execute("SELECT id, receipt_no, subtotal_cents, discount_cents, tax_cents, fee_cents, "
                            "total_cents FROM sale WHERE status = 'completed'").fetchall()
        for sale_id, receipt, subtotal, discount, tax, fee, total in sales:
            assert receipt is not None
            gross, disc, n = con.execute("SELECT sum(qty * unit_price_cents), sum(discount_cents), count(*) "
                                         "FROM sale_line WHERE sale_id = ? AND removed = 0", (sale_id,)).fetchone()
            assert n > 0 and (gross, disc) == (subtotal, discount), receipt
            taxes = con.execute("SELECT coalesce(sum(amount_cents), 0) FROM sale_tax_line WHERE sale_id = ?",
                                (sale_id,)).fetchone()[0]
            assert taxes == tax + fee, receipt
            assert total == subtotal - discount + tax + fee, receipt
            paid = con.execute("SELECT coalesce(sum(amount_cents), 0) FROM tender WHERE sale_id = ? "
                               "AND state = 'approved'", (sale_id,)).fetchone()[0]
            assert paid == total, receipt
            unsold = con.execute("SELECT count(*) FROM sale_line l JOIN inventory_device d ON d.id = l.inventory_id "
                                 "WHERE l.sale_id = ? AND d.status != 'sold'", (sale_id,)).fetchone()[0]
            assert unsold == 0, receipt
        outbox_sales = con.execute("SELECT count(DISTINCT entity_id) FROM sync_outbox WHERE entity = 'sale'"
                                   ).fetchone()[0]
        assert outbox_sales >= len(sales)
        return len(sales)
    finally:
        con.close()


@pytest.mark.soak
def test_kill_9_while_committing_sales_leaves_only_whole_sales(tmp_path: Path) -> None:
    rng = random.Random(20261122)
    data = tmp_path / "data"
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    counts: list[int] = []
    run = 0
    # RUNS kills at random moments; on a loaded machine the child commits fewer sales between kills, so a few more
    # kills (at most 3 x RUNS) until it has committed more sales than it was killed, which keeps the test meaningful
    while run < RUNS or (counts[-1] <= RUNS and run < 3 * RUNS):
        run += 1
        child = subprocess.Popen([sys.executable, "-m", "tests.helpers.sale_child", str(data), str(run)],
                                 cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        assert child.stdout is not None
        line = child.stdout.readline()
        assert line.strip() == "ready", child.stderr.read() if child.stderr else line
        time.sleep(rng.uniform(0.02, 0.4))
        assert child.poll() is None, child.stderr.read() if child.stderr else "child died"
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
        child.stdout.close()
        if child.stderr:
            child.stderr.close()
        counts.append(_check_whole(data / "posapp.sqlite3"))
    assert counts[-1] > RUNS, "the child should have completed sales between kills"
    assert counts == sorted(counts), "a committed sale never disappears"
