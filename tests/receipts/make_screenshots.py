"""Regenerate docs/screenshots/receipt_thermal.png and receipt_letter.png from the sample receipt.

    .venv/bin/python tests/receipts/make_screenshots.py [OUT_DIR]

Not a test (no ``test_`` prefix); needs poppler's ``pdftoppm``.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from posapp.receipts.render import render_pdf  # noqa: E402
from posapp.receipts.sample import sample_receipt  # noqa: E402

DPI = {"thermal": 150, "letter": 100}


def main(out_dir: Path) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    receipt = sample_receipt()
    with tempfile.TemporaryDirectory() as tmp:
        for fmt, dpi in DPI.items():
            pdf = Path(tmp) / f"{fmt}.pdf"
            render_pdf(receipt, fmt, pdf)  # type: ignore[arg-type]
            target = out_dir / f"receipt_{fmt}"
            subprocess.run(["pdftoppm", "-r", str(dpi), "-png", "-f", "1", "-l", "1", "-singlefile", str(pdf),
                            str(target)], check=True)
            print(target.with_suffix(".png"))


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "screenshots")
