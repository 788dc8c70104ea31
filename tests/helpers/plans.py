"""Plans for the plan-change tests (service and UI): a $45 and a $60 plan, a retired one and a prepaid one, and an
account's lines moved onto the $45 plan with a bill whose cycle starts on the 1st (so Nov 10 is day 10)."""

from __future__ import annotations

from datetime import date
from typing import Any

from posapp.db.models import Bill, Line, Plan
from posapp.domain.enums import BillStatus, PlanKind
from tests.helpers.accounts import MadeAccount

TODAY = date(2026, 11, 10)  # day 10 of a cycle that starts on the 1st
PLANS = (("PLAN-45", "Talk & Text 45", 4500, PlanKind.POSTPAID, True),
         ("PLAN-60", "Unlimited 60", 6000, PlanKind.POSTPAID, True),
         ("PLAN-OLD", "Retired 50", 5000, PlanKind.POSTPAID, False),
         ("PRE-15", "Prepaid 5GB", 1500, PlanKind.PREPAID, True))


def add_plans(services: Any, employees: Any) -> None:
    with services.uow.write(employees.admin) as tx:
        for code, name, cents, kind, active in PLANS:
            tx.session.add(Plan(code=code, name=name, kind=kind, monthly_cents=cents, data_gb=None, hotspot_gb=0,
                                active=active))


def on_plan_45_billed_on_the_1st(services: Any, employees: Any, acct: MadeAccount) -> MadeAccount:
    with services.uow.write(employees.rep) as tx:
        for line_id in acct.line_ids:
            line = tx.session.get(Line, line_id)
            assert line is not None
            line.plan_code = "PLAN-45"
        tx.add(Bill(account_id=acct.account_id, period_start=date(2026, 10, 1), period_end=date(2026, 10, 31),
                    due_date=date(2026, 11, 20), amount_cents=9000, status=BillStatus.OPEN))
    return acct
