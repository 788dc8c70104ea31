"""A visit carries the id of its case, so a view can add notes and close the case with a disposition."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from posapp.domain.enums import Disposition


def test_visit_names_its_case(services: Any, employees: Any, make_account: Callable[..., Any]) -> None:
    acct = make_account("Ana", "Lopez", "(206) 555-0142")
    visit = services.verification.start_visit(employees.rep, account_id=acct.account_id,
                                              customer_id=acct.customer_id)
    assert visit.case_id is not None
    assert services.verification.get(visit.id).case_id == visit.case_id
    services.interactions.add_note(employees.rep, visit.case_id, "Asked about the bill.")
    services.interactions.close(employees.rep, visit.case_id, disposition=Disposition.RESOLVED)
    case = services.interactions.recent(acct.account_id)[0]
    assert case.case_number == visit.case_number
    assert case.status == "closed" and [n.text for n in case.notes] == ["Asked about the bill."]
