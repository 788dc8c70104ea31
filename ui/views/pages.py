"""The workflow pages of the main window, what each will do, and which issue brings it.

Until a workflow lands its page says so honestly (:class:`ui.views.coming_soon.ComingSoonPage`): no fake data.
"""

from __future__ import annotations

from dataclasses import dataclass

from posapp.domain.enums import Role


@dataclass(frozen=True)
class PageSpec:
    key: str
    title: str
    shortcut: str  # the F-key, e.g. "F2"
    icon: str  # resources/icons/<icon>.svg
    summary: str
    bullets: tuple[str, ...]
    issue: str
    roles: frozenset[Role] = frozenset(Role)

    def visible_to(self, role: Role) -> bool:
        return role in self.roles


PAGES: tuple[PageSpec, ...] = (
    PageSpec(
        "lookup", "Lookup", "F2", "lookup",
        "Find the customer in front of you, verify them, and see their whole account.",
        ("One search box for a phone number, name, account number, IMEI, ICCID, e-mail or receipt barcode.",
         "Results as you type, ranked; private data stays masked until the customer is verified.",
         "Verify by photo ID, account PIN or a one-time code sent by SMS.",
         "Account view: lines, devices and financing, bills and payments, AutoPay, visit notes."),
        "Issue #3 — Customer lookup, identity verification and the account view"),
    PageSpec(
        "register", "Register", "F3", "register",
        "Sell accessories, devices and services, take payments and print receipts.",
        ("Scan or type items into the cart; tax by the store's jurisdiction.",
         "Cash, card through the payment terminal, store credit and split tender.",
         "Refunds against the original receipt, cash drawer sessions and the end-of-day report.",
         "Signed receipts on the thermal printer or as Letter PDF."),
        "Issue #4 — Register: cart, payments, cash drawer, refunds, signed receipts"),
    PageSpec(
        "activation", "Activation", "F4", "activation",
        "Activate new lines, upgrades, SIM swaps and number transfers.",
        ("New line, add a line, upgrade, SIM change (physical ↔ eSIM) or bring-your-own-device.",
         "Number from the store's pool, or a port-in from another carrier with its status live.",
         "Physical SIM or eSIM (the QR code on the customer's screen only); plan, features and EIP.",
         "Into the register's cart: pending until the sale is paid, then sent to the carrier."),
        "Issue #11 — Activation"),
    PageSpec(
        "tradein", "Trade-in", "F5", "tradein",
        "Quote and accept a customer's old device for credit.",
        ("Condition questionnaire and a lost/stolen block-list check.",
         "Grade A–D and a quote from the store's price table.",
         "Instant store credit or bill credits, with signed terms."),
        "A later issue (trade-in)"),
    PageSpec(
        "queue", "Queue", "F6", "queue",
        "See who is waiting and call the next customer.",
        ("Check customers in with their reason for visiting and an optional text alert.",
         "Call next, serve, transfer, park or mark a no-show.",
         "Honest wait estimates shown as a range, not a false-precise minute."),
        "A later issue (queue)"),
    PageSpec(
        "manager", "Manager", "F7", "manager",
        "Run the store: waits, staffing, approvals and the day's numbers.",
        ("Live queue figures: waiting now, longest wait, share served within target.",
         "Staffing estimate for the coming hours.",
         "Sales by rep, by tender and by category; drawer variances."),
        "A later issue (manager dashboard)",
        roles=frozenset({Role.MANAGER, Role.ADMIN})),
)


SIGN_OUT_KEYS = "Ctrl+Shift+L"
LOCK_KEYS = "Ctrl+L"
SETTINGS_KEYS = "Ctrl+,"


def pages_for(role: Role) -> tuple[PageSpec, ...]:
    return tuple(p for p in PAGES if p.visible_to(role))


def key_help(role: Role) -> tuple[tuple[str, str], ...]:
    """The keys this employee can use, for the keyboard card on the pages."""
    visible = pages_for(role)
    first, last = visible[0].shortcut, visible[-1].shortcut
    keys = [(f"{first}–{last}", " · ".join(p.title for p in visible)), (LOCK_KEYS, "Lock the screen"),
            (SIGN_OUT_KEYS, "Sign out")]
    if role is Role.ADMIN:
        keys.append((SETTINGS_KEYS, "Settings"))
    keys.append(("Tab · Enter · Esc", "Move, confirm, cancel"))
    return tuple(keys)
