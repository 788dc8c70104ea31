"""Worker process for :mod:`posapp.demo.pipeline`: read :class:`DemoParams` (pickled) on stdin, write each
generated chunk on stdout as ``marshal`` data ``(customers_done, rows)``, then ``None``.

``marshal`` (not pickle) because the rows are plain tuples of str/int/bytes/None and it writes them about
twice as fast; parent and worker are the same interpreter, so the format always matches. The cyclic garbage
collector is off: the generator makes no reference cycles and the process is short-lived.
"""

from __future__ import annotations

import gc
import marshal
import pickle
import sys

from posapp.demo.generator import Generator
from posapp.demo.params import DemoParams

MARSHAL_VERSION = 4


def main() -> int:
    gc.disable()
    params = pickle.load(sys.stdin.buffer)
    if not isinstance(params, DemoParams):
        print("expected DemoParams on stdin", file=sys.stderr)
        return 2
    out = sys.stdout.buffer
    for chunk in Generator(params).chunks():
        marshal.dump((chunk.customers_done, chunk.rows), out, MARSHAL_VERSION)
    marshal.dump(None, out, MARSHAL_VERSION)
    out.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
