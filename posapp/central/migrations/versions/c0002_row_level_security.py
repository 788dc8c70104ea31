"""row-level security on PostgreSQL: stores see and write only their own rows; the shared catalog is read-only

Revision ID: c0002
Revises: c0001
Create Date: 2026-11-22 22:40:00

Every store logs in with its own role (``posapp-admin central add-store``), a member of ``posapp_store``, mapped to
its store in ``central_store_role``. A row is a store's when its ``store_id`` equals BOTH the store mapped to
``current_user`` AND ``app.store_id``, set with ``SET LOCAL`` in every transaction: a store's role that sets
``app.store_id`` to another store sees nothing and can write nothing. FORCE makes the owner subject to the policies
too; the owner (head office, the role that ran the migration) gets an explicit policy for everything. SQLite: no-op.
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = 'c0002'
down_revision: str | None = 'c0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

STORE_ROLE = "posapp_store"
# the scalar subquery is uncorrelated, so PostgreSQL evaluates it once per statement (an InitPlan), not per row
MINE = ("(store_id = current_setting('app.store_id', true) AND store_id = "
        "(SELECT r.store_id FROM central_store_role r WHERE r.role_name = current_user))")
SHARED = "store_id = ''"

# table -> {command: (USING, WITH CHECK)} for members of posapp_store
POLICIES: dict[str, dict[str, tuple[str | None, str | None]]] = {
    "central_change": {"SELECT": (MINE, None), "INSERT": (None, MINE), "DELETE": (MINE, None)},
    "central_row": {"SELECT": (f"({SHARED} OR {MINE})", None), "INSERT": (None, MINE), "UPDATE": (MINE, MINE)},
    "central_conflict": {"SELECT": (MINE, None), "INSERT": (None, MINE), "UPDATE": (MINE, MINE)},
    "central_claim": {"SELECT": ("true", None), "INSERT": (None, MINE), "UPDATE": (MINE, MINE)},
    "central_stock": {"SELECT": (MINE, None), "INSERT": (None, MINE), "UPDATE": (MINE, MINE)},
    "central_terminal": {"SELECT": (MINE, None), "INSERT": (None, MINE), "UPDATE": (MINE, MINE)},
    "central_store_seq": {"SELECT": (f"({SHARED} OR {MINE})", None), "INSERT": (None, MINE),
                          "UPDATE": (MINE, MINE)},
}


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(f"""DO $$ BEGIN
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{STORE_ROLE}') THEN
            CREATE ROLE {STORE_ROLE} NOLOGIN;
        END IF;
    END $$""")
    op.execute(f"GRANT SELECT ON central_store_role TO {STORE_ROLE}")
    for table, rules in POLICIES.items():
        grants = ", ".join(sorted(rules))
        op.execute(f"GRANT {grants} ON {table} TO {STORE_ROLE}")
        op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
        op.execute(f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY")
        op.execute(f"CREATE POLICY head_office ON {table} TO CURRENT_USER USING (true) WITH CHECK (true)")
        for command, (using, check) in rules.items():
            sql = f"CREATE POLICY store_{command.lower()} ON {table} FOR {command} TO {STORE_ROLE}"
            if using:
                sql += f" USING {using if using.startswith('(') else '(' + using + ')'}"
            if check:
                sql += f" WITH CHECK {check}"
            op.execute(sql)


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table, rules in POLICIES.items():
        op.execute(f"DROP POLICY IF EXISTS head_office ON {table}")
        for command in rules:
            op.execute(f"DROP POLICY IF EXISTS store_{command.lower()} ON {table}")
        op.execute(f"ALTER TABLE {table} NO FORCE ROW LEVEL SECURITY")
        op.execute(f"ALTER TABLE {table} DISABLE ROW LEVEL SECURITY")
        op.execute(f"REVOKE ALL ON {table} FROM {STORE_ROLE}")
    op.execute(f"REVOKE ALL ON central_store_role FROM {STORE_ROLE}")
