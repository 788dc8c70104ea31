"""The Register page (F3): cart, tenders, signature, receipts, refunds and the cash drawer (issue 4)."""
