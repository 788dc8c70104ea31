"""Text forms of the central store: row JSON (orjson where it gives the same values as ``json``), per-field HLC
maps in their compact form, the opaque pull cursor, and batching of long parameter lists."""

from __future__ import annotations

import json
import math
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from typing import Any

import orjson

from posapp.sync.protocol import ProtocolRefused

CHUNK = 900


def json_text(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"))


def json_value(text: str) -> Any:
    """``json.loads``, faster: orjson first. What orjson refuses (NaN, Infinity, lone surrogates) and values with a
    float beyond the 64-bit integer range (orjson reads larger integers as floats) go to ``json.loads``, so exactly
    the same texts are accepted and give the same values."""
    try:
        value = orjson.loads(text)
    except orjson.JSONDecodeError:
        return json.loads(text)
    return json.loads(text) if _maybe_big_int(value) else value


_ORJSON_DUMPS = orjson.OPT_SORT_KEYS | orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS


def json_text_fast(value: Any) -> str:
    """The same JSON value as ``json_text`` (keys sorted, compact), faster: orjson, which writes non-ASCII characters
    as UTF-8 instead of ``\\u`` escapes; ``json_text`` for what orjson would write differently (NaN, Infinity) or
    refuses (integers beyond 64 bits, datetimes, ...). For stored row text only, never for comparisons."""
    if not _all_finite(value):
        return json_text(value)
    try:
        return orjson.dumps(value, option=_ORJSON_DUMPS).decode()
    except orjson.JSONEncodeError:
        return json_text(value)


_NESTED = (float, dict, list)


def _nested(value: Any) -> Any:
    """The values of a dict / items of a list when one of them is a float, dict or list (else None): a C-level
    pass over the types first, as most rows hold none (strings, integers, booleans, nulls)."""
    t = type(value)
    vs = value.values() if t is dict else value if t is list else None
    if vs is None:
        return None
    types = set(map(type, vs))
    return vs if float in types or dict in types or list in types else None


def _all_finite(value: Any) -> bool:
    if type(value) is float:
        return math.isfinite(value)
    vs = _nested(value)
    return vs is None or all(_all_finite(v) for v in vs if type(v) in _NESTED)


def _maybe_big_int(value: Any) -> bool:
    if type(value) is float:
        return not -9.2e18 < value < 9.2e18
    vs = _nested(value)
    return vs is not None and any(_maybe_big_int(v) for v in vs if type(v) in _NESTED)


def compact_hlc(field_hlc: dict[str, str], data: dict[str, Any], dumps: Callable[[Any], str] = json_text) -> str:
    """Per-field stamps, compact: ``{"*": h, "k": h2, ...}`` = every field of the row at ``h`` (the most common
    stamp) except those listed; stamps of keys that are not fields of the row (the deletion mark) are listed too.
    A row as inserted is ``{"*": h}``; an inserted then completed sale lists only the fields the completion set.
    The plain map when a field of the row has no stamp."""
    if not data or not all(k in field_hlc for k in data):
        return dumps(field_hlc)
    stamps = [field_hlc[k] for k in data]
    base = stamps[0] if len(set(stamps)) == 1 else Counter(stamps).most_common(1)[0][0]
    compact = {"*": base}
    compact.update((k, v) for k, v in field_hlc.items() if v != base or k not in data)
    return dumps(compact)


def expand_hlc(stamps: dict[str, str], data: dict[str, Any]) -> dict[str, str]:
    """Per-field stamps with the compact form of :func:`compact_hlc` expanded (a plain map is returned as is)."""
    base = stamps.get("*")
    if base is None:
        return stamps
    out = dict.fromkeys(data, base)
    out.update((k, v) for k, v in stamps.items() if k != "*")
    return out


def hlc_node(hlc: str) -> str:
    return hlc.split(".", 2)[2]


def chunks(items: Sequence[Any], n: int = CHUNK) -> Iterator[Sequence[Any]]:
    for i in range(0, len(items), n):
        yield items[i:i + n]


def parse_cursor(cursor: str) -> tuple[int, int]:
    """(store seq, shared seq) from an opaque cursor; "" = the beginning."""
    if cursor == "":
        return 0, 0
    try:
        version, s, h = cursor.split(":")
        if version != "v1":
            raise ValueError(version)
        return int(s), int(h)
    except ValueError as exc:
        raise ProtocolRefused(f"not a cursor of this central store: {cursor!r}") from exc


def make_cursor(store_seq: int, shared_seq: int) -> str:
    return f"v1:{store_seq}:{shared_seq}"
