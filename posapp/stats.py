"""Percentiles and the comparison table shared by the benchmarks."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass


def percentile(values: Sequence[float], p: float) -> float:
    """Nearest-rank percentile (p in 0..100)."""
    if not values:
        return math.nan
    ordered = sorted(values)
    rank = max(1, math.ceil(p / 100 * len(ordered)))
    return ordered[rank - 1]


@dataclass(frozen=True)
class Comparison:
    label: str
    count: int
    ours_p50: float
    ours_p95: float
    ours_p99: float
    raw_p50: float
    raw_p95: float
    raw_p99: float

    @property
    def ratio_p50(self) -> float:
        return self.ours_p50 / self.raw_p50 if self.raw_p50 else math.nan

    @property
    def ratio_p95(self) -> float:
        return self.ours_p95 / self.raw_p95 if self.raw_p95 else math.nan

    def as_dict(self) -> dict[str, float | int | str]:
        return {"label": self.label, "count": self.count, "ours_p50_ms": self.ours_p50, "ours_p95_ms": self.ours_p95,
                "ours_p99_ms": self.ours_p99, "raw_p50_ms": self.raw_p50, "raw_p95_ms": self.raw_p95,
                "raw_p99_ms": self.raw_p99, "ratio_p50": self.ratio_p50, "ratio_p95": self.ratio_p95}


def compare(label: str, ours: Sequence[float], raw: Sequence[float]) -> Comparison:
    return Comparison(label, len(ours), percentile(ours, 50), percentile(ours, 95), percentile(ours, 99),
                      percentile(raw, 50), percentile(raw, 95), percentile(raw, 99))


def table(rows: Sequence[Comparison], unit: str = "ms", label: str = "case") -> str:
    w = max([len(label), *(len(r.label) for r in rows)]) + 2
    head = (f"{label:<{w}}{'n':>6}  {'ours p50':>9}{'p95':>8}{'p99':>8}  {'raw p50':>9}{'p95':>8}{'p99':>8}"
            f"  {'ratio p50':>9}{'p95':>7}")
    lines = [head, "-" * len(head)]
    for r in rows:
        lines.append(f"{r.label:<{w}}{r.count:>6}  {r.ours_p50:>9.3f}{r.ours_p95:>8.3f}{r.ours_p99:>8.3f}  "
                     f"{r.raw_p50:>9.3f}{r.raw_p95:>8.3f}{r.raw_p99:>8.3f}  {r.ratio_p50:>9.2f}{r.ratio_p95:>7.2f}")
    lines.append(f"(times in {unit})")
    return "\n".join(lines)
