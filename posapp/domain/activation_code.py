"""The eSIM activation code (GSMA SGP.22 §4.1): ``LPA:1$<SM-DP+ FQDN>$<Matching ID>[$<SM-DP+ OID>[$1]]``.

The ``LPA:`` prefix is optional on input and always on output (the QR code carries it). The matching ID uses
``0-9``, ``A-Z`` and ``-``; the OID is dotted digits and may be empty only when the confirmation-code flag follows
(``...$$1``). Whoever holds the code can take over the line: the errors say what is wrong, never the code, and the
parsed value's repr hides the matching ID.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

PREFIX = "LPA:"
_LABEL = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?")
_MATCHING_ID = re.compile(r"[0-9A-Z-]+")
_OID = re.compile(r"[0-9]+(?:\.[0-9]+)+|[0-9]+")
MAX_FQDN = 253
MAX_MATCHING_ID = 255


@dataclass(frozen=True)
class ActivationCode:
    smdp_address: str
    matching_id: str = field(repr=False)
    oid: str = ""
    confirmation_required: bool = False

    @property
    def text(self) -> str:
        parts = [f"{PREFIX}1", self.smdp_address, self.matching_id]
        if self.oid or self.confirmation_required:
            parts.append(self.oid)
        if self.confirmation_required:
            parts.append("1")
        return "$".join(parts)


def fqdn_problem(host: str) -> str | None:
    """Why ``host`` is not a fully qualified host name, or None."""
    if not host:
        return "the SM-DP+ address is empty"
    name = host[:-1] if host.endswith(".") else host
    if len(name) > MAX_FQDN:
        return f"the SM-DP+ address is longer than {MAX_FQDN} characters"
    labels = name.split(".")
    if len(labels) < 2:
        return "the SM-DP+ address needs a domain (like smdp.example.com)"
    if not all(label.isascii() and _LABEL.fullmatch(label) for label in labels):
        return ("the SM-DP+ address is not a valid host name (letters, digits and inner hyphens, labels of at most "
                "63 characters, separated by dots)")
    if labels[-1].isdigit():
        return "the SM-DP+ address must be a host name, not an IP address"
    return None


def parse_activation_code(text: str) -> ActivationCode | str:
    """The parsed code, or the reason it is not one (the reason never contains any part of the code)."""
    code = text.strip()
    if code[:len(PREFIX)].upper() == PREFIX:
        code = code[len(PREFIX):]
    if not code:
        return "No activation code given."
    parts = code.split("$")
    if parts[0] != "1":
        return "Not an activation code: it starts with LPA:1$ (format 1 of GSMA SGP.22)."
    if len(parts) < 3:
        return "The activation code needs an SM-DP+ address and a matching ID after LPA:1$."
    if len(parts) > 5:
        return "The activation code has too many $-separated fields (at most 5)."
    problem = fqdn_problem(parts[1])
    if problem:
        return f"The activation code is wrong: {problem}."
    matching_id = parts[2]
    if not matching_id:
        return "The activation code is wrong: the matching ID is empty."
    if len(matching_id) > MAX_MATCHING_ID or not (matching_id.isascii() and _MATCHING_ID.fullmatch(matching_id)):
        return "The activation code is wrong: the matching ID may contain only 0-9, A-Z and '-'."
    oid = parts[3] if len(parts) > 3 else ""
    flag = parts[4] if len(parts) > 4 else None
    if oid and not (oid.isascii() and _OID.fullmatch(oid)):
        return "The activation code is wrong: the SM-DP+ OID must be digits separated by dots."
    if len(parts) == 4 and not oid:
        return "The activation code is wrong: an empty SM-DP+ OID field must be followed by the $1 flag."
    if flag is not None and flag != "1":
        return "The activation code is wrong: the last field may only be 1 (confirmation code required)."
    return ActivationCode(parts[1], matching_id, oid, flag == "1")
