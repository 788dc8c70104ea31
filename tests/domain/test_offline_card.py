"""Offline card caps and the forwarding label."""

from __future__ import annotations

from datetime import UTC, datetime

from posapp.domain.offline_card import (
    OFFLINE_DECLINED,
    OFFLINE_FORWARDED,
    OFFLINE_PENDING,
    forward_deadline,
    offline_label,
    offline_refusal,
)


def test_caps() -> None:
    assert offline_refusal(50_000, 150_000, max_cents=50_000, total_cents=200_000) is None
    per_sale = offline_refusal(50_001, 0, max_cents=50_000, total_cents=200_000)
    assert per_sale is not None and "at most 500.00" in per_sale
    total = offline_refusal(10_000, 195_000, max_cents=50_000, total_cents=200_000)
    assert total is not None and "2,000.00" in total and "at most 50.00 more" in total
    assert offline_refusal(1, 0, max_cents=0, total_cents=200_000) is not None  # 0: offline cards off


def test_deadline_and_label_in_store_time() -> None:
    taken = datetime(2026, 11, 22, 20, 30, tzinfo=UTC)
    by = forward_deadline(taken, 24)
    assert by == datetime(2026, 11, 23, 20, 30, tzinfo=UTC)
    assert offline_label(OFFLINE_PENDING, by, "America/Los_Angeles") == "offline — forward by 12:30"
    assert offline_label(OFFLINE_FORWARDED, by, "UTC") == "offline — forwarded"
    assert "DECLINED" in offline_label(OFFLINE_DECLINED, by, "UTC")
    assert offline_label(OFFLINE_PENDING, by, "UTC", now=by) == "offline — forward by 20:30"
    late = by.replace(minute=31)
    assert offline_label(OFFLINE_PENDING, by, "America/Los_Angeles", now=late) == "offline — OVERDUE, was due 12:30"
