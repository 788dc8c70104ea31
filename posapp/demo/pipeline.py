"""Generate demo chunks, either here or in a worker process while this process inserts (two cores).

The worker (``python -m posapp.demo.worker``) runs the same :class:`~posapp.demo.generator.Generator` with the
same parameters, so the rows do not depend on where they were made. It is a plain subprocess that reads the
parameters from stdin and writes the chunks to stdout (``marshal``): unlike ``multiprocessing`` it never re-imports the
caller's ``__main__`` and it behaves the same on Windows and Linux. The pipe bounds how far the worker runs
ahead (about one chunk). A frozen build (no Python interpreter to start) generates in-process.
"""

from __future__ import annotations

import marshal
import os
import pickle
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

from posapp.demo.generator import Chunk, Generator
from posapp.demo.params import DemoParams


def can_use_worker() -> bool:
    return not getattr(sys, "frozen", False) and bool(sys.executable)


def chunks(params: DemoParams, *, parallel: bool) -> Iterator[Chunk]:
    if not parallel or not can_use_worker():
        yield from Generator(params).chunks()
        return
    env = dict(os.environ)
    root = str(Path(__file__).resolve().parents[2])  # the folder holding the posapp package
    env["PYTHONPATH"] = os.pathsep.join(p for p in (root, env.get("PYTHONPATH", "")) if p)
    proc = subprocess.Popen([sys.executable, "-m", "posapp.demo.worker"], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    assert proc.stdin is not None and proc.stdout is not None and proc.stderr is not None
    finished = False
    try:
        pickle.dump(params, proc.stdin, protocol=pickle.HIGHEST_PROTOCOL)
        proc.stdin.close()
        while True:
            try:
                item = marshal.load(proc.stdout)
            except EOFError:
                break
            if item is None:
                finished = True
                break
            done, rows = item
            yield Chunk(rows=rows, customers_done=done)
    finally:
        if not finished and proc.poll() is None:
            proc.kill()
        proc.stdout.close()
        errors = proc.stderr.read().decode(errors="replace")
        proc.stderr.close()
        code = proc.wait()
    if not finished or code != 0:
        raise RuntimeError(f"the demo generator process failed (exit code {code}):\n{errors.strip()}")
