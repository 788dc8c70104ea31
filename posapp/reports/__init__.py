"""Report writers (PDF and CSV) for reports built by the services."""
