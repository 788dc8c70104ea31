"""Scan a data folder for secrets as raw bytes — the SQLite file, its WAL, the logs, everything — the way the
provisioning queue's secret tests do (tests/services/activation/test_queue_secrets.py), plus a DEBUG log for the
test's duration so anything logged lands in a file that is scanned."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from posapp.logs import setup_logging


def data_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file())


def flush_logs() -> None:
    logging.getLogger("posapp").info("flush marker")
    for h in logging.getLogger().handlers:
        h.flush()


def found_in(root: Path, secrets: Iterable[str]) -> list[str]:
    """``"<first 4 characters>… in <file name>"`` for each secret found in a file under ``root`` (never the whole
    secret)."""
    flush_logs()
    wanted = [s for s in set(secrets) if s]
    hits = []
    for path in data_files(root):
        data = path.read_bytes()
        hits += [f"{s[:4]}… in {path.name}" for s in wanted if s.encode() in data]
    return hits


@contextmanager
def debug_log(log_dir: Path) -> Iterator[Path]:
    path = setup_logging(log_dir, level=logging.DEBUG)
    try:
        yield path
    finally:
        for h in list(logging.getLogger().handlers):
            if getattr(h, "_posapp", False):
                logging.getLogger().removeHandler(h)
                h.close()
