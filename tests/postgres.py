"""A throwaway PostgreSQL server for the tests: ``initdb`` in a temporary folder, started with
``pg_ctl`` on a free loopback port, stopped and deleted afterwards.

PostgreSQL refuses to run as root, so under root (CI containers) the cluster belongs to the
``postgres`` system user that Debian's packages create, and the commands run through
``runuser``. Durability is switched off (fsync, synchronous commit, full-page writes): the
data lives only as long as the test session.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import psycopg

# The role the tests connect as (trust authentication on loopback only).
USER = "foglight"
INSTALL_HINT = (
    "PostgreSQL's server programs (initdb, pg_ctl) were not found. The tests run on both "
    "SQLite and PostgreSQL; install it (Debian: apt-get install postgresql) — `.ci/run` does."
)


class PostgresUnavailable(RuntimeError):
    """No PostgreSQL server programs on this machine, or the server did not start."""


def server_programs() -> Path:
    """The folder holding initdb and pg_ctl: on PATH, else the newest Debian install."""
    on_path = shutil.which("initdb")
    if on_path and shutil.which("pg_ctl"):
        return Path(on_path).resolve().parent
    installs = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"),
                      key=lambda p: int(Path(p).parts[-3]))
    if installs:
        return Path(installs[-1]).parent
    raise PostgresUnavailable(INSTALL_HINT)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class PostgresServer:
    folder: Path
    port: int
    bindir: Path
    run_as: str | None  # the system user owning the cluster when we are root

    @property
    def admin_url(self) -> str:
        return f"postgresql://{USER}@127.0.0.1:{self.port}/postgres"

    def url(self, dbname: str) -> str:
        return f"postgresql://{USER}@127.0.0.1:{self.port}/{dbname}"

    def _run(self, *args: str) -> None:
        command = [str(self.bindir / args[0]), *args[1:]]
        if self.run_as is not None:
            command = ["runuser", "-u", self.run_as, "--", *command]
        result = subprocess.run(command, capture_output=True, text=True, check=False)
        if result.returncode != 0:
            raise PostgresUnavailable(
                f"{' '.join(args[:2])} failed ({result.returncode}): "
                f"{result.stderr.strip() or result.stdout.strip()}"
            )

    def create_database(self, dbname: str) -> str:
        with psycopg.connect(self.admin_url, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{dbname}"')
        return self.url(dbname)

    def drop_database(self, dbname: str) -> None:
        with psycopg.connect(self.admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)')

    def stop(self) -> None:
        try:
            self._run("pg_ctl", "stop", "-D", str(self.folder / "data"), "-m", "immediate")
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)


def start() -> PostgresServer:
    """Create and start a cluster; the caller stops it."""
    bindir = server_programs()
    run_as = None
    if os.geteuid() == 0:
        try:
            owner = pwd.getpwnam("postgres")
        except KeyError as exc:
            raise PostgresUnavailable(
                "running as root, and there is no `postgres` system user to own the test "
                "cluster (PostgreSQL refuses root). " + INSTALL_HINT
            ) from exc
        run_as = owner.pw_name
    folder = Path(tempfile.mkdtemp(prefix="foglight-pg-"))
    if run_as is not None:
        os.chown(folder, owner.pw_uid, owner.pw_gid)
    server = PostgresServer(folder, _free_port(), bindir, run_as)
    try:
        server._run("initdb", "-D", str(folder / "data"), "-U", USER, "-A", "trust",
                    "--no-locale", "-E", "UTF8", "--no-sync")
        options = " ".join([
            f"-p {server.port}",
            "-c listen_addresses=127.0.0.1",
            f"-c unix_socket_directories={folder}",
            "-c fsync=off", "-c synchronous_commit=off", "-c full_page_writes=off",
        ])
        server._run("pg_ctl", "start", "-D", str(folder / "data"), "-w", "-t", "60",
                    "-l", str(folder / "server.log"), "-o", options)
    except PostgresUnavailable:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return server
