"""Report commands of ``posapp-admin``: ``report eod --date YYYY-MM-DD --out FILE(.pdf|.csv)``."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from posapp.domain.money import format_cents
from posapp.errors import ValidationError

Emit = Callable[[argparse.Namespace, Any, str], None]
Add = Callable[[Any, str, Callable[[argparse.Namespace], Any], str], argparse.ArgumentParser]
FORMATS = (".pdf", ".csv")


def cmd_report_eod(args: argparse.Namespace, *, open_services: Callable[[argparse.Namespace], Any],
                   emit: Emit) -> None:
    from posapp.reports.eod import write_csv, write_pdf
    from posapp.services.dto import SYSTEM_ACTOR

    try:
        day = date.fromisoformat(args.date)
    except ValueError:
        raise ValidationError(f"--date {args.date!r} is not a date like 2026-11-22") from None
    out = Path(args.out)
    suffix = out.suffix.lower()
    if suffix not in FORMATS:
        raise ValidationError(f"--out {out.name!r}: the file name must end in .pdf or .csv")
    if not out.parent.is_dir():
        raise ValidationError(f"--out: folder {str(out.parent)!r} does not exist")
    services = open_services(args)
    try:
        report = services.register.reports.end_of_day(SYSTEM_ACTOR, day)
    finally:
        services.close()
    (write_pdf if suffix == ".pdf" else write_csv)(report, out)
    emit(args, report, f"End-of-day report {day.isoformat()} ({report.timezone}): {report.sales_count} sales "
                       f"{format_cents(report.gross_sales_cents)}, {report.refunds_count} refunds "
                       f"{format_cents(report.refunds_cents)}, net {format_cents(report.net_cents)}.\n"
                       f"Wrote {out}")


def add_commands(sub: Any, add: Add, *, open_services: Callable[[argparse.Namespace], Any], emit: Emit) -> None:
    rp = sub.add_parser("report", help="store reports").add_subparsers(dest="action", required=True)
    e = add(rp, "eod", lambda a: cmd_report_eod(a, open_services=open_services, emit=emit),
            "end-of-day (Z) report for a store-local business date, as PDF or CSV (by the file's extension)")
    e.add_argument("--date", required=True, help="business date, YYYY-MM-DD (store-local)")
    e.add_argument("--out", required=True, help="output file ending in .pdf or .csv")
