"""The demo corpora and the head-office catalogs are consistent and realistic."""

from __future__ import annotations

import phonenumbers
from phonenumbers import geocoder
from stdnum import ean

from posapp.db.models import Base
from posapp.demo import names
from posapp.demo.catalog import load_models, load_plans
from posapp.demo.places import PLACES, ZIP_REGION
from posapp.demo.schema import COLUMNS, OPTIONAL

STATE_NAMES = {
    "AK": "Alaska", "AL": "Alabama", "AR": "Arkansas", "AZ": "Arizona", "CA": "California", "CO": "Colorado",
    "CT": "Connecticut", "DC": "Washington D.C.", "DE": "Delaware", "FL": "Florida", "GA": "Georgia",
    "HI": "Hawaii", "IA": "Iowa", "ID": "Idaho", "IL": "Illinois", "IN": "Indiana", "KS": "Kansas",
    "KY": "Kentucky", "LA": "Louisiana", "MA": "Massachusetts", "MD": "Maryland", "ME": "Maine",
    "MI": "Michigan", "MN": "Minnesota", "MO": "Missouri", "MS": "Mississippi", "MT": "Montana",
    "NC": "North Carolina", "ND": "North Dakota", "NE": "Nebraska", "NH": "New Hampshire", "NJ": "New Jersey",
    "NM": "New Mexico", "NV": "Nevada", "NY": "New York", "OH": "Ohio", "OK": "Oklahoma", "OR": "Oregon",
    "PA": "Pennsylvania", "RI": "Rhode Island", "SC": "South Carolina", "SD": "South Dakota", "TN": "Tennessee",
    "TX": "Texas", "UT": "Utah", "VA": "Virginia", "VT": "Vermont", "WA": "Washington", "WI": "Wisconsin",
    "WV": "West Virginia", "WY": "Wyoming",
}


def test_places_are_consistent() -> None:
    assert len(PLACES) > 150 and len({p.state for p in PLACES}) == 51
    for place in PLACES:
        assert place.zips and all(len(z) == 5 and z[0] == ZIP_REGION[place.state] for z in place.zips), place
        for code in place.area_codes:
            number = phonenumbers.parse(f"+1{code}5550123")
            assert phonenumbers.is_valid_number(number), (place.city, code)
            where = geocoder.description_for_number(number, "en")
            assert STATE_NAMES[place.state] in where or where.endswith(f", {place.state}"), (place, code, where)


def test_name_frequencies() -> None:
    surnames = dict(names.SURNAMES)
    assert len(surnames) == len(names.SURNAMES) > 250
    assert surnames["Smith"] > surnames["Garcia"] > surnames["Nguyen"] > surnames["O'Brien"]
    assert len(names.FEMALE_FIRST) > 100 and len(names.MALE_FIRST) > 100
    assert all(domain.endswith((".example", ".test", "example.com", "example.net", "example.org"))
               for domain, _ in names.EMAIL_DOMAINS)


def test_catalogs() -> None:
    plans = load_plans()
    assert 12 <= len(plans) <= 16 and len({p.code for p in plans}) == len(plans)
    assert {p.segment for p in plans} == {"consumer", "business", "prepaid"}
    assert all(p.kind == "prepaid" for p in plans if p.segment == "prepaid")
    assert all(p.monthly_cents > 0 and isinstance(p.monthly_cents, int) for p in plans)
    models = load_models()
    assert 35 <= len(models) <= 50
    assert len({m.code for m in models}) == len({m.tac for m in models}) == len({m.upc for m in models}) == len(models)
    for m in models:
        assert len(m.tac) == 8 and m.tac.isdigit() and m.tac[:2] in ("35", "86")
        assert m.upc is not None and len(m.upc) == 12 and ean.is_valid(m.upc)
        assert 10_000 <= m.retail_cents <= 250_000 and m.category in ("phone", "tablet", "watch", "hotspot")
    assert {"Apple", "Samsung", "Google", "Motorola"} <= {m.make for m in models}


def test_loader_columns_match_the_models() -> None:
    for table, columns in COLUMNS.items():
        model = Base.metadata.tables[table]
        names_ = {c.name for c in model.columns}
        assert set(columns) <= names_ | {c for t, c in OPTIONAL if t == table}, table
        required = {c.name for c in model.columns if not c.nullable and c.default is None and
                    c.server_default is None}
        assert required <= set(columns), (table, required - set(columns))
