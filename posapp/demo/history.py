"""Account history for a share of demo accounts: 12 monthly bills with their payments, AutoPay enrolment,
and store interactions (cases with append-only notes and a disposition)."""

from __future__ import annotations

import random

from posapp.demo import pools
from posapp.demo.cases import REASONS, RESOLUTIONS
from posapp.demo.params import DemoParams

Row = tuple[object, ...]
ORIGIN = "HQ"
DAY = pools.MS_PER_DAY
AUTOPAY_DISCOUNT = 500  # cents per line, up to 8 lines (DOMAIN.md default)
TAX_AND_FEES_PERCENT = 13


def _months_back(year: int, month: int, k: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) - k
    return index // 12, index % 12 + 1


class HistoryMaker:
    def __init__(self, rng: random.Random, clock: pools.Clock, p: DemoParams) -> None:
        from datetime import date, timedelta

        self.rng, self.clock, self.p = rng, clock, p
        self.today = clock.day_index(clock.now_ms)
        self.case_no = 0
        # For each billing-cycle day: the 12 latest periods (start, end, due) as day indexes, oldest first.
        self.periods: dict[int, list[tuple[int, int, int]]] = {}
        as_of = p.as_of
        for cycle in range(1, 29):
            found: list[tuple[int, int, int]] = []
            k = 0
            while len(found) < 12:
                y, m = _months_back(as_of.year, as_of.month, k)
                ny, nm = _months_back(y, m, -1)
                start, end = date(y, m, cycle), date(ny, nm, cycle) - timedelta(days=1)
                if end < as_of:
                    base = clock.first_day
                    found.append(((start - base).days, (end - base).days, (end - base).days + 21))
                k += 1
            self.periods[cycle] = found[::-1]
        self.pay_method = pools.WeightedTable([("card", 55), ("cash", 20), ("bank", 18), ("store_credit", 2)])
        self.n_cases = pools.WeightedTable([(0, 30), (1, 40), (2, 20), (3, 10)])

    def account(self, rows: dict[str, list[Row]], acct_id: str, opened: int, customer_ids: list[str],
                plan_cents: list[int], eip_monthly: int, status: str) -> int:
        """Add this account's history; returns the balance due now."""
        rng, clock, store = self.rng, self.clock, self.p.store_id
        seq = 0
        autopay_from = autopay_to = 0
        discount = 0
        if rng.random() < 0.55 and status != "closed":
            r = rng.random()
            method = "bank" if r < 0.45 else "debit" if r < 0.85 else "credit"
            enrolled = max(opened + DAY, clock.now_ms - int(rng.random() * 3 * 365 * DAY))
            ended = None if rng.random() >= 0.08 else enrolled + int((clock.now_ms - enrolled) * rng.random())
            autopay_from, autopay_to = enrolled, ended or clock.now_ms + DAY
            if method != "credit":  # credit cards do not qualify for the discount
                discount = AUTOPAY_DISCOUNT * min(8, sum(1 for c in plan_cents if c))
            rows["autopay_enrolment"].append((
                pools.uuid_hex(rng, opened, 0), acct_id, method, f"{int(rng.random() * 10_000):04d}",
                clock.ts(enrolled), clock.ts(ended) if ended else None,
                store, ORIGIN, clock.ts(enrolled), pools.hlc(enrolled, ORIGIN)))
        plans = sum(plan_cents)
        balance = 0
        if plans:
            cycle = (1 + int(rng.random() * 28))
            extras_every = rng.random() < 0.15
            for start, end, due in self.periods[cycle]:
                start_ms = clock.day_ms(start)
                if start_ms < opened:
                    continue
                on_autopay = autopay_from + 30 * DAY <= start_ms < autopay_to
                amount = plans + plans * TAX_AND_FEES_PERCENT // 100 + eip_monthly
                if on_autopay:
                    amount -= discount
                if extras_every and rng.random() < 0.3:
                    amount += (199 + int(rng.random() * 4301))  # international calls, overage, a late fee
                bill_id = pools.uuid_hex(rng, opened, seq)
                issued = clock.day_ms(end + 1) + 6 * 3600_000
                r = rng.random()
                if due >= self.today:
                    bstatus, paid = "open", 0
                elif r < 0.96 or on_autopay:
                    bstatus, paid = "paid", amount
                elif r < 0.98 or due < self.today - 60:
                    bstatus, paid = "partial", amount // 2
                else:
                    bstatus, paid = "overdue", 0
                balance += amount - paid
                rows["bill"].append((bill_id, acct_id, clock.days[start], clock.days[end], clock.days[due],
                                     amount, bstatus, store, ORIGIN, clock.ts(issued), pools.hlc(issued, ORIGIN)))
                if paid:
                    if on_autopay:
                        method, at = "autopay", clock.day_ms(due) + 13 * 3600_000
                        ref: str | None = f"AP{int(rng.random() * 10**8):08d}"
                    else:
                        method = self.pay_method.draw(rng)
                        at = clock.day_ms(due - int(rng.random() * 15)) + \
                            (14 * 3600 + int(rng.random() * 13 * 3600)) * 1000
                        ref = f"AUTH{int(rng.random() * 10**6):06d}" if method == "card" else \
                            f"ACH{int(rng.random() * 10**9):09d}" if method == "bank" else None
                    at = min(at, clock.now_ms - 1)
                    at_ts = clock.ts(at)
                    rows["bill_payment"].append((pools.uuid_hex(rng, opened, seq), acct_id, bill_id, paid,
                                                 at_ts, method, ref, store, ORIGIN, at_ts, pools.hlc(at, ORIGIN)))
                seq += 1
        self._cases(rows, acct_id, opened, customer_ids)
        return balance

    def _cases(self, rows: dict[str, list[Row]], acct_id: str, opened: int, customer_ids: list[str]) -> None:
        rng, clock, p = self.rng, self.clock, self.p
        store, staff = p.store_id, p.employees
        if not staff:
            return
        first_day = max(clock.day_index(opened) + 1, self.today - 365)
        for k in range(self.n_cases.draw(rng)):
            if first_day >= self.today:
                return
            day = first_day + int(rng.random() * (self.today - first_day))
            at = clock.day_ms(day) + (14 * 3600 + int(rng.random() * 13 * 3600)) * 1000  # 9am-10pm US
            at = min(at, clock.now_ms - 3600_000)
            reason, notes = REASONS[int(rng.random() * len(REASONS))]
            rep = staff[int(rng.random() * len(staff))]
            self.case_no += 1
            case_id = pools.uuid_hex(rng, opened, k)
            r = rng.random()
            disposition: str | None = None
            why: str | None = None
            closed_ts: str | None = None
            closed_by: str | None = None
            cstatus = "open"
            if r < 0.92:
                cstatus = "closed"
                disposition = "resolved" if r < 0.74 else "follow_up" if r < 0.85 else "escalated"
                texts = RESOLUTIONS[disposition]
                why = texts[int(rng.random() * len(texts))]
                if rng.random() < 0.1:  # closed days later, maybe by someone else
                    closed_at = at + (1 + int(rng.random() * 7)) * DAY
                    closed_by = staff[int(rng.random() * len(staff))]
                else:
                    closed_at = at + (300 + int(rng.random() * 3000)) * 1000
                    closed_by = rep
                closed_ts = clock.ts(min(closed_at, clock.now_ms - 1))
            customer = customer_ids[0] if rng.random() < 0.8 else \
                customer_ids[int(rng.random() * len(customer_ids))]
            at_ts = clock.ts(at)
            rows["interaction"].append((
                case_id, f"{p.case_prefix}{self.case_no:06d}", acct_id, customer, rep, at_ts, reason,
                cstatus, disposition, why, closed_ts, closed_by, store, ORIGIN, at_ts, pools.hlc(at, ORIGIN)))
            for n in range(1 + (rng.random() < 0.5) + (rng.random() < 0.2)):
                note_at = at + (n + 1) * (60 + int(rng.random() * 540)) * 1000
                rows["interaction_note"].append((
                    pools.uuid_hex(rng, opened, k * 8 + n), case_id, rep,
                    notes[(n + int(rng.random() * 2)) % len(notes)],
                    store, ORIGIN, clock.ts(note_at), pools.hlc(note_at, ORIGIN)))
