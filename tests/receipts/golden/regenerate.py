"""Write the golden receipts: ``python -m tests.receipts.golden.regenerate --write [--only NAME]``.

Run it only deliberately, for a NEW case: the committed files stand for receipts printed by an earlier release,
and overwriting them would hide exactly the change the golden tests exist to catch. Without ``--write`` it only
prints each case's SHA-256 (for the literal in ``tests/receipts/test_canonical.py``). The tests never call this.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from posapp.receipts.canonical import canonical_json, canonical_sha256
from posapp.receipts.render import render_pdf
from tests.receipts.golden.cases import CASES, FORMATS

HERE = Path(__file__).resolve().parent


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--write", action="store_true", help="(over)write the golden files")
    parser.add_argument("--only", action="append", choices=sorted(CASES), help="just this case (repeatable)")
    args = parser.parse_args(argv)
    for name in args.only or sorted(CASES):
        receipt = CASES[name]()
        print(f"{name}: {canonical_sha256(receipt)}")
        if args.write:
            (HERE / f"{name}.json").write_bytes(canonical_json(receipt))
            for fmt in FORMATS:
                render_pdf(receipt, fmt, HERE / f"{name}-{fmt}.pdf")  # type: ignore[arg-type]
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
