"""The receipt benchmark runs and our render stays within the goal against the bare canvas."""

from __future__ import annotations

from posapp.receipts.bench import GOAL_RATIO, bare_canvas, run
from posapp.receipts.sample import sample_receipt


def test_bench_reports_both_and_the_ratio() -> None:
    assert bare_canvas(sample_receipt()).startswith(b"%PDF")
    result = run(20)
    assert result.count == 20
    assert result.ours_p50 > 0 and result.raw_p50 > 0
    assert result.ours_p95 >= result.ours_p50
    assert result.ratio_p50 <= GOAL_RATIO, result.as_dict()
