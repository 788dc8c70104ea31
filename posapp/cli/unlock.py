"""``posapp-admin unlock check --line NUMBER [--military] [--json]``: the unlock eligibility of a line and its
device (:mod:`posapp.services.unlock`). Prints every condition with pass or fail and why, then the verdict; exit 0
eligible, 1 not eligible (and 1 with the reason for an unknown or invalid number)."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any

from posapp.services.dto import SYSTEM_ACTOR
from posapp.services.unlock import UnlockService

Emit = Callable[[argparse.Namespace, Any, str], None]
Add = Callable[[Any, str, Callable[[argparse.Namespace], Any], str], argparse.ArgumentParser]
OpenServices = Callable[[argparse.Namespace], Any]


def cmd_check(args: argparse.Namespace, *, open_services: OpenServices, emit: Emit) -> int:
    services = open_services(args)
    try:
        verdict = UnlockService(uow=services.uow).check(SYSTEM_ACTOR, args.line, military=args.military)
    finally:
        services.close()
    rows = [f"  {'PASS' if c.passed else 'FAIL'}  {c.why}" for c in verdict.conditions]
    summary = "Eligible for unlock." if verdict.eligible else (
        f"Not eligible for unlock: {len(verdict.failed)} condition{'' if len(verdict.failed) == 1 else 's'} failed.")
    data = {"line": args.line, "eligible": verdict.eligible, "military": args.military,
            "conditions": [{"name": c.name, "passed": c.passed, "why": c.why} for c in verdict.conditions]}
    emit(args, data, "\n".join([f"Unlock check for {args.line}:", *rows, summary]))
    return 0 if verdict.eligible else 1


def add_commands(sub: Any, add: Add, *, open_services: OpenServices, emit: Emit) -> None:
    un = sub.add_parser("unlock", help="device unlock eligibility").add_subparsers(dest="action", required=True)
    p = add(un, "check", lambda a: cmd_check(a, open_services=open_services, emit=emit),
            "every unlock condition of a line and its device, and the verdict (exit 0 eligible, 1 not)")
    p.add_argument("--line", required=True, help="the line's phone number (any format)")
    p.add_argument("--military", action="store_true",
                   help="deployed military exception (papers checked): waives the day-count rules only")
