"""The store's number pool: add, list, reserve (one line at a time), release."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from posapp.db.models import Activation, ActivationLine, PoolNumber
from posapp.domain.activation import ActivationKind, ActivationStatus, LineActivationStatus, PoolStatus
from posapp.errors import ValidationError
from posapp.services.activation import pool
from posapp.services.registry import Services
from tests.helpers.staff import Staff


def _line(services: Services, employees: Staff, n: int) -> ActivationLine:
    with services.uow.write(employees.rep) as tx:
        act = Activation(number=f"T-{n}", kind=ActivationKind.ADD_LINE, status=ActivationStatus.DRAFT,
                         employee_id=employees.rep.employee_id)
        tx.add(act)
        line = ActivationLine(activation_id=act.id, line_no=1, status=LineActivationStatus.DRAFT)
        tx.add(line)
        return line


def _status(services: Services, msisdn: str) -> tuple[PoolStatus, object]:
    with services.uow.read() as s:
        row = s.scalar(select(PoolNumber).where(PoolNumber.msisdn == msisdn))
        assert row is not None
        return row.status, row.reserved_by_line_id


def test_add_normalises_and_refuses_duplicates(services: Services, employees: Staff) -> None:
    with services.uow.write(employees.admin) as tx:
        rows = pool.add_numbers(tx, ["(206) 555-0100", "206.555.0101"])
    assert [r.msisdn for r in rows] == ["+12065550100", "+12065550101"]
    with pytest.raises(ValidationError, match="Already in the pool"), services.uow.write(employees.admin) as tx:
        pool.add_numbers(tx, ["+1 206 555 0102", "2065550100"])
    with pytest.raises(ValidationError, match="twice"), services.uow.write(employees.admin) as tx:
        pool.add_numbers(tx, ["2065550103", "(206) 555-0103"])
    with services.uow.read() as s:
        assert [r.msisdn for r in pool.available(s)] == ["+12065550100", "+12065550101"]  # nothing half-added
        assert pool.available(s, "425") == []
        assert [r.msisdn for r in pool.available(s, "206", limit=1)] == ["+12065550100"]


def test_reserve_one_line_at_a_time_release_and_repick(services: Services, employees: Staff) -> None:
    with services.uow.write(employees.admin) as tx:
        pool.add_numbers(tx, ["2065550100", "2065550101"])
    a, b = _line(services, employees, 1), _line(services, employees, 2)
    with services.uow.write(employees.rep) as tx:
        pool.reserve(tx, "(206) 555-0100", a)
    assert _status(services, "+12065550100") == (PoolStatus.RESERVED, a.id)
    with pytest.raises(ValidationError, match="reserved; pick another"), services.uow.write(employees.rep) as tx:
        pool.reserve(tx, "2065550100", b)
    with pytest.raises(ValidationError, match="not in this store"), services.uow.write(employees.rep) as tx:
        pool.reserve(tx, "2065550199", b)
    with services.uow.write(employees.rep) as tx:  # picking another releases the first
        pool.reserve(tx, "2065550101", a)
    assert _status(services, "+12065550100") == (PoolStatus.AVAILABLE, None)
    assert _status(services, "+12065550101") == (PoolStatus.RESERVED, a.id)
    with services.uow.write(employees.rep) as tx:
        assert pool.release(tx, a) == 1
    assert _status(services, "+12065550101") == (PoolStatus.AVAILABLE, None)
    with services.uow.read() as s:
        assert len(pool.available(s)) == 2
    assert pool.display("+12065550142") == "(206) 555-0142"


def test_assign_marks_the_reserved_number_assigned(services: Services, employees: Staff) -> None:
    with services.uow.write(employees.admin) as tx:
        pool.add_numbers(tx, ["2065550100"])
    a, b = _line(services, employees, 1), _line(services, employees, 2)
    with services.uow.write(employees.rep) as tx:
        pool.reserve(tx, "2065550100", a)
        assert pool.assign(tx, b) is None
        assert pool.assign(tx, a) is not None
    assert _status(services, "+12065550100") == (PoolStatus.ASSIGNED, a.id)
    with services.uow.write(employees.rep) as tx:
        assert pool.release(tx, a) == 0, "an assigned number is not released"
        assert pool.held_by(tx.session, a) is not None
