"""``python -m posapp.cli``: the same as ``posapp-admin``."""

import sys

from posapp.cli import main

if __name__ == "__main__":
    sys.exit(main())
