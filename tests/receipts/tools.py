"""Poppler and zbar for the receipt tests: skipped on a developer machine without them, failing under CI."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from tests.helpers.env import skip_or_fail


def tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        skip_or_fail(f"{name} is not installed (apt-get install poppler-utils zbar-tools)")
    return path


def pdftotext(pdf: Path) -> str:
    done = subprocess.run([tool("pdftotext"), "-layout", str(pdf), "-"], capture_output=True, check=True,
                          timeout=60)
    return done.stdout.decode("utf-8")


def page_png(pdf: Path, out_prefix: Path, dpi: int = 300, page: int = 1) -> Path:
    subprocess.run([tool("pdftoppm"), "-r", str(dpi), "-png", "-f", str(page), "-l", str(page), "-singlefile",
                    str(pdf), str(out_prefix)], check=True, capture_output=True, timeout=60)
    return out_prefix.with_suffix(".png")



def zbar_symbols(png: Path) -> list[str]:
    """``TYPE:data`` lines, e.g. ``CODE-128:R1`` and ``QR-Code:POSAPP-RCPT:...``."""
    done = subprocess.run([tool("zbarimg"), "--quiet", str(png)], capture_output=True, timeout=60, check=False)
    if done.returncode not in (0, 4):
        raise AssertionError(f"zbarimg failed: {done.stderr.decode(errors='replace')}")
    return [line for line in done.stdout.decode("utf-8", errors="replace").splitlines() if line]
