"""The masked form of an eSIM activation code (GSMA SGP.22 ``LPA:1$<SM-DP+ address>$<matching id>``).

The code itself is a one-time secret that installs the customer's profile: it only ever travels in memory to
the customer window (:class:`posapp.events.EsimCodeReady`). What the rep's screen, the database and the receipt
keep is this mask: the start of the SM-DP+ address and the matching id's last group.
"""

from __future__ import annotations

HIDDEN = "••••"
SHOWN_MAX = 5  # at most this many characters of the matching id are shown


def mask_activation_code(code: str) -> str:
    """``LPA:1$smdp.example.net$1A2B3-4C5D6-7E8F9-3F815`` -> ``LPA:1$smdp…$••••-3F815``; anything that is not
    an activation code masks to ``••••``."""
    parts = code.strip().split("$")
    if len(parts) < 3 or parts[0].upper() != "LPA:1" or not parts[1] or not parts[2]:
        return HIDDEN
    fqdn, matching = parts[1], parts[2]
    head = fqdn[:4] + ("…" if len(fqdn) > 4 else "")
    last = matching.rsplit("-", 1)[-1]
    tail = last if "-" in matching and len(last) <= SHOWN_MAX else matching[-4:]
    if len(tail) * 2 > len(matching):  # a short id would be mostly shown: show none of it
        tail = ""
    return f"LPA:1${head}${HIDDEN}" + (f"-{tail}" if tail else "")
