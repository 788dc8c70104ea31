"""One module per workflow screen."""
