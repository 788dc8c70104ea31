"""posapp's Qt Widgets user interface. The composition root is :mod:`ui.app`; nothing here holds the app globally."""
