"""On-screen signatures (ESIGN): the consent text, when a sale needs a signature, and what a valid pad capture is.

No I/O here. The register service (``posapp.services.register.signatures``) stores a capture and the completion
of a sale (``finish_sale``) refuses a sale that :func:`signature_required` says needs one and has none.

**When is a signature required?** (``signature_required``) — only for a *sale* (not a refund: a refund is
authorised by the rep/manager who takes the items back, and it completes in one step), and only when at least
one of these holds:

1. a serialized device is sold (a line with an IMEI): the customer accepts the device's terms and return policy;
2. a payment on device financing (an extra EIP payment line): it changes the customer's agreement balance;
3. a card paid any part of it (an approved card tender, online or offline): the cardholder's authorisation,
   kept with the receipt for disputes;
4. the amount due is at least ``signature_threshold_cents`` (a setting; ``0`` turns this test off).

A cash-only accessory sale or bill payment below the threshold needs no signature.
"""

from __future__ import annotations

import io
import math
from collections.abc import Sequence
from dataclasses import dataclass

from PIL import Image, ImageDraw

from posapp.errors import ValidationError

# Shown on the customer window before the pad, and stored with each signature. Changing this text is a new
# consent: a capture must carry exactly the current text (so the stored record says what the customer saw).
CONSENT_TEXT = (
    "By signing below you agree to sign this transaction electronically and to receive this receipt "
    "electronically. This consent covers this transaction only: the receipt, its terms and the return policy "
    "printed on it. A paper copy of the receipt is available from the store at no charge, now or later. You may "
    "withdraw your consent at any time before you sign by telling the store associate (you will then sign on "
    "paper instead); withdrawing later does not affect what was already signed, and you may still ask for paper."
)

MAX_STROKES = 200
MAX_POINTS = 20_000
MAX_PNG_BYTES = 512 * 1024
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"

Point = tuple[float, float, int]  # x, y normalised to 0..1 of the pad (y grows downwards), t in ms


@dataclass(frozen=True)
class SignatureFacts:
    """What :func:`signature_required` looks at, read from a sale (kept tiny so the rule is easy to test)."""

    is_refund: bool
    has_device: bool
    has_eip_payment: bool
    has_card_tender: bool
    due_cents: int


def signature_required(facts: SignatureFacts, threshold_cents: int) -> bool:
    """Whether a sale with these facts needs the customer's signature before it can complete (rule above)."""
    if facts.is_refund:
        return False
    if facts.has_device or facts.has_eip_payment or facts.has_card_tender:
        return True
    return threshold_cents > 0 and facts.due_cents >= threshold_cents


def signature_reasons(facts: SignatureFacts, threshold_cents: int) -> tuple[str, ...]:
    """The rule's reasons in words (for the UI/messages); empty when no signature is needed."""
    if facts.is_refund:
        return ()
    out: list[str] = []
    if facts.has_device:
        out.append("a device is sold")
    if facts.has_eip_payment:
        out.append("a device financing payment is made")
    if facts.has_card_tender:
        out.append("a card paid")
    if threshold_cents > 0 and facts.due_cents >= threshold_cents:
        out.append(f"the total is at least {threshold_cents / 100:.2f}")
    return tuple(out)


def validate_strokes(strokes: Sequence[Sequence[Sequence[float]]]) -> tuple[tuple[Point, ...], ...]:
    """Check a pad capture and return it as tuples: at least one stroke of at least 2 points, every x and y a
    finite number in 0..1, t whole milliseconds, never negative and never going back in time (across strokes too).
    Strokes with fewer than 2 points are refused (a dot is not a signature)."""
    if not strokes:
        raise ValidationError("The signature is empty: the customer has to sign on the pad.")
    if len(strokes) > MAX_STROKES:
        raise ValidationError(f"A signature has at most {MAX_STROKES} strokes.")
    out: list[tuple[Point, ...]] = []
    last_t = 0
    total = 0
    for i, stroke in enumerate(strokes, start=1):
        if len(stroke) < 2:
            raise ValidationError(f"Stroke {i} has fewer than 2 points.")
        total += len(stroke)
        if total > MAX_POINTS:
            raise ValidationError(f"A signature has at most {MAX_POINTS} points.")
        points: list[Point] = []
        for p in stroke:
            if len(p) != 3:
                raise ValidationError("Each signature point is (x, y, t).")
            x, y, t = p
            if isinstance(x, bool) or isinstance(y, bool) or not isinstance(x, int | float) \
                    or not isinstance(y, int | float):
                raise ValidationError("Signature coordinates are numbers.")
            if not (math.isfinite(x) and math.isfinite(y) and 0.0 <= x <= 1.0 and 0.0 <= y <= 1.0):
                raise ValidationError("Signature coordinates must lie within the pad (0 to 1).")
            if isinstance(t, bool) or not isinstance(t, int | float) or not math.isfinite(t) or t != int(t):
                raise ValidationError("Signature times are whole milliseconds.")
            ti = int(t)
            if ti < last_t:
                raise ValidationError("Signature times must not go backwards.")
            last_t = ti
            points.append((float(x), float(y), ti))
        out.append(tuple(points))
    return tuple(out)


def render_png(strokes: Sequence[Sequence[Point]], *, width: int = 600, height: int = 200) -> bytes:
    """The strokes drawn black on white (a PNG, for the record next to the vectors)."""
    img = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(img)
    for stroke in strokes:
        pts = [(x * (width - 1), y * (height - 1)) for x, y, _t in stroke]
        draw.line(pts, fill=0, width=3, joint="curve")
    buf = io.BytesIO()
    img.save(buf, format="PNG", optimize=True)
    return buf.getvalue()


def check_png(data: bytes) -> bytes:
    """A rendered image given by the pad: must be a PNG of reasonable size."""
    if not data.startswith(PNG_MAGIC):
        raise ValidationError("The signature image must be a PNG.")
    if len(data) > MAX_PNG_BYTES:
        raise ValidationError("The signature image is too large.")
    return data
