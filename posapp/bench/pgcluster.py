"""A throwaway PostgreSQL cluster from Debian's ``postgresql`` binaries (initdb + pg_ctl) on a free local port.

Used by ``posapp-admin bench sync`` when no ``--url`` is given (and usable by tests). As root the server runs as the
``postgres`` system user (PostgreSQL refuses to run as root). Everything is removed afterwards.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


class ClusterUnavailable(RuntimeError):
    """PostgreSQL is not installed here, or the server could not start (the message says which)."""


def pg_bindir() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(Path(p).parts[-3]))
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def throwaway_cluster(*, fsync: bool = False) -> Iterator[str]:
    """Start a cluster; yield its SQLAlchemy URL (psycopg 3, user ``postgres``, trust auth on 127.0.0.1)."""
    bindir = pg_bindir()
    if bindir is None:
        raise ClusterUnavailable("PostgreSQL is not installed (apt-get install postgresql)")
    as_user: list[str] = []
    workdir = Path(tempfile.mkdtemp(prefix="posapp-pg-"))
    try:
        if os.geteuid() == 0:
            import pwd

            try:
                pg = pwd.getpwnam("postgres")
            except KeyError:
                raise ClusterUnavailable("running as root and there is no 'postgres' user to run the server as") \
                    from None
            os.chown(workdir, pg.pw_uid, pg.pw_gid)
            as_user = ["runuser", "-u", "postgres", "--"]
        datadir, port = workdir / "data", free_port()

        def run(*args: str) -> None:
            subprocess.run([*as_user, *args], check=True, capture_output=True, timeout=120)

        try:
            run(str(bindir / "initdb"), "-D", str(datadir), "-A", "trust", "-U", "postgres", "-E", "UTF8",
                "--no-sync")
            run(str(bindir / "pg_ctl"), "-D", str(datadir), "-l", str(workdir / "server.log"), "-w", "-t", "60",
                "-o", f"-p {port} -k {workdir} -c listen_addresses=127.0.0.1 -c fsync={'on' if fsync else 'off'}",
                "start")
        except subprocess.CalledProcessError as exc:
            log = workdir / "server.log"
            detail = log.read_text(errors="replace")[-2000:] if log.exists() else exc.stderr.decode(errors="replace")
            raise ClusterUnavailable(f"could not start a PostgreSQL server: {exc}\n{detail}") from exc
        try:
            yield f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres"
        finally:
            run(str(bindir / "pg_ctl"), "-D", str(datadir), "-m", "fast", "-w", "stop")
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


@contextmanager
def fresh_database(server_url: str, *, prefix: str) -> Iterator[str]:
    """A new, empty database ``<prefix>_<random>`` on the server; its URL. Dropped afterwards (even if in use)."""
    import uuid

    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    name = f"{prefix}_{uuid.uuid4().hex[:8]}"
    admin = create_engine(server_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f"CREATE DATABASE {name}"))
        try:
            yield make_url(server_url).set(database=name).render_as_string(hide_password=False)
        finally:
            with admin.connect() as conn:
                conn.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
    finally:
        admin.dispose()
