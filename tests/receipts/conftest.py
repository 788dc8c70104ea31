from __future__ import annotations

from pathlib import Path

import pytest

from posapp.receipts.model import ReceiptData
from posapp.receipts.render import render_pdf
from posapp.receipts.sample import sample_receipt

# A Visa test number: the terminal would know it, our code only ever sees the last 4.
TEST_PAN = "4012888888881881"


@pytest.fixture(scope="session")
def receipt() -> ReceiptData:
    return sample_receipt(last4=TEST_PAN[-4:])


@pytest.fixture(scope="session")
def pdfs(tmp_path_factory: pytest.TempPathFactory, receipt: ReceiptData) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("receipts")
    paths = {fmt: out / f"{fmt}.pdf" for fmt in ("thermal", "letter")}
    for fmt, path in paths.items():
        render_pdf(receipt, fmt, path)  # type: ignore[arg-type]
    return paths
