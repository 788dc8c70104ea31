"""``posapp-admin validate KIND VALUE``: check an identifier (issue 11, DOMAIN.md "Identifiers").

Exit 0 printing the normalised value (E.164 for a number, the 14-hex form for a MEID, ``LPA:``-prefixed for an
activation code, a mask for a PIN), 1 with the reason on stderr, 2 for a usage error. ``VALUE`` ``-`` reads one
line from standard input (keeps a PIN or an activation code out of the shell history). Nothing is logged.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from datetime import date
from typing import Any

from posapp.domain.validate import KINDS, Invalid, Result, validate, validate_pin

Emit = Callable[[argparse.Namespace, Any, str], None]
Add = Callable[[Any, str, Callable[[argparse.Namespace], Any], str], argparse.ArgumentParser]
_PIN_FACTS = ("account_number", "numbers", "dob", "ssn_last4", "previous")


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError("give the date of birth as YYYY-MM-DD") from None


def _numbers(values: list[str] | None) -> tuple[str, ...]:
    return tuple(n.strip() for item in values or () for n in item.split(",") if n.strip())


def _check(args: argparse.Namespace, value: str) -> Result:
    if args.kind != "pin":
        return validate(args.kind, value)
    return validate_pin(value, account_number=args.account_number or "", numbers=_numbers(args.numbers),
                        dob=args.dob, ssn_last4=args.ssn_last4 or "", previous=args.previous)


def cmd_validate(args: argparse.Namespace, *, emit: Emit) -> int:
    given = [f"--{name.replace('_', '-')}" for name in _PIN_FACTS if getattr(args, name) is not None]
    if given and args.kind != "pin":
        print(f"posapp-admin: {', '.join(given)} only go with 'validate pin'", file=sys.stderr)
        return 2
    value = sys.stdin.readline().rstrip("\r\n") if args.value == "-" else args.value
    result = _check(args, value)
    if isinstance(result, Invalid):
        doc: dict[str, Any] = {"kind": result.kind, "valid": False, "reason": result.reason}
        if result.suggestion:
            doc["suggestion"] = result.suggestion
        if args.json:
            emit(args, doc, "")
        print(f"posapp-admin: {' '.join(result.reason.split())}", file=sys.stderr)
        return 1
    doc = {"kind": result.kind, "valid": True, "value": result.value}
    if result.note:
        doc["note"] = result.note
    emit(args, doc, result.value)
    return 0


def add_commands(sub: Any, add: Add, *, emit: Emit) -> None:
    v = add(sub, "validate", lambda a: cmd_validate(a, emit=emit),
            "check an IMEI, IMEISV, MEID, ICCID, EID, eSIM activation code, phone number or account PIN")
    v.add_argument("kind", choices=KINDS, metavar="KIND", help="one of: " + ", ".join(KINDS))
    v.add_argument("value", metavar="VALUE", help="the value ('-' reads one line from standard input)")
    pin = v.add_argument_group("account PIN facts (validate pin only; compared in memory, never stored)")
    pin.add_argument("--account-number")
    pin.add_argument("--numbers", action="append", metavar="N[,N...]", help="the phone numbers on the account")
    pin.add_argument("--dob", type=_date, metavar="YYYY-MM-DD", help="date of birth")
    pin.add_argument("--ssn-last4", metavar="NNNN")
    pin.add_argument("--previous", metavar="PIN", help="the previous PIN")
