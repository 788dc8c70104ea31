"""The Z report's PDF says TRAINING (top, and every page's footer) while training mode is on, and keeps the store
name's Unicode in its Author metadata."""

from __future__ import annotations

import dataclasses
import subprocess
from datetime import date
from pathlib import Path

from posapp.reports.eod import TRAINING_LABEL, write_pdf
from posapp.services.registry import Services
from tests.helpers import staff
from tests.receipts.tools import pdftotext, tool


def test_the_z_report_says_training(services: Services, employees: staff.Staff, tmp_path: Path) -> None:
    report = services.register.reports.end_of_day(employees.manager, date.today())
    assert report.training  # a new install is in training mode
    training_pdf, live_pdf = tmp_path / "training.pdf", tmp_path / "live.pdf"
    write_pdf(report, training_pdf)
    write_pdf(dataclasses.replace(report, training=False), live_pdf)
    text = " ".join(pdftotext(training_pdf).split())
    assert text.startswith(TRAINING_LABEL) and text.count(TRAINING_LABEL) >= 2  # heading and footer
    assert "TRAINING" not in pdftotext(live_pdf)
    info = subprocess.run([tool("pdfinfo"), "-enc", "UTF-8", str(live_pdf)], capture_output=True, check=True,
                          timeout=60).stdout.decode("utf-8")
    assert f"Author:          {report.store_name}" in info and "—" in report.store_name
