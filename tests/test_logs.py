from __future__ import annotations

import logging
import re
from pathlib import Path

from posapp.logs import redact, report_exception, setup_logging


def test_redact_masks_private_data() -> None:
    text = ("card 4111 1111 1111 1111 phone +1 206 555 0142 (206) 555-0142 mail ana.lopez@example.com "
            "code LPA:1$smdp.example.com$04386-AGYFT-A74Y8-3F815 imei 490154203237518")
    out = redact(text)
    for secret in ("4111 1111", "555 0142", "555-0142", "ana.lopez", "AGYFT", "490154203237518"):
        assert secret not in out
    assert "1111" in out and "7518" in out, "last four stay for support"


def test_unexpected_error_is_logged_with_traceback_and_id(tmp_path: Path) -> None:
    path = setup_logging(tmp_path)
    try:
        try:
            raise RuntimeError("boom for ana.lopez@example.com")
        except RuntimeError as exc:
            error_id = report_exception(exc, context="test")
        for h in logging.getLogger().handlers:
            h.flush()
        content = path.read_text()
        assert error_id in content and "Traceback" in content and "RuntimeError" in content
        assert "ana.lopez" not in content
        assert re.match(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2},\d{3} ERROR ", content), "timestamp kept"
    finally:
        for h in list(logging.getLogger().handlers):
            if getattr(h, "_posapp", False):
                logging.getLogger().removeHandler(h)
                h.close()
