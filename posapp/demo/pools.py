"""Fast building blocks for the demo generator: weighted lookup tables, ids, timestamps, Luhn and number
allocators. Everything is precomputed once so that a generated row costs a few table look-ups and one
f-string; nothing here calls phonenumbers or stdnum per row (tests check samples against them)."""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Generic, TypeVar

T = TypeVar("T")
TABLE_BITS = 16
MS_PER_DAY = 86_400_000
_VARIANT = 0b10 << 62


class WeightedTable(Generic[T]):
    """Draw from weighted items with one ``getrandbits`` call: a 65,536-slot table where each item fills a
    share of slots proportional to its weight (every item keeps at least one slot)."""

    def __init__(self, items: Sequence[tuple[T, float]]) -> None:
        total = float(sum(w for _, w in items))
        size = 1 << TABLE_BITS
        slots: list[T] = []
        acc = 0.0
        for item, weight in items:
            acc += weight
            end = max(len(slots) + 1, round(acc / total * size))
            slots.extend([item] * (end - len(slots)))
        self.slots: list[T] = slots[:size] if len(slots) >= size else slots + [items[-1][0]] * (size - len(slots))

    def draw(self, rng: random.Random) -> T:
        return self.slots[rng.getrandbits(TABLE_BITS)]


class Clock:
    """Millisecond timestamps (UTC) and their SQLite text forms, fast.

    ``ts(ms)`` gives what SQLAlchemy's UTC column stores in SQLite (``posapp.db.types.sqlite_timestamp``):
    ``'YYYY-MM-DD HH:MM:SS.ffffff'``; ``day(ms)`` the ``'YYYY-MM-DD'`` of a Date column.
    """

    def __init__(self, as_of: date, years_back: int = 16) -> None:
        self.first_day = date(as_of.year - years_back, 1, 1)
        self.epoch_ms = int(datetime(self.first_day.year, 1, 1, tzinfo=UTC).timestamp() * 1000)
        self.now_ms = int(datetime(as_of.year, as_of.month, as_of.day, tzinfo=UTC).timestamp() * 1000)
        n_days = (as_of - self.first_day).days + 3 * 366
        self.days = [(self.first_day + timedelta(days=i)).isoformat() for i in range(n_days)]
        self._hms = [f"{s // 3600:02d}:{s // 60 % 60:02d}:{s % 60:02d}" for s in range(86_400)]

    def ts(self, ms: int) -> str:
        d, r = divmod(ms - self.epoch_ms, MS_PER_DAY)
        s, milli = divmod(r, 1000)
        return f"{self.days[d]} {self._hms[s]}.{milli:03d}000"

    def day(self, ms: int) -> str:
        return self.days[(ms - self.epoch_ms) // MS_PER_DAY]

    def day_index(self, ms: int) -> int:
        return (ms - self.epoch_ms) // MS_PER_DAY

    def day_ms(self, index: int) -> int:
        return self.epoch_ms + index * MS_PER_DAY


def uuid_hex(rng: random.Random, ms: int, seq: int) -> str:
    """A UUID in v7 layout as stored by SQLAlchemy's ``Uuid`` on SQLite (32 lowercase hex digits): 48-bit ms,
    version 7, a 12-bit sequence (``seq``) so ids made for the same ms keep their order, variant, 62 random
    bits from the seeded ``rng``."""
    return f"{ms:012x}7{seq:03x}{_VARIANT | rng.getrandbits(62):016x}"


def hlc(ms: int, node: str) -> str:
    """An HLC stamp (posapp.sync.hlc.Stamp text) for a row made at ``ms`` by ``node``."""
    return f"{ms:013d}.00000.{node}"


# -- Luhn with precomputed tables ---------------------------------------------------------------------------

def _luhn_value(digit: int, doubled: bool) -> int:
    if not doubled:
        return digit
    d = digit * 2
    return d - 9 if d > 9 else d


class LuhnTail:
    """Check digits for numbers ``prefix + tail`` where the prefix is fixed and the tail is an integer of
    ``tail_len`` digits (a multiple of 3): the sum is split into 3-digit groups looked up in tables."""

    def __init__(self, prefix: str, tail_len: int) -> None:
        if tail_len % 3:
            raise ValueError("tail length must be a multiple of 3")
        self.prefix, self.tail_len = prefix, tail_len
        payload_len = len(prefix) + tail_len
        # Position i (0 = leftmost) of the payload is doubled when (payload_len - i) is odd.
        self.prefix_sum = sum(_luhn_value(int(c), (payload_len - i) % 2 == 1) for i, c in enumerate(prefix))
        self.groups: list[list[int]] = []
        for g in range(tail_len // 3):
            start = len(prefix) + 3 * g
            table = []
            for v in range(1000):
                digits = f"{v:03d}"
                table.append(sum(_luhn_value(int(c), (payload_len - (start + j)) % 2 == 1)
                                 for j, c in enumerate(digits)))
            self.groups.append(table)

        self._fmt = f"{{:0{tail_len}d}}"
        self._check = [str((10 - t % 10) % 10) for t in range(10)]

    def number(self, tail: int) -> str:
        groups = self.groups
        if len(groups) == 2:
            a, b = divmod(tail, 1000)
            total = self.prefix_sum + groups[0][a] + groups[1][b]
        else:
            total = self.prefix_sum
            rest = tail
            for table in reversed(groups):
                rest, v = divmod(rest, 1000)
                total += table[v]
        return self.prefix + self._fmt.format(tail) + self._check[total % 10]


class AffineCounter:
    """Hands out each value of ``range(size)`` once, in a scattered order: ``(a*i + b) % size``."""

    def __init__(self, rng: random.Random, size: int) -> None:
        self.size, self.used = size, 0
        a = rng.randrange(size // 3, size) | 1
        while a % 5 == 0 or _gcd(a, size) != 1:
            a += 2
        self.a, self.b = a, rng.randrange(size)

    def next(self) -> int | None:
        if self.used >= self.size:
            return None
        value = (self.a * self.used + self.b) % self.size
        self.used += 1
        return value


def _gcd(a: int, b: int) -> int:
    while b:
        a, b = b, a % b
    return a


class NumberPool:
    """Unique demo phone numbers ``+1 NPA 555 XXXX``: the 555 exchange of each area code holds no real
    subscribers' mobiles (555-0100..0199 are reserved for fiction; 555-1212 is skipped). A number comes from
    one of the customer's own area codes, else (the code is used up, or the customer moved) from a random
    area code of the same state, else from any area code with numbers left."""

    def __init__(self, rng: random.Random, area_codes_by_state: dict[str, list[str]]) -> None:
        self._rng = rng
        self._counters: dict[str, AffineCounter] = {}
        self._by_state = {state: list(codes) for state, codes in area_codes_by_state.items()}
        self._all = sorted({c for codes in area_codes_by_state.values() for c in codes})
        self._state_of = {c: s for s, codes in area_codes_by_state.items() for c in codes}

    @property
    def capacity(self) -> int:
        return len(self._state_of) * 9_999

    def _take(self, npa: str) -> str | None:
        counter = self._counters.get(npa)
        if counter is None:
            counter = self._counters[npa] = AffineCounter(self._rng, 10_000)
        sub = counter.next()
        if sub == 1212:
            sub = counter.next()
        if counter.used >= counter.size:  # used up: never offer this area code again
            self._all.remove(npa)
            self._by_state[self._state_of[npa]].remove(npa)
        return None if sub is None else f"{npa}555{sub:04d}"

    def take(self, preferred: Sequence[str], state: str) -> str:
        """10 national digits; raises RuntimeError when every area code is used up."""
        rng = self._rng
        if preferred:
            npa = preferred[int(rng.random() * len(preferred))]
            if npa in self._counters and self._counters[npa].used >= 10_000:
                npa = ""
            if npa:
                got = self._take(npa)
                if got:
                    return got
        for pool in (self._by_state.get(state, []), self._all):
            while pool:
                got = self._take(pool[int(rng.random() * len(pool))])
                if got:
                    return got
        raise RuntimeError("the demo phone-number space is used up")
