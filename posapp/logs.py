"""Rotating log files in the data directory, with a filter that masks anything that looks private.

Code never passes PINs, card numbers or activation codes to logging; the filter is the second line of defence:
it masks e-mail addresses, phone numbers, long digit runs (card numbers, IMEIs, ICCIDs) and eSIM activation codes
in every record, including exception text.
"""

from __future__ import annotations

import logging
import logging.handlers
import re
import traceback
import uuid
from collections.abc import Callable
from pathlib import Path

LOG_FILE = "posapp.log"

def _last_four(m: re.Match[str]) -> str:
    return "*" * 4 + re.sub(r"\D", "", m.group())[-4:]


_PATTERNS: tuple[tuple[re.Pattern[str], str | Callable[[re.Match[str]], str]], ...] = (
    (re.compile(r"LPA:1\$[^\s'\"]+", re.IGNORECASE), "LPA:1$***"),
    (re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+"), "***@***"),
    (re.compile(r"\+\d[\d ().-]{7,}\d"), "+***"),
    (re.compile(r"\(?\d{3}\)?[ .-]\d{3}[ .-]\d{4}"), "***-***-****"),
    (re.compile(r"\d[\d -]{10,}\d"), _last_four),
)


def redact(text: str) -> str:
    for pattern, repl in _PATTERNS:
        text = pattern.sub(repl, text)
    return text


class RedactingFormatter(logging.Formatter):
    """Redacts the message and the exception text only, so timestamps and logger names stay readable."""

    def format(self, record: logging.LogRecord) -> str:
        record = logging.makeLogRecord(record.__dict__)
        record.msg = redact(record.getMessage())
        record.args = None
        if record.exc_info:
            record.exc_text = redact(self.formatException(record.exc_info))
            record.exc_info = None
        elif record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return super().format(record)


def setup_logging(log_dir: Path, *, level: int = logging.INFO, max_bytes: int = 2_000_000,
                  backups: int = 5) -> Path:
    log_dir.mkdir(parents=True, exist_ok=True)
    path = log_dir / LOG_FILE
    root = logging.getLogger()
    for h in list(root.handlers):
        if getattr(h, "_posapp", False):
            root.removeHandler(h)
            h.close()
    handler = logging.handlers.RotatingFileHandler(path, maxBytes=max_bytes, backupCount=backups,
                                                   encoding="utf-8", delay=True)
    handler.setFormatter(RedactingFormatter("%(asctime)s %(levelname)s %(name)s [%(threadName)s] %(message)s"))
    handler._posapp = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    root.setLevel(level)
    logging.getLogger("alembic").setLevel(max(level, logging.WARNING))  # its INFO lines say nothing to a store
    return path


def report_exception(exc: BaseException, *, context: str = "") -> str:
    """Log an unexpected error with its traceback; return the short error id shown to the user."""
    error_id = uuid.uuid4().hex[:8].upper()
    tb = "".join(traceback.format_exception(exc))
    logging.getLogger("posapp.errors").error("error id %s%s\n%s", error_id, f" ({context})" if context else "", tb)
    return error_id
