"""The one search box: every phone format, identifiers, FTS kept current, hostile input never raises."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.helpers.scale import scaled


@pytest.fixture
def ana(make_account: Callable[..., Any]) -> Any:
    make_account("Bob", "Anders", "(425) 555-0100", email="bob@example.net")
    make_account("Anabel", "Lopez-Garcia", "(212) 555-0199")
    return make_account("Ana", "Lopez", "(206) 555-0142", email="ana.lopez@example.com", lines=2)


@pytest.mark.parametrize("text", ["(206) 555-0142", "206.555.0142", "+1 206 555 0142", "2065550142",
                                  "206-555-0142", "1 206 555 0142", "+12065550142", "p:206 555", "206555014"])
def test_every_phone_format_finds_the_same_customer(services: Any, employees: Any, ana: Any, text: str) -> None:
    result = services.lookup.search(employees.rep, text)
    assert result.hits, result.message
    assert result.hits[0].customer_id == ana.customer_id
    assert result.hits[0].masked_phone == "•••-•••-0142"


def test_identifier_lookups(services: Any, employees: Any, ana: Any) -> None:
    for text in (ana.account_number, ana.imeis[1], ana.iccids[0], "ana.lopez@example.com", "ANA.LOPEZ@",
                 f"a:{ana.account_number}", f"i:{ana.imeis[0][:5]}-{ana.imeis[0][5:]}", f"s:{ana.iccids[1]}"):
        result = services.lookup.search(employees.rep, text)
        assert [h.customer_id for h in result.hits][:1] == [ana.customer_id], (text, result.message)


def test_second_line_number_finds_the_account_holder(services: Any, employees: Any, ana: Any) -> None:
    result = services.lookup.search(employees.rep, ana.msisdns[1])
    assert result.hits and result.hits[0].customer_id == ana.customer_id


def test_name_prefixes_and_ranking(services: Any, employees: Any, ana: Any) -> None:
    names = [h.display_name for h in services.lookup.search(employees.rep, "ana lop").hits]
    assert "Ana Lopez" in names and "Bob Anders" not in names
    assert {h.display_name for h in services.lookup.search(employees.rep, "lopez").hits} >= {"Ana Lopez"}
    garcia = services.lookup.search(employees.rep, "garc")
    assert [h.display_name for h in garcia.hits] == ["Anabel Lopez-Garcia"]


def test_hits_carry_no_private_data(services: Any, employees: Any, ana: Any) -> None:
    hit = services.lookup.search(employees.rep, "Ana Lopez").hits[0]
    text = repr(hit)
    for secret in ("2065550142", "5550142", "555-0142", ana.account_number, "ana.lopez@", "1500 Pike"):
        assert secret not in text
    assert hit.masked_account.endswith(ana.account_number[-4:]) and hit.city == "Seattle, WA"


def test_index_follows_insert_update_and_delete(services: Any, employees: Any, ana: Any) -> None:
    from sqlalchemy import delete

    from posapp.db.models import AccountMember, Customer

    assert not services.lookup.search(employees.rep, "Zed Quinby").hits
    made = services.customers.create(employees.rep, _draft("Zed", "Quinby", "(509) 555-0111"), confirmed_new=True)
    assert services.lookup.search(employees.rep, "Quinby").hits[0].customer_id == made.customer_id
    with services.uow.write(employees.rep) as tx:
        c = tx.session.get(Customer, made.customer_id)
        assert c is not None
        c.last_name = "Quimby"
        tx.changed(c, fields={"last_name": "Quimby"})
    assert not services.lookup.search(employees.rep, "Quinby").hits
    assert services.lookup.search(employees.rep, "Quimby").hits
    with services.uow.write(employees.rep) as tx:
        tx.session.execute(delete(AccountMember).where(AccountMember.customer_id == made.customer_id))
        tx.session.execute(delete(Customer).where(Customer.id == made.customer_id))
    assert not services.lookup.search(employees.rep, "Quimby").hits


HOSTILE = ['"', "'", "*", "NEAR(", "NEAR(ana lopez, 2)", "ana OR 1=1", "a\" OR \"b", "^ana", "ana:lopez",
           "x" * 10_000, "\x00\x01\x1b[31m", "' ; DROP TABLE customer; --", "(((", "AND", "-", "+", "@",
           "lopez*", "{first_name}: ana", "\u202e\u0000", "e:", "p:", "i:123", "s:89", "r:", "💥"]


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_input_gives_results_or_a_clean_no_match(services: Any, employees: Any, ana: Any,
                                                         text: str) -> None:
    result = services.lookup.search(employees.rep, text)
    assert result.hits or result.message


@settings(max_examples=scaled(200), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(max_size=300))
def test_any_text_never_raises(services: Any, employees: Any, text: str) -> None:
    result = services.lookup.search(employees.rep, text)
    assert result.hits or result.message


def _draft(first: str, last: str, phone: str) -> Any:
    from posapp.services.customers import CustomerDraft

    return CustomerDraft(first_name=first, last_name=last, phone=phone)
