"""A simulated customer signing on the pad, for ``simulate sales``, the benchmarks and demos (not for tests of the
pad itself): a few wavy strokes with increasing times, through the real SignatureService."""

from __future__ import annotations

import math
import random
import uuid
from datetime import UTC, datetime

from posapp.services.dto import Actor
from posapp.services.registry import Services


def scribble(rng: random.Random) -> list[list[tuple[float, float, int]]]:
    """2-3 strokes across the pad, x/y normalised 0..1 (y down), t in ms."""
    strokes: list[list[tuple[float, float, int]]] = []
    t = 0
    x0 = 0.05 + rng.random() * 0.1
    for _ in range(rng.randint(2, 3)):
        points: list[tuple[float, float, int]] = []
        phase = rng.random() * math.pi
        for i in range(12):
            x = min(0.95, x0 + i * 0.025)
            y = 0.5 + 0.3 * math.sin(phase + i * 0.9) * (0.6 + 0.4 * rng.random())
            points.append((round(x, 4), round(min(0.95, max(0.05, y)), 4), t))
            t += rng.randint(8, 20)
        strokes.append(points)
        x0 = min(0.6, x0 + 0.3)
        t += rng.randint(100, 300)
    return strokes


def sign_if_required(services: Services, actor: Actor, sale_id: uuid.UUID, rng: random.Random) -> bool:
    """The customer consents and signs when the sale needs it; returns whether they signed."""
    sig = services.register.signatures
    if not sig.required(sale_id):
        return False
    sig.capture(actor, sale_id, strokes=scribble(rng), consent_text=sig.consent_text(),
                consented_at=datetime.now(UTC))
    return True
