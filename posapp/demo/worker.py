"""Worker process for :mod:`posapp.demo.pipeline`: read :class:`DemoParams` (pickled) on stdin, write the
generated chunks (pickled, then ``None``) on stdout."""

from __future__ import annotations

import pickle
import sys

from posapp.demo.generator import DemoParams, Generator


def main() -> int:
    params = pickle.load(sys.stdin.buffer)
    if not isinstance(params, DemoParams):
        print("expected DemoParams on stdin", file=sys.stderr)
        return 2
    out = sys.stdout.buffer
    for chunk in Generator(params).chunks():
        pickle.dump(chunk, out, protocol=pickle.HIGHEST_PROTOCOL)
    pickle.dump(None, out, protocol=pickle.HIGHEST_PROTOCOL)
    out.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
