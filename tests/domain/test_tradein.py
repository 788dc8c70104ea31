"""Trade-in grading and quote (issue 12): each grade rule, the $0 / not-acceptable rules, the answers parser and
the shipped price table, with the data files of ``resources/data``."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from posapp.catalog import load_models, load_tradein_prices, load_tradein_rules
from posapp.domain.tradein import ANSWER_KEYS, BAD_WHEN_TRUE, GRADES, Answers, AnswersInvalid, PriceTable, grade, quote

RULES = load_tradein_rules()
PRICES = load_tradein_prices()
GOOD: dict[str, bool] = {k: k not in BAD_WHEN_TRUE for k in ANSWER_KEYS}
MODEL, STORAGE = "IP16PM-256", 256


@dataclass(frozen=True)
class Block:
    status: str
    reason: str = ""


CLEAR = Block("clear")


def answers(**changes: bool) -> Answers:
    return Answers.parse({**GOOD, **changes})


def _quote(a: Answers, block: Block = CLEAR, model: str = MODEL, storage: int = STORAGE) -> Any:
    return quote(model, storage, grade(a, RULES), PRICES, block)


@pytest.mark.parametrize(("changes", "expected"), [
    ({}, "A"),
    ({"buttons_ports_ok": False}, "B"),
    ({"screen_ok": False}, "C"),
    ({"screen_ok": False, "buttons_ports_ok": False}, "C"),
    ({"powers_on": False}, "D"),
    ({"liquid_damage": True}, "D"),
    ({"battery_swelling": True}, "D"),
    ({"screen_ok": False, "liquid_damage": True}, "D"),
    ({"find_my_off": False, "factory_reset": False, "leased": True, "owned": False}, "A"),  # acceptance, not grade
])
def test_each_grade_rule(changes: dict[str, bool], expected: str) -> None:
    g = grade(answers(**changes), RULES)
    assert g.grade == expected
    assert len(g.reasons) == max(1, sum(k not in ("find_my_off", "factory_reset", "leased", "owned")
                                        for k in changes))


def test_reasons_name_every_defect() -> None:
    g = grade(answers(screen_ok=False, liquid_damage=True), RULES)
    assert g.reasons == ("it has liquid damage (grade D)", "the screen is cracked or does not work (grade C)")


def test_a_good_device_is_priced_from_the_table_and_acceptable() -> None:
    q = _quote(answers())
    assert (q.value_cents, q.acceptable, q.grade) == (53500, True, "A")
    assert q.value_cents == PRICES.prices[(MODEL, STORAGE)]["A"] and str(q.effective) == "2026-11-01"
    assert _quote(answers(screen_ok=False)).value_cents == PRICES.prices[(MODEL, STORAGE)]["C"] == 24000


def test_find_my_on_is_zero_and_not_acceptable_until_off() -> None:
    q = _quote(answers(find_my_off=False))
    assert (q.value_cents, q.acceptable, q.price_cents) == (0, False, 53500)
    assert any("cannot be accepted until it is off" in r for r in q.reasons)
    off = _quote(answers())
    assert (off.value_cents, off.acceptable) == (53500, True)


def test_a_blocked_imei_is_never_acceptable() -> None:
    q = _quote(answers(), Block("blocked", "reported stolen"))
    assert (q.value_cents, q.acceptable) == (0, False)
    assert "the IMEI is on the block list (reported stolen): it cannot be accepted" in q.reasons


def test_an_unanswered_block_list_holds_the_acceptance_not_the_value() -> None:
    q = _quote(answers(), Block("unknown", "not reachable"))
    assert (q.value_cents, q.acceptable) == (53500, False)
    assert any("could not be checked (not reachable)" in r for r in q.reasons)


@pytest.mark.parametrize(("changes", "words"), [
    ({"leased": True}, "leased"), ({"owned": False}, "does not own"),
])
def test_leased_or_not_owned_is_not_acceptable(changes: dict[str, bool], words: str) -> None:
    q = _quote(answers(**changes))
    assert (q.value_cents, q.acceptable) == (0, False)
    assert any(words in r for r in q.reasons)


def test_not_factory_reset_keeps_the_value_but_holds_acceptance() -> None:
    q = _quote(answers(factory_reset=False))
    assert (q.value_cents, q.acceptable) == (53500, False)
    assert any("factory reset" in r for r in q.reasons)


def test_unknown_model_or_storage_gives_a_clear_reason() -> None:
    q = _quote(answers(), model="NOKIA-3310", storage=0)
    assert (q.value_cents, q.acceptable, q.price_cents) == (0, False, None)
    assert "model NOKIA-3310 is not in the trade-in price table of 2026-11-01" in q.reasons
    q = _quote(answers(), storage=1024)
    assert "IP16PM-256 1024 GB is not in the trade-in price table of 2026-11-01" in q.reasons
    assert not q.acceptable and q.value_cents == 0


@pytest.mark.parametrize(("doc", "reasons"), [
    ([], ("expected a JSON object with the keys " + ", ".join(ANSWER_KEYS),)),
    ({k: v for k, v in GOOD.items() if k != "owned"}, ("missing owned",)),
    ({**GOOD, "colour": True}, ("unknown key 'colour'",)),
    ({**GOOD, "powers_on": "yes", "leased": 0, "owned": None},
     ("powers_on must be true or false, not a string", "leased must be true or false, not a number",
      "owned must be true or false, not null")),
    ({"screen_ok": True, "x": 1}, (*(f"missing {k}" for k in ANSWER_KEYS if k != "screen_ok"), "unknown key 'x'")),
])
def test_answers_parsing_names_every_problem(doc: object, reasons: tuple[str, ...]) -> None:
    with pytest.raises(AnswersInvalid) as exc:
        Answers.parse(doc)
    assert exc.value.reasons == reasons
    assert str(exc.value).startswith("The trade-in answers are not usable: " + reasons[0])


def test_answers_parse_all_nine_booleans() -> None:
    a = Answers.parse({**GOOD, "leased": True})
    assert len(ANSWER_KEYS) == 9 and a.leased and a.powers_on and not a.liquid_damage


def test_the_price_table_covers_every_catalog_model_in_grade_order() -> None:
    models = load_models()
    assert set(PRICES.prices) == {(m.code, m.storage_gb) for m in models}
    for row in PRICES.prices.values():
        assert [row[g] for g in GRADES] == sorted((row[g] for g in GRADES), reverse=True) and row["D"] > 0


def test_a_table_with_grades_out_of_order_is_refused() -> None:
    row = {"model": "X", "storage_gb": 64, "A": 100, "B": 200, "C": 50, "D": 0}
    with pytest.raises(ValueError, match="A >= B >= C >= D"):
        PriceTable.parse({"effective": "2026-11-01", "prices": [row]})


def _worse(a: Answers, key: str) -> Answers:
    return dataclasses.replace(a, **{key: key in BAD_WHEN_TRUE})


@given(start=st.fixed_dictionaries({k: st.booleans() for k in ANSWER_KEYS}),
       key=st.sampled_from(ANSWER_KEYS),
       model=st.sampled_from(sorted(PRICES.prices)),
       block=st.sampled_from([CLEAR, Block("unknown", "offline"), Block("blocked", "reported lost")]))
def test_value_never_rises_when_an_answer_gets_worse(start: dict[str, bool], key: str, model: tuple[str, int],
                                                      block: Block) -> None:
    before = Answers.parse(start)
    after = _worse(before, key)
    q0 = _quote(before, block, *model)
    q1 = _quote(after, block, *model)
    assert q1.value_cents <= q0.value_cents
    assert GRADES.index(q1.grade) >= GRADES.index(q0.grade)
    assert not (q1.acceptable and not q0.acceptable)
