"""PIN hashing with scrypt and a per-user salt, and the rules an employee PIN must follow."""

from __future__ import annotations

import hashlib
import hmac
import itertools
import os

from posapp.errors import ValidationError

# n=2**14, r=8, p=1: about 16 MiB and tens of milliseconds per check on a store PC.
DEFAULT_PARAMS = "scrypt:16384:8:1"
SALT_BYTES = 16
HASH_BYTES = 32


def _parse(params: str) -> tuple[int, int, int]:
    kind, n, r, p = params.split(":")
    if kind != "scrypt":
        raise ValueError(f"unknown PIN hash {kind!r}")
    return int(n), int(r), int(p)


def hash_pin(pin: str, *, salt: bytes | None = None, params: str = DEFAULT_PARAMS) -> tuple[bytes, bytes, str]:
    """Return (hash, salt, params) for ``pin``."""
    salt = salt if salt is not None else os.urandom(SALT_BYTES)
    n, r, p = _parse(params)
    digest = hashlib.scrypt(pin.encode(), salt=salt, n=n, r=r, p=p, maxmem=64 * 1024 * 1024, dklen=HASH_BYTES)
    return digest, salt, params


def verify_pin(pin: str, *, pin_hash: bytes, salt: bytes, params: str) -> bool:
    candidate, _, _ = hash_pin(pin, salt=salt, params=params)
    return hmac.compare_digest(candidate, pin_hash)


def _sequential(digits: str) -> bool:
    steps = {int(b) - int(a) for a, b in itertools.pairwise(digits)}
    return steps in ({1}, {-1})


def check_employee_pin(pin: str) -> None:
    """Employee PINs: 4–8 digits, not all one digit, not a straight run (1234, 9876)."""
    if not pin.isdigit() or not 4 <= len(pin) <= 8:
        raise ValidationError("The PIN must be 4 to 8 digits.")
    if len(set(pin)) == 1:
        raise ValidationError("The PIN cannot repeat one digit.")
    if _sequential(pin):
        raise ValidationError("The PIN cannot be a run of digits such as 1234.")
