"""The Lookup page (F2): one search box, results, verification, the account view and new customers."""
