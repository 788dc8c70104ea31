"""The deterministic demo-data generator: accounts with their customers, members, lines, devices and EIP
agreements, in chunks of row tuples ready for ``executemany`` (column order: :mod:`posapp.demo.schema`).

One ``random.Random(seed)`` drives everything, in one fixed order, so the same parameters give the same rows,
ids included, whether the generator runs in this process or in a worker. Ids are UUIDv7-shaped, made from the
seeded RNG: their time part is the account's opening time, so ids grow with the generation order (rows are
appended to the primary-key b-trees instead of scattered through them).
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from operator import itemgetter

from posapp.catalog import ModelInfo, PlanInfo
from posapp.demo import pools
from posapp.demo.history import HistoryMaker
from posapp.demo.params import DemoParams
from posapp.demo.people import People
from posapp.demo.schema import TABLES

Row = tuple[object, ...]
ORIGIN = "HQ"  # origin_terminal_id / HLC node of rows that came from head office
YEAR_MS = 365 * pools.MS_PER_DAY
MAX_CUSTOMERS = 1_500_000  # the NPA-555 number space (270 area codes x 9,999) holds about 2M customers

PLAN_WEIGHTS = {"ESS-UNL": 22, "GO5G": 26, "GO5G-PLUS": 18, "GO5G-NEXT": 8, "BASIC-10": 8, "55-PLUS": 7,
                "MAGENTA-LEG": 11, "PRE-15": 30, "PRE-35": 45, "PRE-UNL": 25, "BIZ-ESS": 30, "BIZ-ADV": 40,
                "BIZ-PRO": 20, "BIZ-DATA-50": 10}
MAKE_WEIGHTS = {"Apple": 52.0, "Samsung": 29.0, "Google": 7.0, "Motorola": 7.0, "OnePlus": 1.5, "T-Mobile": 3.0}
CATEGORY_WEIGHTS = {"phone": 1.0, "tablet": 0.05, "watch": 0.08, "hotspot": 0.03}


_msisdn = itemgetter(2)
_imei = itemgetter(1)


@dataclass
class Chunk:
    rows: dict[str, list[Row]] = field(default_factory=lambda: {t: [] for t in TABLES})
    customers_done: int = 0


class Generator:
    def __init__(self, p: DemoParams) -> None:
        if not 1 <= p.customers <= MAX_CUSTOMERS:
            raise ValueError(f"customers must be 1..{MAX_CUSTOMERS:,}")
        if len({pin for pin, *_ in p.pins}) < 5 or any(len(pin) != 6 for pin, *_ in p.pins):
            raise ValueError("the demo PIN pool needs at least 5 different 6-digit PINs")
        self.p = p
        self.rng = rng = random.Random(p.seed)
        self.clock = clock = pools.Clock(p.as_of, years_back=100)
        self.people = People(rng, clock)
        self.start_ms = clock.now_ms - 15 * YEAR_MS
        self.last_ms = self.start_ms
        self.accounts = 0
        self.customers = 0
        self.lines = 0
        by_segment: dict[str, list[tuple[PlanInfo, float]]] = {}
        for plan in p.plans:
            by_segment.setdefault(plan.segment, []).append((plan, PLAN_WEIGHTS.get(plan.code, 5)))
        self.plans = {seg: pools.WeightedTable(items) for seg, items in by_segment.items()}
        weighted = [(m, MAKE_WEIGHTS.get(m.make, 1.0) * CATEGORY_WEIGHTS.get(m.category, 0.05) *
                     (1.6 if m.storage_gb in (128, 256) else 1.0)) for m in p.models]
        self.models = pools.WeightedTable(weighted)
        self.imei_tail = {m.code: pools.LuhnTail(m.tac, 6) for m in p.models}
        self.imei_counter = {m.code: pools.AffineCounter(rng, 1_000_000) for m in p.models}
        self.iccid = pools.LuhnTail("890199", 12)
        self.iccid_base = int(rng.random() * 10**11)
        self.eid_base = rng.getrandbits(64)
        self.lines_per_account = {
            "consumer": pools.WeightedTable([(1, 45), (2, 27), (3, 14), (4, 9), (5, 5)]),
            "business": pools.WeightedTable([(1, 22), (2, 24), (3, 20), (4, 17), (5, 17)]),
        }
        self.history = HistoryMaker(rng, clock, p)

    # -- helpers -------------------------------------------------------------------------------------------
    def _imei(self, model: ModelInfo) -> tuple[ModelInfo, str]:
        serial = self.imei_counter[model.code].next()
        while serial is None:  # this TAC's serials are used up: take another model
            model = self.models.draw(self.rng)
            serial = self.imei_counter[model.code].next()
        return model, self.imei_tail[model.code].number(serial)

    def _eid(self) -> str:
        body = f"89049032{self.eid_base + self.lines:022d}"
        return f"{body}{98 - int(body + '00') % 97:02d}"

    def chunks(self) -> Iterator[Chunk]:
        while self.customers < self.p.customers:
            chunk = Chunk()
            for _ in range(self.p.chunk_accounts):
                if self.customers >= self.p.customers:
                    break
                self._account(chunk.rows)
            chunk.customers_done = self.customers
            # Unique keys in ascending order within a chunk: their index b-trees are then walked in one
            # pass per chunk instead of at random (about 1 µs a row less at a million customers).
            chunk.rows["line"].sort(key=_msisdn)
            chunk.rows["device"].sort(key=_imei)
            yield chunk

    # -- one account ---------------------------------------------------------------------------------------
    def _account(self, rows: dict[str, list[Row]]) -> None:
        rng, clock, p, people = self.rng, self.clock, self.p, self.people
        store = p.store_id
        u = self.customers / p.customers
        opened = self.start_ms + int((clock.now_ms - 2 * pools.MS_PER_DAY - self.start_ms) * u ** 0.55)
        opened = max(opened + rng.getrandbits(16), self.last_ms + 1)
        self.last_ms = opened
        self.accounts += 1
        business = rng.random() < 0.08
        kind = "business" if business else "consumer"
        n_lines = self.lines_per_account[kind].draw(rng)
        prepaid = not business and n_lines == 1 and rng.random() < 0.12
        segment = "business" if business else "prepaid" if prepaid else "consumer"
        r = rng.random()
        status = "active" if r < 0.965 else "suspended" if r < 0.985 else "closed"
        acct_id = pools.uuid_hex(rng, opened, 0)
        opened_ts = clock.ts(opened)
        stamp = (store, ORIGIN, opened_ts, pools.hlc(opened, ORIGIN))

        # people: the primary holder, plus family members / business users
        home = people.household(rng)
        n_people = 1
        if business:
            n_people += (rng.random() < 0.55) + (rng.random() < 0.25)
        else:
            for _ in range(n_lines - 1):
                n_people += rng.random() < 0.5
        n_people = min(n_people, p.customers - self.customers)
        self.customers += n_people
        biz_name, biz_domain = people.business(rng) if business else (None, None)

        # lines first: customers take their contact number from them
        line_rows: list[Row] = []
        plan_cents: list[int] = []
        line_states: list[tuple[int, str]] = []
        numbers: list[str] = []
        for j in range(n_lines):
            digits = people.numbers.take(home.place.area_codes if rng.random() < 0.85 else (), home.place.state)
            numbers.append(digits)
            plan: PlanInfo = self.plans[segment].draw(rng)
            if status == "closed":
                lstatus = "cancelled"
            elif status == "suspended":
                lstatus = "suspended"
            else:
                r = rng.random()
                lstatus = "active" if r < 0.955 else "suspended" if r < 0.975 else "cancelled" if r < 0.995 \
                    else "pending"
            act = opened + rng.getrandbits(20) if j == 0 or rng.random() < 0.5 else \
                opened + int((clock.now_ms - opened) * rng.random())
            self.lines += 1
            act_ts = clock.ts(act)
            line_rows.append((pools.uuid_hex(rng, opened, j), acct_id, "+1" + digits, plan.code, lstatus,
                              int(rng.random() < 0.10), int(rng.random() < (0.30 if business else 0.14)),
                              self.iccid.number(self.iccid_base + self.lines), None,
                              None if lstatus == "pending" else act_ts,
                              store, ORIGIN, act_ts, pools.hlc(act, ORIGIN)))
            plan_cents.append(plan.monthly_cents if lstatus in ("active", "suspended") else 0)
            line_states.append((act, lstatus))

        customer_ids = []
        for j in range(n_people):
            cid = pools.uuid_hex(rng, opened, j)
            customer_ids.append(cid)
            phone = numbers[j] if j < n_lines else people.numbers.take(home.place.area_codes, home.place.state)
            rows["customer"].append(people.customer(rng, cid, phone, home, primary=j == 0, opened_ms=opened,
                                                    email_domain=biz_domain, stamp=stamp))
            role = ("master" if business else "primary") if j == 0 else people.role(rng, business)
            rows["account_member"].append((pools.uuid_hex(rng, opened, j), acct_id, cid, role, *stamp))

        eip_monthly = self._devices(rows, acct_id, opened, line_rows, line_states, status)
        rows["line"].extend(line_rows)

        number = f"{400_000_000 + self.accounts * 3 + int(rng.random() * 3)}"
        k = int(rng.random() * len(p.pins))
        while p.pins[k][0] in number:  # the PIN may not be part of the account number (a 9-digit number
            k = (k + 1) % len(p.pins)  # holds at most 4 different 6-digit PINs, and the pool has 5 or more)
        _, pin_hash, pin_salt, pin_params = p.pins[k]
        balance = 0
        if p.history_share > 0 and rng.random() < p.history_share:
            balance = self.history.account(rows, acct_id, opened, customer_ids, plan_cents, eip_monthly, status)
        elif status != "closed" and rng.random() < 0.06:
            balance = sum(plan_cents) + eip_monthly
        rows["account"].append((acct_id, number, kind, biz_name,
                                status, pin_hash, pin_salt, pin_params, balance, opened_ts, 0, None,
                                *stamp))

    def _devices(self, rows: dict[str, list[Row]], acct_id: str, opened: int, line_rows: list[Row],
                 line_states: list[tuple[int, str]], acct_status: str) -> int:
        """Devices on the lines (and some older, traded-in ones); EIP agreements. Returns EIP monthly cents."""
        rng, clock, store = self.rng, self.clock, self.p.store_id
        now, day = clock.now_ms, pools.MS_PER_DAY
        eip_monthly = 0
        seq = 0
        for j, (act, lstatus) in enumerate(line_states):
            if rng.random() < 0.04:  # SIM-only line: no device on record
                continue
            for previous in (False, True):
                if previous and rng.random() >= 0.07:
                    break
                model, imei = self._imei(self.models.draw(rng))
                imei2 = None
                if model.category == "phone" and model.esim_capable and rng.random() < 0.8:
                    model, imei2 = self._imei(model)
                span = max(now - act, day)
                bought = now - int(min(span, 4 * YEAR_MS) * rng.random())
                if previous:
                    bought = max(act, bought - 2 * YEAR_MS)
                r = rng.random()
                if previous:
                    dstatus = "traded_in" if r < 0.8 else "returned"
                else:
                    dstatus = "in_use" if r < 0.978 else "lost" if r < 0.988 else "stolen" if r < 0.995 \
                        else "blocked"
                carrier = rng.random() < 0.88
                warranty = clock.day_index(bought) + (730 if rng.random() < 0.2 else 365)
                dev_id = pools.uuid_hex(rng, opened, seq)
                seq += 1
                if not previous and model.esim_capable and rng.random() < 0.3:
                    line = line_rows[j]
                    line_rows[j] = (*line[:8], self._eid(), *line[9:])
                bought_ts = clock.ts(bought)
                rows["device"].append((dev_id, imei, imei2, model.code, acct_id,
                                       None if previous else line_rows[j][0], dstatus, int(carrier),
                                       bought_ts, clock.days[warranty], store, ORIGIN, bought_ts,
                                       pools.hlc(bought, ORIGIN)))
                if previous or not carrier or now - bought > 3 * YEAR_MS or rng.random() >= 0.65:
                    continue
                months = 36 if rng.random() < 0.15 else 24
                retail = model.retail_cents
                down = 0 if rng.random() < 0.65 else retail * (10 + int(rng.random() * 21)) // 10_000 * 100
                financed = retail - down
                monthly = -(-financed // months)
                paid = min(months, (now - bought) // (30 * day))
                balance = max(0, financed - monthly * paid)
                if balance == 0:
                    fstatus = "paid_off"
                elif acct_status == "closed" or lstatus == "cancelled":
                    fstatus = "due_in_full"
                else:
                    fstatus = "active"
                    eip_monthly += monthly
                rows["financing_agreement"].append((pools.uuid_hex(rng, opened, seq), acct_id, dev_id, financed,
                                                    down, months, monthly, balance, clock.day(bought), fstatus,
                                                    store, ORIGIN, bought_ts, pools.hlc(bought, ORIGIN)))
        return eip_monthly
