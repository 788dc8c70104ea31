"""Demo people: names with realistic frequencies, households with consistent addresses, e-mail addresses on
reserved domains, phone numbers from :class:`posapp.demo.pools.NumberPool`."""

from __future__ import annotations

import random
import re
from typing import NamedTuple

from posapp.demo import names, pools
from posapp.demo.places import PLACES, Place

Row = tuple[object, ...]
_NOT_ALNUM = re.compile(r"[^a-z0-9]")


class Home(NamedTuple):
    place: Place
    address: str
    postal_code: str


def _slug(text: str) -> str:
    return _NOT_ALNUM.sub("", text.lower())


class People:
    def __init__(self, rng: random.Random, clock: pools.Clock) -> None:
        self.clock = clock
        self.first = pools.WeightedTable([*names.FEMALE_FIRST, *names.MALE_FIRST])
        self.last = pools.WeightedTable(list(names.SURNAMES))
        self.places = pools.WeightedTable([(p, p.population_k) for p in PLACES])
        self.suffix = pools.WeightedTable(list(names.STREET_SUFFIXES))
        self.domains = pools.WeightedTable(list(names.EMAIL_DOMAINS))
        self.biz_suffix = pools.WeightedTable(list(names.BUSINESS_SUFFIXES))
        self.slugs = {n: _slug(n) for n, _ in (*names.FEMALE_FIRST, *names.MALE_FIRST, *names.SURNAMES)}
        by_state: dict[str, list[str]] = {}
        for p in PLACES:
            for code in p.area_codes:
                if code not in by_state.setdefault(p.state, []):
                    by_state[p.state].append(code)
        self.numbers = pools.NumberPool(rng, by_state)
        self.today = clock.day_index(clock.now_ms)

    def household(self, rng: random.Random) -> Home:
        place: Place = self.places.draw(rng)
        street = f"{names.STREET_NAMES[int(rng.random() * len(names.STREET_NAMES))]} {self.suffix.draw(rng)}"
        number = 1 + int(rng.random() * 99) if rng.random() < 0.3 else 100 + int(rng.random() * 19900)
        address = f"{number} {street}"
        if rng.random() < 0.22:
            unit = names.UNIT_PREFIXES[int(rng.random() * len(names.UNIT_PREFIXES))]
            address += f" {unit} {1 + int(rng.random() * 449)}"
        return Home(place, address, place.zips[int(rng.random() * len(place.zips))])

    def business(self, rng: random.Random) -> tuple[str, str]:
        word = names.BUSINESS_WORDS[int(rng.random() * len(names.BUSINESS_WORDS))]
        owner = self.last.draw(rng) if rng.random() < 0.6 else \
            names.PLACE_WORDS[int(rng.random() * len(names.PLACE_WORDS))]
        suffix = self.biz_suffix.draw(rng)
        name = f"{owner} {word} {suffix}".strip()
        return name, f"{_slug(owner)}{_slug(word)[:12]}.example"

    def role(self, rng: random.Random, business: bool) -> str:
        r = rng.random()
        if business:
            return "master" if r < 0.3 else "view" if r < 0.75 else "non_view"
        return "authorized" if r < 0.35 else "standard" if r < 0.8 else "restricted" if r < 0.92 else "no_access"

    def _email(self, rng: random.Random, first: str, last: str, year: int, domain: str | None) -> str | None:
        if domain is None and rng.random() < 0.12:
            return None
        f, s = self.slugs[first], self.slugs[last]
        r = rng.random()
        if domain is not None:
            local = f"{f}.{s}" if r < 0.7 else f"{f[0]}{s}"
        elif r < 0.30:
            local = f"{f}.{s}"
        elif r < 0.45:
            local = f"{f}{s}"
        elif r < 0.58:
            local = f"{f[0]}{s}"
        elif r < 0.66:
            local = f"{f}_{s}"
        elif r < 0.86:
            local = f"{f}.{s}{1 + int(rng.random() * 99)}"
        else:
            local = f"{f}{s}{year % 100:02d}"
        return f"{local}@{domain or self.domains.draw(rng)}"

    def customer(self, rng: random.Random, cid: str, phone: str, home: Home, *, primary: bool, opened_ms: int,
                 email_domain: str | None, stamp: Row) -> Row:
        """A customer row; household members usually share the primary holder's address."""
        clock = self.clock
        first, last = self.first.draw(rng), self.last.draw(rng)
        if not primary and email_domain is None and rng.random() < 0.25:
            age = (10 + int(rng.random() * 8))  # a child on a family plan
        else:
            age = 18 + int(67 * rng.random() ** 1.15)
        born = self.today - age * 365 - int(rng.random() * 365)
        if not primary and (email_domain is not None or rng.random() < 0.15):
            home = self.household(rng)
        changed = None
        if rng.random() < 0.04:
            changed = clock.ts(max(opened_ms + 1, clock.now_ms - int(rng.random() * 60 * pools.MS_PER_DAY)))
        return (cid, first, last, self._email(rng, first, last, int(clock.days[born][:4]), email_domain),
                "+1" + phone, phone, home.address, home.place.city, home.place.state, home.postal_code,
                clock.days[born], changed, *stamp)
