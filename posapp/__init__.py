"""posapp core: everything that is not Qt.

This package must never import PySide6 or ``ui`` (checked by tests/test_qt_free.py).
"""

__version__ = "0.1.0"
