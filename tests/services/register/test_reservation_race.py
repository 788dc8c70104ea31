"""Two terminals (two Services on one database) scan the same IMEI at once: exactly one cart gets it."""

from __future__ import annotations

import threading

from posapp.errors import ValidationError
from posapp.paths import DataPaths
from posapp.services.registry import Services
from tests.helpers import register as reg
from tests.helpers import staff


def test_one_device_one_cart_under_a_race(services: Services, employees: staff.Staff,
                                           data_paths: DataPaths) -> None:
    st = reg.stock(services, employees.rep, devices=10)
    other = Services.open(data_paths)
    try:
        for imei in st.imeis:
            carts = [(s, s.register.cart.open(employees.rep).id) for s in (services, other)]
            barrier = threading.Barrier(2)
            outcomes: list[str] = []

            def scan(svc: Services, sale_id: object, imei: str = imei, barrier: threading.Barrier = barrier,
                     outcomes: list[str] = outcomes) -> None:
                barrier.wait()
                try:
                    svc.register.cart.add_device(employees.rep, sale_id, imei)  # type: ignore[arg-type]
                    outcomes.append("won")
                except ValidationError:
                    outcomes.append("refused")

            threads = [threading.Thread(target=scan, args=c) for c in carts]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            assert sorted(outcomes) == ["refused", "won"], imei
    finally:
        other.close()
