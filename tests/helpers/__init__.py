"""Shared test helpers and fixtures (registered by tests/conftest.py as the plugin ``tests.helpers.fixtures``)."""
