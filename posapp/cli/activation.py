"""Activation commands of ``posapp-admin`` (issue 11): the carrier's outbound queue by hand.

* ``activation send [--once] [--timeout S] [--retry-dead]`` — send the due provisioning requests and record the
  carrier's answers. With ``--once`` one pass; without, passes until nothing is due and no sent request waits
  for an answer (or ``--timeout`` seconds: exit 1 naming how many still wait). Offline, requests stay queued
  (pending, retried with backoff) and the command says so; ``--retry-dead`` first gives requests that were given
  up after the retry limit a new round. Exit 1 when no carrier provisioning is configured.
* ``activation list [--status S] [--json]`` — each activation line: activation number, line, status, masked
  number, plan and reason. No secrets.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from dataclasses import asdict
from typing import Any

from posapp.adapters.unconfigured import NotConfiguredDevice
from posapp.domain.activation import LineActivationStatus
from posapp.errors import ValidationError

Emit = Callable[[argparse.Namespace, Any, str], None]
Add = Callable[[Any, str, Callable[[argparse.Namespace], Any], str], argparse.ArgumentParser]
OpenServices = Callable[[argparse.Namespace], Any]

_TOTALS = ("sent", "duplicates", "retried", "dead", "answered")


def _summary(totals: dict[str, Any]) -> str:
    text = (f"Sent {totals['sent']} ({totals['duplicates']} already with the carrier), {totals['retried']} to retry "
            f"later, {totals['dead']} given up; {totals['answered']} answers recorded. Queued: {totals['queued']}, "
            f"awaiting the carrier's answer: {totals['awaiting']}.")
    if totals["offline"]:
        text += " The carrier could not be reached: those requests stay pending and are retried with backoff."
    return text


def cmd_activation_send(args: argparse.Namespace, *, open_services: OpenServices, emit: Emit) -> int:
    if args.timeout <= 0 or args.interval < 0:
        raise ValidationError("--timeout must be positive and --interval not negative.")
    services = open_services(args)
    try:
        queue = services.provisioning
        if not services.carrier.configured:
            reason = services.carrier.reason if isinstance(services.carrier, NotConfiguredDevice) else ""
            raise ValidationError(f"{services.carrier.label}{f' ({reason})' if reason else ''}: requests stay "
                                  "queued; an admin sets provisioning.")
        requeued = queue.requeue_dead() if args.retry_dead else 0
        totals: dict[str, Any] = dict.fromkeys(_TOTALS, 0)
        deadline = time.monotonic() + args.timeout
        while True:
            report = asdict(queue.run_once())
            for key in _TOTALS:
                totals[key] += report[key]
            totals.update(queued=report["queued"], awaiting=report["awaiting"], offline=report["offline"])
            if args.once or (report["awaiting"] == 0 and not queue.due(1).send):
                break
            if time.monotonic() >= deadline:
                totals["timed_out"] = True
                break
            time.sleep(args.interval)
    finally:
        services.close()
    totals["requeued"] = requeued
    timed_out = bool(totals.pop("timed_out", False))
    totals["timed_out"] = timed_out
    text = (f"Queued again {requeued} given-up requests. " if requeued else "") + _summary(totals)
    if timed_out:
        text += f" Stopped after {args.timeout:g} s with {totals['awaiting']} still waiting for an answer."
    emit(args, totals, text)
    return 1 if timed_out else 0


def cmd_activation_list(args: argparse.Namespace, *, open_services: OpenServices, emit: Emit) -> int:
    status = LineActivationStatus(args.status) if args.status else None
    services = open_services(args)
    try:
        rows = services.provisioning.lines(status)
    finally:
        services.close()
    if not rows:
        text = "No activation lines" + (f" with status {status.value}." if status else ".")
    else:
        text = "\n".join(f"{r.activation:<18} {r.line_no:>2}  {r.status:<15} {r.number:<14} {r.plan or '—':<10} "
                         f"{r.reason or ''}".rstrip() for r in rows)
    emit(args, [asdict(r) for r in rows], text)
    return 0


def add_commands(sub: Any, add: Add, *, open_services: OpenServices, emit: Emit) -> None:
    act = sub.add_parser("activation", help="the carrier's provisioning queue").add_subparsers(dest="action",
                                                                                               required=True)
    s = add(act, "send", lambda a: cmd_activation_send(a, open_services=open_services, emit=emit),
            "send the due provisioning requests and record the carrier's answers")
    s.add_argument("--once", action="store_true", help="one pass only")
    s.add_argument("--timeout", type=float, default=120.0, help="seconds to wait for answers (default 120)")
    s.add_argument("--interval", type=float, default=1.0, help="seconds between passes (default 1)")
    s.add_argument("--retry-dead", action="store_true", help="first queue again the requests given up on")
    lst = add(act, "list", lambda a: cmd_activation_list(a, open_services=open_services, emit=emit),
              "list activation lines and their status with the carrier")
    lst.add_argument("--status", choices=[s.value for s in LineActivationStatus])
