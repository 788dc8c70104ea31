"""``posapp-admin plan-change apply-due [--date YYYY-MM-DD]``: apply the plan changes scheduled "at the next cycle"
whose day has come (this terminal's; the app also does it when it opens). Prints how many; exit 0, or 1 on a bad
date."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from datetime import date
from typing import Any

from posapp.errors import ValidationError
from posapp.services.dto import SYSTEM_ACTOR

Emit = Callable[[argparse.Namespace, Any, str], None]
Add = Callable[[Any, str, Callable[[argparse.Namespace], Any], str], argparse.ArgumentParser]
OpenServices = Callable[[argparse.Namespace], Any]


def cmd_apply_due(args: argparse.Namespace, *, open_services: OpenServices, emit: Emit) -> int:
    try:
        day = date.fromisoformat(args.date) if args.date else None
    except ValueError:
        raise ValidationError(f"--date {args.date!r} is not a date (YYYY-MM-DD).") from None
    services = open_services(args)
    try:
        applied = services.plan_changes.apply_due(SYSTEM_ACTOR, day)
    finally:
        services.close()
    emit(args, {"applied": applied},
         f"Applied {applied} scheduled plan change{'' if applied == 1 else 's'}." if applied
         else "No scheduled plan change is due.")
    return 0


def add_commands(sub: Any, add: Add, *, open_services: OpenServices, emit: Emit) -> None:
    pc = sub.add_parser("plan-change", help="plan changes scheduled for the next cycle").add_subparsers(
        dest="action", required=True)
    p = add(pc, "apply-due", lambda a: cmd_apply_due(a, open_services=open_services, emit=emit),
            "apply the scheduled plan changes whose day has come")
    p.add_argument("--date", help="as if today were this day (YYYY-MM-DD; default: the store's today)")
