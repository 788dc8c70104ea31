"""Canned visit reasons, notes and dispositions for demo interactions. Notes never contain a PIN, a card
number or an activation code (DOMAIN.md, interaction records)."""

from __future__ import annotations

REASONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Bill question", (
        "Customer asked about a higher bill this month; walked through the charges line by line.",
        "Explained the one-time activation fee and the prorated plan change on the last bill.",
        "Reviewed AutoPay discount eligibility; discount needs a bank account or debit card.")),
    ("Bill payment", (
        "Took a payment at the counter; customer wants paper receipts.",
        "Customer paid the past-due amount; service restore requested.")),
    ("Upgrade", (
        "Customer is looking at a new phone; checked upgrade eligibility (device at least 50% paid).",
        "Compared two models and the monthly EIP amounts; customer will think about it.",
        "Upgrade done; data transferred in store; old device kept by the customer.")),
    ("SIM swap", (
        "Replacement SIM requested after the old one stopped reading; verified with photo ID and one-time code.",
        "Moved the line to eSIM on the new phone after step-up verification.")),
    ("Port-in", (
        "New customer porting a number from another carrier; reminded to keep old service active until done.",
        "Port was on hold: name did not match the old carrier's record. Customer will confirm the account name.")),
    ("Trade-in", (
        "Trade-in quoted; Find My was still on, asked the customer to turn it off before acceptance.",
        "Trade-in graded B (light wear); credit applied as bill credits.")),
    ("Lost or stolen device", (
        "Customer reported the phone stolen; device marked and line suspended at the customer's request.",
        "Lost phone found again; removed the block and restored the line.")),
    ("Plan change", (
        "Moved all lines to a different plan at the next bill cycle to avoid partial charges.",
        "Explained proration: unused days of the old plan credited, new plan charged for the remaining days.")),
    ("Unlock request", (
        "Unlock requested; device not yet paid in full, explained the conditions and the remaining balance.",
        "Unlock eligible and submitted; customer told to expect an answer within 2 business days.")),
    ("Add a line", (
        "Added a line for a family member; new number assigned and SIM protection offered.",
        "Customer asked about adding a watch line; explained the monthly cost.")),
    ("Technical support", (
        "No service indoors at home; checked coverage map and reset network settings.",
        "Voicemail not working; reset the voicemail password and tested with the customer.",
        "Phone cannot send picture messages; updated carrier settings.")),
    ("Account security", (
        "Customer asked to add port-out protection on all lines; done as primary account holder.",
        "Account PIN changed by the primary account holder after step-up verification.")),
)

RESOLUTIONS: dict[str, tuple[str, ...]] = {
    "resolved": ("Customer satisfied", "Explained and resolved at the counter", "Completed in store"),
    "follow_up": ("Waiting for the old carrier's answer", "Customer will bring the device back",
                  "Call the customer when the part arrives", "Billing adjustment requested from head office"),
    "escalated": ("Escalated to billing disputes", "Escalated to fraud team", "Escalated to network engineering"),
}
