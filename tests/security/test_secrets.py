"""Secrets live in the OS keyring, on a real Secret Service (gnome-keyring under dbus-run-session).

Run through `make test` / scripts/with-keyring.sh; without a Secret Service these tests skip, and under CI
(CI=true) they fail instead, so CI always exercises the real keyring.
"""

from __future__ import annotations

import importlib.metadata
import re
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from posapp.db.migrate import backup_database
from posapp.errors import AuthenticationError
from posapp.logs import report_exception, setup_logging
from posapp.paths import DataPaths
from posapp.security import secrets
from posapp.services.dto import SYSTEM_ACTOR
from posapp.services.registry import Services
from tests.helpers import staff
from tests.helpers.fixtures import SecretScope
from tests.helpers.pan_scan import Finding, decoded_views, scan_dir

pytestmark = pytest.mark.keyring

DRIVER_PAN = "5105105105105100"  # a Luhn-valid Mastercard number, not one of the simulator's cards


def test_keyring_uses_the_secret_service_backend(secret_service: SecretScope) -> None:
    import keyring
    from keyring.backends import SecretService

    backend = keyring.get_keyring()
    assert isinstance(backend, SecretService.Keyring), backend
    assert not type(backend).__module__.startswith("keyrings.alt")
    assert type(backend).__module__.split(".")[-1] not in ("fail", "null")


def test_set_get_delete_round_trip(secret_service: SecretScope) -> None:
    store, terminal = secret_service.store_id, secret_service.terminal_id
    assert secrets.get_secret(store, terminal, "central-password") is None
    secrets.set_secret(store, terminal, "central-password", "s3cr3t-ünïcode")
    assert secrets.get_secret(store, terminal, "central-password") == "s3cr3t-ünïcode"
    secrets.set_secret(store, terminal, "central-password", "rotated")
    assert secrets.get_secret(store, terminal, "central-password") == "rotated"
    secrets.delete_secret(store, terminal, "central-password")
    assert secrets.get_secret(store, terminal, "central-password") is None
    secrets.delete_secret(store, terminal, "central-password")  # deleting what is gone is not an error


def test_secrets_are_kept_apart_per_store_and_terminal(secret_service: SecretScope) -> None:
    store = secret_service.store_id
    secrets.set_secret(store, secret_service.terminal_id, "central-password", "one")
    assert secrets.get_secret(store, "99", "central-password") is None


def _serials(database: Path) -> set[str]:
    """The IMEIs and ICCIDs the session stocked and sold: Luhn-valid by design, so the PAN scan allows them."""
    with closing(sqlite3.connect(f"file:{database}?mode=ro", uri=True)) as conn:
        rows = conn.execute("SELECT imei FROM inventory_device UNION SELECT imei FROM sale_line "
                            "UNION SELECT imei FROM device UNION SELECT iccid FROM line").fetchall()
    return {r[0] for r in rows if r[0] and (len(r[0]) == 15 or r[0].startswith("89"))}


def _receipt_numbers(database: Path) -> tuple[list[str], list[str]]:
    with closing(sqlite3.connect(f"file:{database}?mode=ro", uri=True)) as conn:
        rows = conn.execute("SELECT receipt_no, original_sale_id IS NOT NULL FROM sale "
                            "WHERE receipt_no IS NOT NULL ORDER BY receipt_no").fetchall()
    return [r[0] for r in rows if not r[1]], [r[0] for r in rows if r[1]]


def _signed_in_session_with_logs(paths: DataPaths) -> list[Finding]:
    """Sign-ins (and a refused one) logged like the app logs them, plus an error whose text carries a card
    number the way a careless device driver might put it: the log filter must mask it. Returns a PAN scan of
    the data directory taken while the database is open, so its WAL is scanned too."""
    import logging

    setup_logging(paths.logs)
    services = Services.open(paths)
    try:
        for m in staff.ALL:
            services.employees.add(SYSTEM_ACTOR, number=m.number, name=m.name, role=m.role, pin=m.pin)
            services.auth.sign_in(m.number, m.pin)
        with pytest.raises(AuthenticationError):
            services.auth.sign_in(staff.REP.number, "0000")
        report_exception(RuntimeError(f"terminal said: card {DRIVER_PAN} declined"), context="card tender")
        wal = paths.database.with_name(paths.database.name + "-wal")
        assert wal.is_file() and wal.stat().st_size > 0
        return scan_dir(paths.root, allowed=_serials(paths.database))
    finally:
        services.close()
        for h in [h for h in logging.getLogger().handlers if getattr(h, "_posapp", False)]:
            logging.getLogger().removeHandler(h)
            h.close()


def _cli(*argv: str) -> None:
    from posapp.cli import main

    assert main(list(argv)) == 0, argv


def test_the_terminal_key_init_keeps_and_no_card_number_reach_any_file(secret_service: SecretScope,
                                                                        tmp_path: Path,
                                                                        capsys: pytest.CaptureFixture[str]) -> None:
    """`posapp-admin init` creates the terminal's key in the keyring for the app's own store and terminal; after a
    realistic session (card sales incl. declines and timeouts, refunds, receipts of both, a backup, logs) neither
    that key nor anything that looks like a card number is in any file of the data directory."""
    paths = DataPaths.resolve(tmp_path / "data")
    store, terminal = secret_service.store_id.upper(), secret_service.terminal_id  # settings want capitals
    d = ("--data-dir", str(paths.root))
    try:
        _cli("config", "set", f"store_id={store}", f"terminal_id={terminal}", *d)
        assert secrets.get_secret(store, terminal, "terminal-key") is None
        _cli("init", *d)
        key = secrets.get_secret(store, terminal, "terminal-key")
        assert key is not None and len(key) >= 32 and re.fullmatch(r"[A-Za-z0-9_-]+", key)
        _cli("init", *d)
        assert secrets.get_secret(store, terminal, "terminal-key") == key  # created once, then kept

        _cli("simulate", "sales", "--count", "40", "--seed", "7", *d)
        sales, refunds = _receipt_numbers(paths.database)
        assert len(sales) >= 20 and refunds, (sales, refunds)
        for i, no in enumerate([*sales[:4], *refunds[:2]]):
            _cli("receipt", "render", no, "--out", str(paths.receipts / f"{no}.pdf"),
                 "--format", ("thermal", "letter")[i % 2], *d)
        assert "Simulated" in capsys.readouterr().out
        findings_while_open = _signed_in_session_with_logs(paths)
        backup = backup_database(paths.database, paths.backups, "manual")
    finally:
        secrets.delete_secret(store, terminal, "terminal-key")

    files = [p for p in paths.root.rglob("*") if p.is_file()]
    names = {p.name for p in files}
    assert {paths.database.name, backup.name, "posapp.log"} <= names, names
    assert len([p for p in files if p.suffix == ".pdf"]) == 6
    needle = key.encode()
    leaked = [(p, where) for p in files for where, view in decoded_views(p.name, p.read_bytes()) if needle in view]
    assert leaked == [], f"the terminal key was written to {leaked}"
    serials = _serials(paths.database)
    assert serials  # the session sold devices: the allowance is not empty by accident
    findings = findings_while_open + scan_dir(paths.root, allowed=serials)
    assert findings == [], "card-number-like digits in the data directory:\n" + "\n".join(map(str, findings))


def test_keyrings_alt_is_not_a_runtime_dependency() -> None:
    requirements = importlib.metadata.requires("posapp") or []
    runtime = [r for r in requirements if "extra ==" not in r]
    names = {re.split(r"[\s\[<>=!~;]", r, maxsplit=1)[0].lower().replace("_", "-") for r in runtime}
    assert "keyring" in names
    assert "keyrings-alt" not in names and "keyrings.alt" not in names, runtime
