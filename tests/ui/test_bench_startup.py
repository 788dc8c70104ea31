"""The startup benchmark's command-line contract (posapp-admin bench startup runs it as a subprocess)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from ui.bench_startup import human


@pytest.mark.slow
def test_json_output(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "ui.bench_startup", "--runs", "1", "--data-dir",
                           str(tmp_path), "--json"], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout)
    assert {"ours_ms", "bare_ms", "ratio", "runs"} <= result.keys()
    assert result["runs"] == 1
    assert result["ours_ms"] > 0 and result["bare_ms"] > 0
    assert result["ratio"] == pytest.approx(result["ours_ms"] / result["bare_ms"], rel=0.01)


def test_bad_runs_is_a_usage_error():
    proc = subprocess.run([sys.executable, "-m", "ui.bench_startup", "--runs", "0"], capture_output=True,
                          text=True, timeout=120)
    assert proc.returncode == 2
    assert "--runs must be at least 1" in proc.stderr


def test_human_text():
    text = human({"ours_ms": 120.0, "bare_ms": 100.0, "ratio": 1.2, "runs": 5, "bytecode_cache": True})
    assert "median of 5 runs" in text and "1.20×" in text and "within the goal" in text
    assert "OVER" in human({"ours_ms": 200.0, "bare_ms": 100.0, "ratio": 2.0, "runs": 5, "bytecode_cache": False})


@pytest.mark.slow
def test_xvfb_mode_runs_on_a_real_x_server(tmp_path):
    import shutil

    from tests.helpers.env import skip_or_fail

    if shutil.which("Xvfb") is None:
        skip_or_fail("Xvfb is not installed (apt-get install xvfb openbox)")
    proc = subprocess.run([sys.executable, "-m", "ui.bench_startup", "--runs", "1", "--data-dir", str(tmp_path),
                           "--json", "--xvfb"], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout)
    assert result["platform"] == "xvfb" and result["goal_ratio"] == 1.3
    assert result["ours_ms"] > 0 and result["bare_ms"] > 0


def test_human_text_names_the_platform():
    text = human({"ours_ms": 120.0, "bare_ms": 100.0, "ratio": 1.2, "runs": 10, "bytecode_cache": True,
                  "platform": "xvfb"})
    assert "Xvfb, QT_QPA_PLATFORM=xcb" in text and "goal of ≤ 1.3×" in text
