"""Demo data: a realistic, clearly fictional store (generator, loader, publishing to the central store)."""
