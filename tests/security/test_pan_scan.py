"""The card-number scanner finds a planted PAN however it is stored, and ignores hex ids and non-Luhn runs."""

from __future__ import annotations

import base64
import gzip
import sqlite3
import uuid
import zipfile
import zlib
from pathlib import Path

import pytest

from tests.helpers.pan_scan import luhn_ok, masked, pans_in, scan_dir

PAN = "4000056655665556"  # a Luhn-valid Visa number that is not one of the simulator's test cards
AMEX = "371449635398431"


def test_luhn() -> None:
    assert luhn_ok(PAN) and luhn_ok(AMEX) and luhn_ok("4111111111111111") and luhn_ok("6011000990139424")
    assert not luhn_ok("4000056655665557") and not luhn_ok("1234567890123")


@pytest.mark.parametrize("text", [
    f"card={PAN};", f"x {PAN[:4]} {PAN[4:8]} {PAN[8:12]} {PAN[12:]} y", f"{PAN[:4]}-{PAN[4:8]}-{PAN[8:12]}-{PAN[12:]}",
    f"{AMEX[:4]} {AMEX[4:10]} {AMEX[10:]}", f'{{"pan": {PAN}}}', f"PAN{PAN}", f"{PAN} 5 items"])
def test_finds_a_planted_pan(text: str) -> None:
    assert len(pans_in(text.encode())) == 1


def test_ignores_hex_ids_non_luhn_runs_and_fractions() -> None:
    hexes = [uuid.uuid4().hex for _ in range(200)] + [str(uuid.uuid4()) for _ in range(200)]
    digits_in_hash = "ab" + PAN + "cd"  # a PAN's digits inside a hex token are part of that id
    all_digit_hash = "1" + PAN + "0" * 15  # 32 hex characters, all digits
    text = " ".join([*hexes, digits_in_hash, all_digit_hash, "4000056655665557", "12345678901234567890123",
                     f"0.{PAN}", "2026-11-22 21:14:05", "123456789012", "1796304042957.00000.S001-T01"])
    assert luhn_ok("1796304042957")  # the stamp's milliseconds alone would count
    assert pans_in(text.encode()) == []


def test_a_longer_run_of_groups_is_not_a_card() -> None:
    assert pans_in(f"{PAN[:4]} {PAN[4:8]} {PAN[8:12]} {PAN[12:]} 1234".encode()) == []


def test_masked_keeps_first_6_and_last_4() -> None:
    assert masked(PAN) == "400005******5556"


def test_scan_dir_finds_a_pan_in_sqlite_wal_gzip_zip_and_pdf_streams(tmp_path: Path) -> None:
    db = tmp_path / "db.sqlite3"
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("CREATE TABLE t (id TEXT, note TEXT)")
    conn.execute("INSERT INTO t VALUES (?, ?)", (uuid.uuid4().hex, f"card {PAN}"))
    conn.commit()
    assert (tmp_path / "db.sqlite3-wal").stat().st_size > 0
    (tmp_path / "log.txt.gz").write_bytes(gzip.compress(f"charged {AMEX}\n".encode()))
    with zipfile.ZipFile(tmp_path / "backup.zip", "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("inner.txt", f"{PAN}\n")
    stream = zlib.compress(f"BT ({PAN}) Tj ET".encode())
    embedded = base64.b64encode(zlib.compress(f'{{"n":"{AMEX}"}}'.encode())).decode()
    head = b"%PDF-1.4\n1 0 obj << /Length " + str(len(stream)).encode() + b" >>\nstream\n"
    (tmp_path / "r.pdf").write_bytes(head + stream + f"\nendstream\n/Keywords (posapp-receipt:v1:{embedded})".encode())
    (tmp_path / "clean.txt").write_text(f"{uuid.uuid4()} 4000056655665557\n")
    found = scan_dir(tmp_path, allowed=())
    conn.close()
    where = sorted((f.path.name, f.where) for f in found)
    assert ("db.sqlite3-wal", "raw") in where
    assert ("log.txt.gz", "gzip") in where
    assert ("backup.zip", "zip inner.txt raw") in where
    assert ("r.pdf", "pdf stream 0") in where and ("r.pdf", "embedded receipt") in where
    assert all(name != "clean.txt" for name, _ in where)
    assert all(PAN not in str(f) and AMEX not in str(f) for f in found)  # findings never carry the number
    assert scan_dir(tmp_path, allowed=(PAN, AMEX)) == []
