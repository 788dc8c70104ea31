"""Every entity the local database can put in the outbox has a central policy (posapp/sync/entities.py)."""

from __future__ import annotations

import posapp.db.models  # noqa: F401  (registers every table)
from posapp.db.models.base import Base, Syncable
from posapp.sync.entities import POLICIES, PULLED_ENTITIES, SHARED_ENTITIES, Kind, matches, policy


def _syncable_tables() -> set[str]:
    return {m.class_.__tablename__ for m in Base.registry.mappers if issubclass(m.class_, Syncable)}


def test_every_syncable_model_and_the_audit_log_have_a_policy() -> None:
    missing = sorted((_syncable_tables() | {"audit_event"}) - set(POLICIES))
    assert not missing, f"entities without a sync policy in posapp/sync/entities.py: {missing}"


def test_the_catalog_tables_are_shared_and_the_money_tables_are_events() -> None:
    assert set(SHARED_ENTITIES) == {"plan", "device_model", "accessory"}
    for name in SHARED_ENTITIES:
        assert name in Base.metadata.tables and not any(
            m.class_.__tablename__ == name and issubclass(m.class_, Syncable) for m in Base.registry.mappers)
        key = POLICIES[name].key
        assert Base.metadata.tables[name].c[key].primary_key
    for name in ("sale", "sale_line", "tender", "drawer_event", "bill_payment", "audit_event"):
        assert POLICIES[name].kind is Kind.EVENT
    assert POLICIES["customer"].kind is Kind.PROFILE


def test_secrets_and_the_audit_log_are_push_only() -> None:
    for name in ("audit_event", "verification_attempt", "one_time_code"):
        assert name not in PULLED_ENTITIES
    assert "customer" in PULLED_ENTITIES and "plan" in PULLED_ENTITIES
    assert policy("no_such_table") is None


def test_claim_conditions() -> None:
    sold = POLICIES["sale_line"].claims[0]
    assert matches({"imei": "1", "removed": False, "original_line_id": None}, sold.when)
    assert matches({"imei": "1", "removed": False}, sold.when)
    assert not matches({"imei": "1", "removed": True, "original_line_id": None}, sold.when)
    assert not matches({"imei": "1", "removed": False, "original_line_id": "x"}, sold.when)


def test_every_local_unique_key_of_a_pulled_profile_is_declared_as_collidable() -> None:
    """Two terminals can create the same value of such a key before they sync (posapp/sync/held.py)."""
    from sqlalchemy import UniqueConstraint

    for name, pol in POLICIES.items():
        table = Base.metadata.tables.get(name)
        if table is None or not pol.pulled or pol.kind is not Kind.PROFILE:
            continue
        keys = {tuple(c.name for c in uc.columns) for uc in table.constraints if isinstance(uc, UniqueConstraint)}
        keys |= {tuple(c.name for c in ix.columns) for ix in table.indexes if ix.unique}
        declared = {(k.field,) for k in pol.unique}
        assert keys == declared, f"{name}: unique keys {sorted(keys)}, declared in entities.py {sorted(declared)}"
        for k in pol.unique:
            assert k.field in table.c and k.noun and k.what and k.fix
            assert k.label is None or k.label in table.c
