"""The demo loader: realistic, consistent, deterministic, atomic, and readable through the ORM."""

from __future__ import annotations

import hashlib
import re
import sqlite3
import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import phonenumbers
import pytest
from sqlalchemy import func, select

from posapp.db.models import (
    Account,
    AccountMember,
    AutoPayEnrolment,
    Bill,
    BillPayment,
    Customer,
    Device,
    FinancingAgreement,
    Interaction,
    InteractionNote,
    Line,
)
from posapp.demo import loader, pipeline
from posapp.demo.loader import DEMO_ACCOUNT_PINS, DEMO_EMPLOYEES, DemoAlreadyLoaded, DemoReport, load_demo
from posapp.demo.places import PLACES
from posapp.demo.schema import COLUMNS
from posapp.domain import identifiers as ids
from posapp.domain.enums import AccountKind, DeviceStatus, LineStatus, MemberRole
from posapp.paths import DataPaths
from posapp.security.audit import verify_chain
from posapp.security.pins import verify_pin
from posapp.services.registry import Services

AS_OF = date(2026, 11, 1)
SEED = 11
CUSTOMERS = 2000
Loaded = tuple[Services, DemoReport, list[tuple[object, ...]]]
EMPLOYEE_REFS = {"interaction": ("opened_by", "closed_by"), "interaction_note": ("author_id",)}


def _schema(db: Path) -> set[tuple[str, str, str, str]]:
    con = sqlite3.connect(db)
    try:
        return set(con.execute("SELECT type, name, tbl_name, sql FROM sqlite_master WHERE sql IS NOT NULL"))
    finally:
        con.close()


def table_hashes(db: Path) -> dict[str, str]:
    """SHA-256 of every demo table's rows in id order; employee ids (made by the real service) become numbers."""
    con = sqlite3.connect(db)
    try:
        staff = dict(con.execute("SELECT id, number FROM employee"))
        out = {}
        for table in COLUMNS:
            names = [r[1] for r in con.execute(f"PRAGMA table_info({table})")]
            h = hashlib.sha256()
            refs = EMPLOYEE_REFS.get(table, ())
            for row in con.execute(f"SELECT * FROM {table} ORDER BY id"):
                values = [staff.get(v, v) if n in refs else v for n, v in zip(names, row, strict=True)]
                h.update(repr(values).encode())
            out[table] = h.hexdigest()
        return out
    finally:
        con.close()


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Loaded]:
    paths = DataPaths.resolve(tmp_path_factory.mktemp("demo") / "data")
    services = Services.open(paths)
    calls: list[tuple[object, ...]] = []
    try:
        report = load_demo(services, customers=CUSTOMERS, seed=SEED, history_share=0.3, as_of=AS_OF,
                           parallel=False, progress=lambda *a: calls.append(a))
        yield services, report, calls
    finally:
        services.close()


@pytest.fixture
def con(loaded: Loaded) -> Iterator[sqlite3.Connection]:
    c = sqlite3.connect(loaded[0].core.paths.database)
    try:
        yield c
    finally:
        c.close()


def test_report_and_counts(loaded: Loaded, con: sqlite3.Connection) -> None:
    _, report, calls = loaded
    assert report.customers == CUSTOMERS and report.counts["customer"] == CUSTOMERS
    for table, count in report.counts.items():
        assert con.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == count, table
    for table in ("bill", "bill_payment", "autopay_enrolment", "interaction", "interaction_note",
                  "financing_agreement"):
        assert report.counts[table] > 0, table
    assert [e.number for e in report.employees] == [e.number for e in DEMO_EMPLOYEES]
    assert ("customers", CUSTOMERS, CUSTOMERS) in calls and calls[-1][0] == "commit"
    assert {c[0] for c in calls} >= {"employees", "customers", "indexes", "commit"}


def test_demo_employees_sign_in(loaded: Loaded) -> None:
    services, report, _ = loaded
    for e in report.employees:
        actor = services.auth.sign_in(e.number, e.pin)
        assert actor.role == e.role


def test_orm_reads_rows_back(loaded: Loaded) -> None:
    services, _, _ = loaded
    with services.uow.read() as s:
        for model in (Customer, Account, AccountMember, Line, Device, FinancingAgreement, Bill, BillPayment,
                      AutoPayEnrolment, Interaction, InteractionNote):
            rows = s.scalars(select(model).limit(50)).all()
            assert rows, model
            for row in rows:
                assert isinstance(row.id, uuid.UUID) and row.id.version == 7 and row.id.variant == uuid.RFC_4122
                assert row.created_at.tzinfo is UTC and row.created_at < datetime(2026, 11, 1, tzinfo=UTC)
                assert row.origin_terminal_id == "HQ" and row.store_id == services.core.settings.store_id
        customer = s.scalars(select(Customer).where(Customer.date_of_birth.is_not(None)).limit(1)).one()
        assert isinstance(customer.date_of_birth, date)
        line = s.scalars(select(Line).where(Line.activated_at.is_not(None)).limit(1)).one()
        assert isinstance(line.status, LineStatus) and line.activated_at is not None
        assert line.activated_at.tzinfo is UTC
        device = s.scalars(select(Device).limit(1)).one()
        assert isinstance(device.status, DeviceStatus) and isinstance(device.warranty_end, date)
        account = s.scalars(select(Account).limit(1)).one()
        assert isinstance(account.kind, AccountKind) and isinstance(account.pin_hash, bytes)
        # ids grow with generation order (UUIDv7 time part = account opening)
        ids_ = s.scalars(select(Account.id).order_by(Account.account_number)).all()
        assert ids_ == sorted(ids_, key=lambda u: u.hex)


def test_integrity(con: sqlite3.Connection) -> None:
    assert con.execute("PRAGMA foreign_key_check").fetchall() == []
    assert con.execute("PRAGMA integrity_check").fetchone() == ("ok",)


def test_devices(con: sqlite3.Connection) -> None:
    imeis = [r[0] for r in con.execute("SELECT imei FROM device")]
    assert all(ids.imei_is_valid(i) for i in imeis)
    second = [r[0] for r in con.execute("SELECT imei2 FROM device WHERE imei2 IS NOT NULL")]
    assert second and all(ids.imei_is_valid(i) for i in second)
    assert len(set(imeis) | set(second)) == len(imeis) + len(second)  # no IMEI used twice, either slot
    tacs = {r[0] for r in con.execute("SELECT tac FROM device_model")}
    assert {i[:8] for i in imeis} <= tacs
    statuses = dict(con.execute("SELECT status, count(*) FROM device GROUP BY status"))
    assert statuses["in_use"] > 0.9 * len(imeis) and statuses.get("traded_in", 0) > 0
    assert sum(statuses.get(s, 0) for s in ("lost", "stolen", "blocked")) > 0
    assert con.execute("SELECT count(*) FROM device WHERE warranty_end <= substr(purchased_at, 1, 10)"
                       ).fetchone()[0] == 0


def test_lines_and_sims(con: sqlite3.Connection) -> None:
    rows = con.execute("SELECT msisdn, iccid, eid FROM line").fetchall()
    assert all(re.fullmatch(r"\+1[2-9]\d{2}555\d{4}", m) for m, _, _ in rows)
    assert all(ids.iccid_is_valid(i) for _, i, _ in rows)
    eids = [e for _, _, e in rows if e]
    assert eids and all(ids.eid_is_valid(e) for e in eids)
    for m, _, _ in rows[::7]:
        assert phonenumbers.is_valid_number(phonenumbers.parse(m)), m
    per_account = [r[0] for r in con.execute("SELECT count(*) FROM line GROUP BY account_id")]
    assert min(per_account) >= 1 and max(per_account) <= 5
    assert con.execute("SELECT count(*) FROM account WHERE id NOT IN (SELECT account_id FROM line)"
                       ).fetchone()[0] == 0
    weights = [per_account.count(n) for n in range(1, 6)]
    assert weights[0] > weights[2] > weights[4] and weights[0] + weights[1] > 0.6 * len(per_account)
    flags = con.execute("SELECT sum(sim_protection), sum(port_out_protection) FROM line").fetchone()
    assert flags[0] > 0 and flags[1] > 0


def test_customers(con: sqlite3.Connection) -> None:
    rows = con.execute("SELECT phone_e164, phone_digits, city, state, postal_code, email FROM customer").fetchall()
    places = {(p.city, p.state, z) for p in PLACES for z in p.zips}
    for e164, digits, city, state, postal, email in rows:
        assert e164 == "+1" + digits and ids.phone_digits(e164) == digits
        assert (city, state, postal) in places
        assert email is None or re.fullmatch(r"[a-z0-9._]+@[a-z0-9.]+\.(example|test|com|net|org)", email)
        assert email is None or email.split("@")[1].endswith((".example", ".test", "example.com", "example.net",
                                                                "example.org"))
    for e164, *_ in rows[::11]:
        assert ids.normalize_phone(e164) == e164
    assert len({r[0] for r in rows}) > 0.95 * len(rows)
    surnames = [r[0] for r in con.execute("SELECT last_name FROM customer")]
    assert surnames.count("Smith") > surnames.count("Yamamoto")  # realistic frequencies


def test_accounts_and_members(con: sqlite3.Connection) -> None:
    primaries = con.execute("SELECT a.kind, (SELECT count(*) FROM account_member m WHERE m.account_id = a.id "
                            "AND m.role = 'primary'), (SELECT count(*) FROM account_member m "
                            "WHERE m.account_id = a.id AND m.role = 'master') FROM account a").fetchall()
    # DOMAIN.md: one Primary Account Holder on a consumer account; business accounts use Master / View / Non-view.
    assert all(p == 1 and m == 0 for kind, p, m in primaries if kind == "consumer")
    assert all(p == 0 and m >= 1 for kind, p, m in primaries if kind == "business")
    assert con.execute("SELECT count(DISTINCT customer_id) = count(*) FROM account_member").fetchone() == (1,)
    kinds = dict(con.execute("SELECT kind, count(*) FROM account GROUP BY kind"))
    share = kinds["business"] / (kinds["business"] + kinds["consumer"])
    assert 0.04 < share < 0.13
    assert con.execute("SELECT count(*) FROM account WHERE (kind = 'business') != (business_name IS NOT NULL)"
                       ).fetchone() == (0,)
    roles = {r[0] for r in con.execute("SELECT DISTINCT role FROM account_member")}
    assert {"primary", "authorized", "master", "view"} <= roles <= {m.value for m in MemberRole}
    assert con.execute("SELECT count(*) FROM account a JOIN account_member m ON m.account_id = a.id "
                       "WHERE a.kind = 'consumer' AND m.role IN ('master', 'view', 'non_view')").fetchone() == (0,)
    plans = dict(con.execute("SELECT p.kind, count(*) FROM line l JOIN plan p ON p.code = l.plan_code "
                             "GROUP BY p.kind"))
    assert plans["prepaid"] > 0 and plans["postpaid"] > plans["prepaid"]


def test_account_pins_follow_the_rules(con: sqlite3.Connection) -> None:
    pool = loader._demo_pins(SEED)
    by_hash = {h: pin for pin, h, _, _ in pool}
    pin, digest, salt, params = pool[0]
    assert verify_pin(pin, pin_hash=digest, salt=salt, params=params)
    numbers: dict[str, list[str]] = {}
    for account_id, msisdn in con.execute("SELECT account_id, msisdn FROM line"):
        numbers.setdefault(account_id, []).append(msisdn[2:])
    births = dict(con.execute("SELECT m.account_id, c.date_of_birth FROM account_member m JOIN customer c "
                              "ON c.id = m.customer_id WHERE m.role = 'primary'"))
    for account_id, number, pin_hash in con.execute("SELECT id, account_number, pin_hash FROM account"):
        pin = by_hash[pin_hash]
        assert pin not in number
        assert not any(n.startswith(pin) or n.endswith(pin) for n in numbers[account_id])
        if account_id not in births:  # business accounts: no single primary holder's birth date
            continue
        born = date.fromisoformat(births[account_id])
        assert pin not in {born.strftime(f) for f in ("%m%d%y", "%d%m%y", "%y%m%d")}
    for pin in DEMO_ACCOUNT_PINS:
        assert len(set(pin)) > 1 and pin not in "01234567890" and pin not in "09876543210"


def test_financing_and_history(con: sqlite3.Connection) -> None:
    bad = con.execute("SELECT count(*) FROM financing_agreement WHERE balance_cents < 0 OR "
                      "balance_cents > financed_cents OR monthly_cents * months < financed_cents OR "
                      "(status = 'paid_off') != (balance_cents = 0)").fetchone()
    assert bad == (0,)
    bills = con.execute("SELECT account_id, count(*) FROM bill GROUP BY account_id").fetchall()
    assert max(n for _, n in bills) == 12
    assert con.execute("SELECT count(*) FROM bill_payment p JOIN bill b ON b.id = p.bill_id "
                       "WHERE p.amount_cents > b.amount_cents").fetchone() == (0,)
    assert con.execute("SELECT count(*) FROM bill WHERE status = 'paid' AND id NOT IN "
                       "(SELECT bill_id FROM bill_payment)").fetchone() == (0,)
    cases = con.execute("SELECT case_number, status, disposition, closed_at FROM interaction").fetchall()
    assert all(re.fullmatch(r"S001-T01-\d{6}", c) for c, *_ in cases)
    assert all((s == "closed") == (d is not None) == (t is not None) for _, s, d, t in cases)
    assert con.execute("SELECT count(*) FROM interaction WHERE id NOT IN "
                       "(SELECT interaction_id FROM interaction_note)").fetchone() == (0,)


def test_audit_and_no_outbox(loaded: Loaded, con: sqlite3.Connection) -> None:
    services, _report, _ = loaded
    with services.uow.read() as s:
        assert verify_chain(s).ok
    events = con.execute("SELECT details FROM audit_event WHERE action = 'demo.load'").fetchall()
    assert len(events) == 1 and f'"customer":{CUSTOMERS}' in events[0][0]
    outbox = {r[0] for r in con.execute("SELECT DISTINCT entity FROM sync_outbox")}
    assert not outbox & set(COLUMNS)


def test_schema_is_unchanged_by_the_load(loaded: Loaded,
                                         tmp_path: Path) -> None:
    fresh = Services.open(DataPaths.resolve(tmp_path / "fresh"))
    fresh.close()
    assert _schema(loaded[0].core.paths.database) == _schema(fresh.core.paths.database)
    con = sqlite3.connect(loaded[0].core.paths.database)
    try:
        hits = con.execute("SELECT count(*) FROM customer_fts WHERE customer_fts MATCH 'smith'").fetchone()[0]
        assert hits == con.execute("SELECT count(*) FROM customer WHERE last_name = 'Smith' "
                                   "OR first_name = 'Smith'").fetchone()[0] > 0
    finally:
        con.close()


def test_second_load_is_refused(loaded: Loaded, con: sqlite3.Connection) -> None:
    services, _report, _ = loaded
    with pytest.raises(DemoAlreadyLoaded, match="already loaded"):
        load_demo(services, customers=10, seed=1, as_of=AS_OF)
    assert con.execute("SELECT count(*) FROM customer").fetchone()[0] == CUSTOMERS


def test_same_seed_same_rows_in_a_worker_process(loaded: Loaded,
                                                 tmp_path: Path) -> None:
    services = Services.open(DataPaths.resolve(tmp_path / "again"))
    try:
        load_demo(services, customers=CUSTOMERS, seed=SEED, history_share=0.3, as_of=AS_OF, parallel=True)
    finally:
        services.close()
    assert table_hashes(tmp_path / "again" / "posapp.sqlite3") == table_hashes(loaded[0].core.paths.database)


def test_other_seed_other_rows(tmp_path: Path) -> None:
    a, b = (Services.open(DataPaths.resolve(tmp_path / n)) for n in "ab")
    try:
        load_demo(a, customers=50, seed=1, as_of=AS_OF)
        load_demo(b, customers=50, seed=2, as_of=AS_OF)
    finally:
        a.close()
        b.close()
    ha, hb = table_hashes(tmp_path / "a" / "posapp.sqlite3"), table_hashes(tmp_path / "b" / "posapp.sqlite3")
    assert ha["customer"] != hb["customer"]


def test_failure_midway_leaves_nothing(services: Services, monkeypatch: pytest.MonkeyPatch) -> None:
    db = services.core.paths.database
    before = _schema(db)
    real = pipeline.chunks

    def failing(params: object, *, parallel: bool) -> Iterator[object]:
        for chunk in real(params, parallel=parallel):  # type: ignore[arg-type]
            yield chunk
            raise OSError("disk full (simulated)")

    monkeypatch.setattr(pipeline, "chunks", failing)
    with pytest.raises(OSError, match="simulated"):
        load_demo(services, customers=300, seed=3, as_of=AS_OF)
    assert _schema(db) == before
    with services.uow.read() as s:
        assert s.scalar(select(func.count()).select_from(Customer)) == 0
        assert s.scalar(select(func.count()).select_from(Line)) == 0
        assert verify_chain(s).ok
    with services.core.db.write_engine.connect() as conn:  # the pooled connection got its settings back
        raw = conn.connection.dbapi_connection
        assert raw is not None
        assert raw.execute("PRAGMA foreign_keys").fetchone() == (1,)
        assert raw.execute("PRAGMA synchronous").fetchone() == (2,)
    monkeypatch.setattr(pipeline, "chunks", real)
    report = load_demo(services, customers=300, seed=3, as_of=AS_OF)  # the retry reuses the employees
    assert report.counts["customer"] == 300


def test_worker_failure_is_reported() -> None:
    params = loader.DemoParams(seed=1, customers=0, as_of=AS_OF, store_id="S001", case_prefix="S001-T01-",
                               history_share=0.1, employees=(), pins=(), plans=(), models=())
    with pytest.raises(RuntimeError, match="customers must be"):
        list(pipeline.chunks(params, parallel=True))


def test_rejects_bad_arguments(services: Services) -> None:
    with pytest.raises(loader.ValidationError):
        load_demo(services, customers=0, seed=1)
    with pytest.raises(loader.ValidationError):
        load_demo(services, customers=10, seed=1, history_share=1.5)
