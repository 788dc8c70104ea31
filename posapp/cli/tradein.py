"""Trade-in commands of ``posapp-admin`` (issue 12, first slice).

``tradein quote --imei IMEI --answers JSON [--json]``: the IMEI is validated, the model and storage come from the
catalog by TAC, the block list is asked through the configured adapter (the simulator in training mode), then the
answers are graded and priced (:mod:`posapp.domain.tradein`). Prints model, storage, grade, value and reasons.

Exit 1 with the reason on stderr for an invalid IMEI, a device not in the catalog, a blocked IMEI or incomplete
answers. Exit 0 for every other quote, including one that cannot be accepted yet: a Find My quote prints $0 and
"cannot be accepted until it is off" (the customer can turn it off and be quoted again), a leased or not owned
device prints $0 and why, an unanswered block list or a device not factory reset prints the value and what must
happen first; ``acceptable`` in the JSON (and "Acceptable: no" in the text) says which. ``--answers -`` reads the
JSON from standard input.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from typing import Any

from posapp.adapters.block_list import BlockResult
from posapp.adapters.factory import build_block_list
from posapp.catalog import load_tradein_prices, load_tradein_rules, model_by_tac
from posapp.domain.identifiers import tac_of
from posapp.domain.money import format_cents
from posapp.domain.tradein import Answers, AnswersInvalid, grade, quote
from posapp.domain.validate import Invalid, validate_imei
from posapp.errors import ValidationError

Emit = Callable[[argparse.Namespace, Any, str], None]
Add = Callable[[Any, str, Callable[[argparse.Namespace], Any], str], argparse.ArgumentParser]
OpenServices = Callable[[argparse.Namespace], Any]


def _answers(text: str) -> Answers:
    raw = sys.stdin.read() if text == "-" else text
    try:
        doc = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise AnswersInvalid([f"--answers is not JSON ({exc.msg} at column {exc.colno})"]) from None
    return Answers.parse(doc)


def _block(args: argparse.Namespace, open_services: OpenServices, imei: str) -> tuple[BlockResult, str]:
    services = open_services(args)
    try:
        block_list = build_block_list(services.settings.current())
    finally:
        services.close()
    if not block_list.configured:
        return BlockResult("unknown", block_list.label), block_list.label
    return block_list.check(imei), block_list.label


def cmd_tradein_quote(args: argparse.Namespace, *, open_services: OpenServices, emit: Emit) -> int:
    checked = validate_imei(args.imei)
    if isinstance(checked, Invalid):
        raise ValidationError(f"Invalid IMEI: {checked.reason}")
    imei = checked.value
    answers = _answers(args.answers)
    block, source = _block(args, open_services, imei)  # first: a blocked device is refused whatever it is
    if block.status == "blocked":
        raise ValidationError(f"IMEI {imei} is on the block list ({block.reason}): it cannot be traded in.")
    model = model_by_tac(tac_of(imei))
    if model is None:
        raise ValidationError(f"Unknown device (TAC {tac_of(imei)}): it is not in the catalog, so it cannot be quoted.")
    grading = grade(answers, load_tradein_rules())
    q = quote(model.code, model.storage_gb, grading, load_tradein_prices(), block)
    doc = {"imei": imei, "model_code": model.code, "model": f"{model.make} {model.model}",
           "storage_gb": model.storage_gb, "grade": q.grade, "value_cents": q.value_cents, "price_cents": q.price_cents,
           "acceptable": q.acceptable, "reasons": list(q.reasons), "price_table": q.effective.isoformat(),
           "block_list": {"status": block.status, "reason": block.reason, "source": source}}
    lines = [f"Device:     {doc['model']} {model.storage_gb} GB ({model.code}), IMEI {imei}",
             f"Grade:      {q.grade}",
             f"Value:      {format_cents(q.value_cents)} (price table of {q.effective}"
             + (f"; grade {q.grade} is listed at {format_cents(q.price_cents)})"
                if q.price_cents is not None and q.price_cents != q.value_cents else ")"),
             f"Acceptable: {'yes' if q.acceptable else 'no'}",
             f"Block list: {block.status}{f' ({block.reason})' if block.reason else ''} — {source}",
             "Reasons:", *(f"  - {r}" for r in q.reasons)]
    emit(args, doc, "\n".join(lines))
    return 0


def add_commands(sub: Any, add: Add, *, open_services: OpenServices, emit: Emit) -> None:
    grp = sub.add_parser("tradein", help="trade-in quotes").add_subparsers(dest="action", required=True)
    q = add(grp, "quote", lambda a: cmd_tradein_quote(a, open_services=open_services, emit=emit),
            "grade and price a device from its IMEI and the questionnaire's answers")
    q.add_argument("--imei", required=True, help="the 15-digit IMEI (dial *#06#)")
    q.add_argument("--answers", required=True, metavar="JSON",
                   help="a JSON object of booleans: powers_on, screen_ok, liquid_damage, buttons_ports_ok, "
                        "battery_swelling, find_my_off, factory_reset, leased, owned ('-' reads standard input)")
