"""Receipt commands of ``posapp-admin``: ``receipt render`` and ``receipt verify`` (issue 4)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import Any

from posapp.errors import ValidationError
from posapp.receipts.render import FORMATS

Emit = Callable[[argparse.Namespace, Any, str], None]
Add = Callable[[Any, str, Callable[[argparse.Namespace], Any], str], argparse.ArgumentParser]


def cmd_receipt_render(args: argparse.Namespace, *, open_services: Callable[[argparse.Namespace], Any],
                       emit: Emit) -> int:
    services = open_services(args)
    try:
        out = services.receipts.render(args.receipt_no, args.format, args.out)
    finally:
        services.close()
    emit(args, {"receipt_no": args.receipt_no.strip(), "path": str(out)},
         f"Receipt {args.receipt_no.strip()} written to {out}")
    return 0


def cmd_receipt_verify(args: argparse.Namespace, *, open_services: Callable[[argparse.Namespace], Any],
                       emit: Emit) -> int:
    if args.receipt_no is None and args.pdf is None:
        raise ValidationError("Give a receipt number or --pdf FILE.pdf.")
    services = open_services(args)
    try:
        result = services.receipts.verify(args.receipt_no, args.pdf)
    finally:
        services.close()
    doc = {"ok": result.ok, "receipt_no": result.receipt_number, "sha256": result.sha256,
           "problems": list(result.problems)}
    if result.ok:
        emit(args, doc, f"Receipt {result.receipt_number} is genuine (sha256 {result.sha256}).")
        return 0
    reason = " ".join(" ".join(result.problems).split()) or "not verifiable"
    emit(args, doc, f"Receipt {result.receipt_number or '?'} is NOT genuine: {reason}")
    first = " ".join(result.problems[0].split()) if result.problems else reason
    print(f"posapp-admin: receipt not genuine: {first}", file=sys.stderr)
    return 1


def add_commands(sub: Any, add: Add, *, open_services: Callable[[argparse.Namespace], Any], emit: Emit) -> None:
    rc = sub.add_parser("receipt", help="receipts of completed sales").add_subparsers(dest="action", required=True)
    r = add(rc, "render", lambda a: cmd_receipt_render(a, open_services=open_services, emit=emit),
            "render a completed sale's receipt to PDF (a reprint: same content, same hash)")
    r.add_argument("receipt_no", metavar="RECEIPT_NO")
    r.add_argument("--out", required=True, metavar="FILE.pdf")
    r.add_argument("--format", choices=FORMATS, default=None, help="default: the receipt_format setting")
    v = add(rc, "verify", lambda a: cmd_receipt_verify(a, open_services=open_services, emit=emit),
            "check a receipt PDF against the store's record (exit 1 if altered or unknown)")
    v.add_argument("receipt_no", metavar="RECEIPT_NO", nargs="?")
    v.add_argument("--pdf", metavar="FILE.pdf")
