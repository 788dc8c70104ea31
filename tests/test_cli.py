"""posapp-admin: commands, --json, and exit codes 0 / 1 (one-line reason) / 2 (usage)."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from posapp.cli import main


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_init_creates_then_reports_up_to_date(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "init", "--data-dir", str(tmp_path))
    assert code == 0 and "Created" in out
    code, out, _ = run(capsys, "--json", "init", "--data-dir", str(tmp_path))
    doc = json.loads(out)
    assert code == 0 and doc["created"] is False and doc["store_id"] == "S001"


def test_employee_add_list_reset(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                 monkeypatch: pytest.MonkeyPatch) -> None:
    d = str(tmp_path)
    monkeypatch.setattr(sys, "stdin", io.StringIO("2580\n"))
    code, out, _ = run(capsys, "employee", "add", "1001", "--name", "Ana Rep", "--role", "rep", "--pin-stdin",
                       "--data-dir", d)
    assert code == 0 and "Ana Rep" in out
    code, out, _ = run(capsys, "employee", "list", "--json", "--data-dir", d)
    rows = json.loads(out)
    assert code == 0 and [r["number"] for r in rows] == ["1001"] and "pin" not in json.dumps(rows).lower()
    monkeypatch.setattr(sys, "stdin", io.StringIO("1111\n"))
    code, _, err = run(capsys, "employee", "reset-pin", "1001", "--pin-stdin", "--data-dir", d)
    assert code == 1 and err.count("\n") == 1 and "repeat" in err
    code, _, err = run(capsys, "employee", "reset-pin", "7777", "--pin", "2468", "--data-dir", d)
    assert code == 1 and "No employee" in err


def test_employee_add_rejects_bad_input_with_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "employee", "add", "12", "--name", "Ana", "--role", "rep", "--pin", "2580",
                       "--data-dir", str(tmp_path))
    assert code == 1 and err.startswith("posapp-admin: ") and err.count("\n") == 1


def test_config_set_is_all_or_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    d = str(tmp_path)
    code, _, err = run(capsys, "config", "set", "idle_lock_minutes=9", "receipt_format=a4", "--data-dir", d)
    assert code == 1 and "receipt_format" in err
    code, out, _ = run(capsys, "config", "get", "idle_lock_minutes", "--data-dir", d)
    assert out.strip() == "5", "the valid half was not written"
    code, out, _ = run(capsys, "config", "set", "idle_lock_minutes=9", "receipt_format=letter", "--data-dir", d)
    assert code == 0
    code, out, _ = run(capsys, "config", "get", "--json", "--data-dir", d)
    doc = json.loads(out)
    assert (doc["idle_lock_minutes"], doc["receipt_format"]) == (9, "letter")
    code, _, err = run(capsys, "config", "get", "colour", "--data-dir", d)
    assert code == 1 and "unknown setting" in err


def test_data_dir_from_environment(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("POSAPP_DATA_DIR", str(tmp_path / "env"))
    assert run(capsys, "init")[0] == 0
    assert (tmp_path / "env" / "posapp.sqlite3").exists()


def test_bad_database_is_exit_1_and_named(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "posapp.sqlite3").write_bytes(b"garbage" * 1000)
    code, _, err = run(capsys, "init", "--data-dir", str(tmp_path))
    assert code == 1 and "posapp.sqlite3" in err and err.count("\n") == 1


def test_usage_errors_exit_2_and_version(tmp_path: Path) -> None:
    exe = [sys.executable, "-m", "posapp.cli"]
    bad = subprocess.run([*exe, "frobnicate"], capture_output=True, text=True, check=False)
    assert bad.returncode == 2 and "invalid choice" in bad.stderr
    missing = subprocess.run([*exe, "employee", "add", "1001"], capture_output=True, text=True, check=False)
    assert missing.returncode == 2
    version = subprocess.run([*exe, "--version"], capture_output=True, text=True, check=False)
    assert version.returncode == 0 and version.stdout.startswith("posapp ")


def test_init_keeps_the_terminal_key_in_the_keyring_not_in_files(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], secret_service: object) -> None:
    from posapp.security.secrets import get_secret

    code, out, _ = run(capsys, "--json", "init", "--data-dir", str(tmp_path))
    assert code == 0 and json.loads(out)["terminal_key"] == "in the OS keyring"
    key = get_secret("S001", "T01", "terminal-key")
    assert key and len(key) >= 32
    for f in tmp_path.rglob("*"):
        if f.is_file():
            assert key.encode() not in f.read_bytes(), f
