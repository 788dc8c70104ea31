"""Trade-in grading and quote (issue 12, DOMAIN.md "Trade-in"). Pure: no I/O; the rules and the price table are
data (``resources/data/tradein_grades.json``, ``tradein_prices.json``) parsed here from their JSON documents and
read from disk by :mod:`posapp.catalog`.

* :meth:`Answers.parse` reads the questionnaire (nine booleans) from a JSON object; every missing, unknown or
  non-boolean key is named in :class:`AnswersInvalid`.
* :func:`grade` gives the worst grade among the rules the answers trigger (A when none), with each reason.
* :func:`quote` prices the grade for a model and storage and decides whether the trade-in can be accepted:
  a blocked IMEI never (value $0); Find My / Activation Lock on ⇒ $0 until it is off; leased or not owned ⇒ $0,
  not acceptable; a model or storage missing from the table ⇒ $0 with the reason; an unanswered block list or a
  device not yet factory reset ⇒ the price stands but it cannot be accepted until that is done.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from datetime import date
from typing import Any, Literal, Protocol, cast

from posapp.errors import ValidationError

Grade = Literal["A", "B", "C", "D"]
GRADES: tuple[Grade, ...] = ("A", "B", "C", "D")  # best first


class AnswersInvalid(ValidationError):
    """The answers object is incomplete or malformed; ``reasons`` names every problem."""

    def __init__(self, reasons: list[str]) -> None:
        super().__init__("The trade-in answers are not usable: " + "; ".join(reasons) + ".")
        self.reasons = tuple(reasons)


@dataclass(frozen=True)
class Answers:
    """The questionnaire; True is the good answer except for ``liquid_damage``, ``battery_swelling`` and
    ``leased`` (True is bad)."""

    powers_on: bool
    screen_ok: bool
    liquid_damage: bool
    buttons_ports_ok: bool
    battery_swelling: bool
    find_my_off: bool
    factory_reset: bool
    leased: bool
    owned: bool

    @classmethod
    def parse(cls, doc: object) -> Answers:
        if not isinstance(doc, Mapping):
            raise AnswersInvalid([f"expected a JSON object with the keys {', '.join(ANSWER_KEYS)}"])
        reasons = [f"missing {k}" for k in ANSWER_KEYS if k not in doc]
        reasons += [f"unknown key {str(k)!r}" for k in doc if k not in ANSWER_KEYS]
        reasons += [f"{k} must be true or false, not {_json_type(doc[k])}" for k in ANSWER_KEYS
                    if k in doc and not isinstance(doc[k], bool)]
        if reasons:
            raise AnswersInvalid(reasons)
        return cls(**{k: doc[k] for k in ANSWER_KEYS})


ANSWER_KEYS: tuple[str, ...] = tuple(f.name for f in fields(Answers))
BAD_WHEN_TRUE = frozenset({"liquid_damage", "battery_swelling", "leased"})


def _json_type(value: object) -> str:
    if value is None:
        return "null"
    return {str: "a string", int: "a number", float: "a number", list: "a list", dict: "an object"}.get(
        type(value), type(value).__name__)


# -- grading --------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class GradeRule:
    answer: str
    when: bool
    grade: Grade
    reason: str


@dataclass(frozen=True)
class GradingRules:
    rules: tuple[GradeRule, ...]
    names: Mapping[str, str]  # grade -> description ("like new")

    @classmethod
    def parse(cls, doc: Mapping[str, Any]) -> GradingRules:
        rules = []
        for r in doc["rules"]:
            if r["answer"] not in ANSWER_KEYS or r["grade"] not in GRADES or not isinstance(r["when"], bool):
                raise ValueError(f"bad trade-in grading rule {r!r}")
            rules.append(GradeRule(answer=r["answer"], when=r["when"], grade=cast(Grade, r["grade"]),
                                   reason=str(r["reason"])))
        return cls(rules=tuple(rules), names={g: str(doc["grades"][g]) for g in GRADES})


@dataclass(frozen=True)
class Grading:
    grade: Grade
    reasons: tuple[str, ...]
    answers: Answers


def grade(answers: Answers, rules: GradingRules) -> Grading:
    hits = [r for r in rules.rules if getattr(answers, r.answer) is r.when]
    worst = max((GRADES.index(r.grade) for r in hits), default=0)
    reasons = tuple(f"{r.reason} (grade {r.grade})" for r in hits) or (f"no defects reported ({rules.names['A']})",)
    return Grading(grade=GRADES[worst], reasons=reasons, answers=answers)


# -- price table and quote ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class PriceTable:
    effective: date
    prices: Mapping[tuple[str, int], Mapping[Grade, int]]  # (model code, storage GB) -> grade -> cents

    @classmethod
    def parse(cls, doc: Mapping[str, Any]) -> PriceTable:
        prices: dict[tuple[str, int], Mapping[Grade, int]] = {}
        for row in doc["prices"]:
            values = {g: int(row[g]) for g in GRADES}
            ordered = [values[g] for g in GRADES]
            if min(ordered) < 0 or ordered != sorted(ordered, reverse=True):
                raise ValueError(f"trade-in prices of {row['model']} must be A >= B >= C >= D >= 0")
            prices[(str(row["model"]), int(row["storage_gb"]))] = values
        return cls(effective=date.fromisoformat(doc["effective"]), prices=prices)


class BlockCheck(Protocol):
    """The block list's answer (:class:`posapp.adapters.block_list.BlockResult` fits)."""

    @property
    def status(self) -> str: ...  # clear, blocked or unknown

    @property
    def reason(self) -> str: ...


@dataclass(frozen=True)
class Quote:
    value_cents: int
    acceptable: bool
    reasons: tuple[str, ...]
    grade: Grade
    price_cents: int | None  # the table's price for the grade (None: not in the table)
    effective: date


FIND_MY_ON = "Find My / Activation Lock (or the Google account) is still on: $0, it cannot be accepted until it is off"


def _refusals(answers: Answers, block: BlockCheck) -> tuple[list[str], list[str]]:
    """(reasons that make the value $0, reasons that only hold the acceptance)."""
    zero, hold = [], []
    if block.status == "blocked":
        zero.append(f"the IMEI is on the block list ({block.reason}): it cannot be accepted")
    elif block.status != "clear":
        hold.append(f"the block list could not be checked ({block.reason}): check again before accepting")
    if not answers.find_my_off:
        zero.append(FIND_MY_ON)
    if answers.leased:
        zero.append("the device is leased: it cannot be accepted")
    if not answers.owned:
        zero.append("the customer does not own the device: it cannot be accepted")
    if not answers.factory_reset:
        hold.append("the device is not factory reset: reset it before accepting")
    return zero, hold


def quote(model: str, storage_gb: int, grading: Grading, prices: PriceTable, block: BlockCheck) -> Quote:
    row = prices.prices.get((model, storage_gb))
    zero, hold = _refusals(grading.answers, block)
    if row is None:
        known = any(m == model for m, _ in prices.prices)
        zero.insert(0, f"{model} {storage_gb} GB is not in the trade-in price table of {prices.effective}"
                    if known else f"model {model} is not in the trade-in price table of {prices.effective}")
    price = row[grading.grade] if row is not None else None
    value = 0 if zero or price is None else price
    return Quote(value_cents=value, acceptable=not zero and not hold, reasons=(*grading.reasons, *zero, *hold),
                 grade=grading.grade, price_cents=price, effective=prices.effective)
