"""Concurrent pushes for one store never leave a pull-sequence gap that a concurrent pull could skip."""

from __future__ import annotations

import json
import threading
from collections import Counter

from posapp.central import CentralStore
from posapp.sync.protocol import ChangeStatus, PullRequest
from tests.central.builders import Term


def test_concurrent_pushes_and_pulls_of_one_store(central: CentralStore) -> None:
    pushers = [Term("S1", f"0{i}") for i in range(1, 5)]
    batches = {t.terminal_id: [[t.insert("sale", kind="sale", status="open") for _ in range(8)] for _ in range(15)]
               for t in pushers}
    expected = {c.entity_id for bs in batches.values() for b in bs for c in b}
    done = threading.Event()
    errors: list[BaseException] = []
    pulled: Counter[str] = Counter()

    def push(t: Term) -> None:
        try:
            for b in batches[t.terminal_id]:
                assert {r.status for r in t.push(central, b).results} == {ChangeStatus.APPLIED}
                t.push(central, b[:2])  # and a replay, while the others push
        except BaseException as exc:
            errors.append(exc)

    def pull() -> None:
        cursor = ""
        try:
            while True:
                finished = done.is_set()  # read before pulling: one more full drain after the pushers ended
                page = central.pull(PullRequest("S1", "09", cursor, limit=7))
                pulled.update(r.entity_id for r in page.rows)
                cursor = page.cursor
                if finished and not page.more:
                    return
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=push, args=(t,)) for t in pushers]
    puller = threading.Thread(target=pull)
    puller.start()
    for th in threads:
        th.start()
    for th in threads:
        th.join(60)
    done.set()
    puller.join(60)
    assert not errors, errors
    assert set(pulled) == expected
    assert max(pulled.values()) == 1  # the cursor never went back
    assert central.change_count("S1") == len(expected)


def test_the_same_imeis_sold_in_two_stores_at_once_are_all_flagged(central: CentralStore) -> None:
    imeis = [f"35693803564{i:04d}" for i in range(40)]
    errors: list[BaseException] = []

    def sell(store: str) -> None:
        t = Term(store, "01")
        try:
            for imei in imeis:
                sale = t.insert("sale", kind="sale", status="completed")
                t.push(central, [sale, t.insert("sale_line", sale_id=sale.entity_id, imei=imei, removed=False)])
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=sell, args=(s,)) for s in ("S1", "S2")]
    for th in threads:
        th.start()
    for th in threads:
        th.join(60)
    assert not errors, errors
    flagged = {json.loads(c.detail)["key"] for s in ("S1", "S2") for c in central.conflicts(s, limit=1000)
               if c.kind == "uniqueness"}
    assert flagged == set(imeis)  # every collision seen by whichever store came second, none missed
    assert all(len(central.claimants("imei_sold", i)) == 2 for i in imeis)
