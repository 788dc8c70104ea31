"""The core is Qt-free: importing every posapp module loads no PySide6, shiboken6 or ui module (guide §1)."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

# Alembic's env.py is a script alembic runs inside its migration context; importing it on its own fails.
ALEMBIC_SCRIPTS = ("posapp.db.migrations.env", "posapp.central.migrations.env")

_PROBE = textwrap.dedent("""
    import importlib, json, pkgutil, sys, traceback
    import posapp

    SCRIPTS = set(sys.argv[1:])

    imported, failed = [], {}
    def onerror(name):
        failed[name] = traceback.format_exc(limit=5)
    for info in pkgutil.walk_packages(posapp.__path__, prefix="posapp.", onerror=onerror):
        if info.name in SCRIPTS:
            continue
        try:
            importlib.import_module(info.name)
            imported.append(info.name)
        except BaseException:
            failed[info.name] = traceback.format_exc(limit=5)
    forbidden = sorted(name for name in sys.modules
                       if name.split(".")[0] in ("PySide6", "shiboken6", "ui"))
    print(json.dumps({"imported": imported, "failed": failed, "forbidden": forbidden}))
""")


def _probe() -> dict[str, object]:
    # A fresh interpreter: this test process may already have Qt loaded by GUI tests.
    done = subprocess.run([sys.executable, "-c", _PROBE, *ALEMBIC_SCRIPTS],
                          capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, f"the import probe crashed:\n{done.stderr}"
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def test_every_posapp_module_imports_without_qt() -> None:
    result = _probe()
    failed = result["failed"]
    assert isinstance(failed, dict)
    assert not failed, "posapp modules that fail to import:\n" + "\n".join(
        f"--- {name}\n{tb}" for name, tb in failed.items())
    imported = result["imported"]
    assert isinstance(imported, list)
    assert "posapp.services.registry" in imported and len(imported) > 10, imported
    assert result["forbidden"] == [], f"importing posapp loaded Qt/ui modules: {result['forbidden']}"
