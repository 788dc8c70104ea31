"""Startup benchmark: process start → login window shown, beside a bare PySide6 QMainWindow started the same way.

    python -m ui.bench_startup --runs N [--data-dir D] [--json] [--xvfb]

Each run spawns a fresh interpreter with ``QT_QPA_PLATFORM=offscreen`` (``--xvfb``: on a real X server instead —
this module starts ``Xvfb :N`` itself, with the ``openbox`` window manager when it is installed, and the children
get ``DISPLAY=:N`` and ``QT_QPA_PLATFORM=xcb``; both are stopped at the end): ours is ``python -m ui.app --data-dir D
--exit-when-shown`` (it prints a marker right after the login window's first paint, then quits); the bare one is
``python -c <script>`` that shows an empty 1280×800 QMainWindow and prints the same marker after its first paint.
The clock runs in this process from just before the spawn until the marker line arrives, so interpreter start-up
and imports are included for both. The two kinds alternate run by run; one warm-up run of each is discarded.

Both children get the same environment. Bytecode caching is on (as for an installed or frozen app, which ships
its ``.pyc`` files), kept in a temporary ``PYTHONPYCACHEPREFIX`` that the warm-up runs fill, even when the
caller has ``PYTHONDONTWRITEBYTECODE`` set; ``--no-bytecode-cache`` measures the compile-every-start case instead.
``posapp-admin bench startup`` calls this module with ``--runs``, ``--data-dir`` and ``--json``.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

from ui.app import SHOWN_MARKER, WINDOW_SIZE

GOAL_RATIO = 1.5
XVFB_GOAL_RATIO = 1.3
TIMEOUT_S = 60.0
X_START_TIMEOUT_S = 20.0

BARE_SCRIPT = f"""
import sys
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow

app = QApplication(sys.argv[:1])
window = QMainWindow()
window.resize({WINDOW_SIZE[0]}, {WINDOW_SIZE[1]})

class FirstPaint(QObject):
    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            QTimer.singleShot(0, shown)
        return False

def shown():
    print({SHOWN_MARKER!r}, flush=True)
    app.quit()

first_paint = FirstPaint()
window.installEventFilter(first_paint)
window.show()
sys.exit(app.exec())
"""


class BenchError(RuntimeError):
    pass


def time_to_marker(cmd: Sequence[str], *, env: dict[str, str]) -> float:
    """Milliseconds from spawning ``cmd`` to the marker line on its stdout."""
    start = time.perf_counter()
    proc = subprocess.Popen(list(cmd), stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, text=True)
    elapsed: float | None = None
    try:
        assert proc.stdout is not None
        for line in proc.stdout:
            if line.strip() == SHOWN_MARKER:
                elapsed = (time.perf_counter() - start) * 1000
                break
        _, err = proc.communicate(timeout=TIMEOUT_S)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        raise BenchError(f"{cmd[1:3]} did not exit within {TIMEOUT_S:.0f} s") from None
    if elapsed is None or proc.returncode != 0:
        tail = "\n".join((err or "").strip().splitlines()[-5:])
        raise BenchError(f"{' '.join(cmd[:3])}… exited {proc.returncode} without showing its window\n{tail}")
    return elapsed


@contextlib.contextmanager
def xvfb_display() -> Iterator[dict[str, str]]:
    """Start ``Xvfb`` on a free display (it picks one and reports it on ``-displayfd``) and ``openbox`` on it when
    installed; yield the environment the children need; stop both (they are this process's children)."""
    xvfb = shutil.which("Xvfb")
    if xvfb is None:
        raise BenchError("Xvfb is not installed (apt-get install xvfb; openbox for a window manager)")
    read_fd, write_fd = os.pipe()
    server = subprocess.Popen([xvfb, "-displayfd", str(write_fd), "-screen", "0", "1920x1080x24", "-nolisten",
                               "tcp"], pass_fds=(write_fd,), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    os.close(write_fd)
    wm: subprocess.Popen[bytes] | None = None
    try:
        display = _read_display(read_fd, server)
        env = {"DISPLAY": f":{display}", "QT_QPA_PLATFORM": "xcb"}
        openbox = shutil.which("openbox")
        if openbox is not None:
            wm = subprocess.Popen([openbox, "--sm-disable"], env={**os.environ, **env},
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            time.sleep(0.5)  # let it take the screen before the first window maps (the warm-up runs follow)
        yield env
    finally:
        os.close(read_fd)
        for proc in (wm, server):
            if proc is not None and proc.poll() is None:
                proc.terminate()
                try:
                    proc.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait()
        if server.stderr is not None:
            server.stderr.close()


def _read_display(fd: int, server: subprocess.Popen[bytes]) -> str:
    deadline = time.monotonic() + X_START_TIMEOUT_S
    text = b""
    os.set_blocking(fd, False)
    while not text.endswith(b"\n"):
        if server.poll() is not None:
            err = server.stderr.read().decode(errors="replace") if server.stderr else ""
            raise BenchError(f"Xvfb exited {server.returncode}: {err.strip()[-300:]}")
        if time.monotonic() > deadline:
            raise BenchError(f"Xvfb did not start within {X_START_TIMEOUT_S:.0f} s")
        try:
            text += os.read(fd, 16)
        except BlockingIOError:
            time.sleep(0.02)
    return text.decode().strip()


def child_env(pycache: Path | None, display: dict[str, str] | None = None) -> dict[str, str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", **(display or {})}
    if pycache is None:
        env["PYTHONDONTWRITEBYTECODE"] = "1"
        env.pop("PYTHONPYCACHEPREFIX", None)
    else:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(pycache)
    return env


def measure(*, runs: int, data_dir: Path, pycache: Path | None,
            display: dict[str, str] | None = None) -> dict[str, object]:
    env = child_env(pycache, display)
    ours_cmd = [sys.executable, "-m", "ui.app", "--data-dir", str(data_dir), "--exit-when-shown"]
    bare_cmd = [sys.executable, "-c", BARE_SCRIPT]
    time_to_marker(ours_cmd, env=env)  # warm-up (file cache), discarded
    time_to_marker(bare_cmd, env=env)
    ours: list[float] = []
    bare: list[float] = []
    for i in range(runs):
        pair = ((ours, ours_cmd), (bare, bare_cmd))
        for samples, cmd in pair if i % 2 == 0 else reversed(pair):
            samples.append(time_to_marker(cmd, env=env))
    ours_ms, bare_ms = statistics.median(ours), statistics.median(bare)
    return {"ours_ms": round(ours_ms, 1), "bare_ms": round(bare_ms, 1), "ratio": round(ours_ms / bare_ms, 3),
            "runs": runs, "goal_ratio": XVFB_GOAL_RATIO if display else GOAL_RATIO,
            "ours_runs_ms": [round(x, 1) for x in ours], "bare_runs_ms": [round(x, 1) for x in bare],
            "platform": "xvfb" if display else "offscreen",
            "bytecode_cache": pycache is not None}


def human(result: dict[str, object]) -> str:
    ratio = float(result["ratio"])  # type: ignore[arg-type]
    xvfb = result.get("platform") == "xvfb"
    goal = XVFB_GOAL_RATIO if xvfb else GOAL_RATIO
    verdict = "within" if ratio <= goal else "OVER"
    where = "Xvfb, QT_QPA_PLATFORM=xcb" if xvfb else "QT_QPA_PLATFORM=offscreen"
    return "\n".join((
        f"Startup to login window shown ({where}, median of {result['runs']} runs, "
        f"bytecode cache {'on' if result['bytecode_cache'] else 'off'}):",
        f"  posapp login window  {result['ours_ms']:>8} ms",
        f"  bare QMainWindow     {result['bare_ms']:>8} ms",
        f"  ratio                {ratio:>8.2f}×  ({verdict} the goal of ≤ {goal}×)",
    ))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ui.bench_startup", description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7, help="measured runs of each (default 7)")
    parser.add_argument("--data-dir", help="data folder for the app (default: a new temporary folder)")
    parser.add_argument("--json", action="store_true", help="print one JSON document")
    parser.add_argument("--no-bytecode-cache", action="store_true",
                        help="children compile every module at every start (PYTHONDONTWRITEBYTECODE=1)")
    parser.add_argument("--xvfb", action="store_true",
                        help="on a real X server: start Xvfb (and openbox if installed), children use xcb")
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    try:
        with tempfile.TemporaryDirectory(prefix="posapp-bench-") as tmp:
            data_dir = Path(args.data_dir) if args.data_dir else Path(tmp) / "data"
            pycache = None if args.no_bytecode_cache else Path(tmp) / "pycache"
            with xvfb_display() if args.xvfb else contextlib.nullcontext() as display:
                result = measure(runs=args.runs, data_dir=data_dir, pycache=pycache, display=display)
    except BenchError as exc:
        print(f"bench startup failed: {exc}", file=sys.stderr)
        return 1
    print(json.dumps(result) if args.json else human(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
