"""The columns the demo generator writes, per table, in the order of its row tuples.

Values are in the form SQLAlchemy stores on SQLite (``Uuid``: 32 hex digits; UTC timestamps: naive
``'YYYY-MM-DD HH:MM:SS.ffffff'``; dates ``'YYYY-MM-DD'``; booleans 0/1; enums their string values). A test
compares these lists with the models, so a schema change that the loader does not follow fails loudly.
"""

from __future__ import annotations

SYNC = ("store_id", "origin_terminal_id", "created_at", "updated_hlc")

COLUMNS: dict[str, tuple[str, ...]] = {
    "customer": ("id", "first_name", "last_name", "email", "phone_e164", "phone_digits", "address_line1", "city",
                 "state", "postal_code", "date_of_birth", "address_changed_at", *SYNC),
    "account": ("id", "account_number", "kind", "business_name", "status", "pin_hash", "pin_salt", "pin_params",
                "balance_cents", "opened_at", "failed_verifications", "verification_locked_until", *SYNC),
    "account_member": ("id", "account_id", "customer_id", "role", *SYNC),
    "line": ("id", "account_id", "msisdn", "plan_code", "status", "sim_protection", "port_out_protection", "iccid",
             "eid", "activated_at", *SYNC),
    "device": ("id", "imei", "imei2", "model_code", "account_id", "line_id", "status", "sold_by_carrier",
               "purchased_at", "warranty_end", *SYNC),
    "financing_agreement": ("id", "account_id", "device_id", "financed_cents", "down_payment_cents", "months",
                            "monthly_cents", "balance_cents", "start_date", "status", *SYNC),
    "bill": ("id", "account_id", "period_start", "period_end", "due_date", "amount_cents", "status", *SYNC),
    "bill_payment": ("id", "account_id", "bill_id", "amount_cents", "paid_at", "method", "reference", *SYNC),
    "autopay_enrolment": ("id", "account_id", "method", "last4", "enrolled_at", "ended_at", *SYNC),
    "interaction": ("id", "case_number", "account_id", "customer_id", "opened_by", "opened_at", "reason", "status",
                    "disposition", "disposition_reason", "closed_at", "closed_by", *SYNC),
    "interaction_note": ("id", "interaction_id", "author_id", "text", *SYNC),
}

# Columns a table may lack in an older schema; the loader leaves them out when the table has no such column.
OPTIONAL: frozenset[tuple[str, str]] = frozenset({("account", "pin_params")})

# Insert order (parents first), also the order of tables in a generated chunk.
TABLES: tuple[str, ...] = tuple(COLUMNS)
