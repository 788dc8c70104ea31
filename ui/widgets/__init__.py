"""Reusable widgets: status bar, lock screen, manager override, brand mark."""
