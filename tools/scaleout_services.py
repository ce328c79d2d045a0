"""PostgreSQL, Redis and nginx from Debian packages, run on loopback for tools/scaleout.py.

Each service keeps its data, log and pid file in its own directory and is stopped with
its own tool (``pg_ctl stop``, Redis ``SHUTDOWN``, ``nginx -s stop``), so a later
process can stop what an earlier one started. Run as root, PostgreSQL runs as the
``postgres`` user that its package creates.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import string
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import psycopg2
import redis
from psycopg2 import sql

# Debian package -> a program it installs.
PACKAGES = {"postgresql": "initdb", "redis-server": "redis-server", "nginx": "nginx"}
_SBIN = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
# nginx's workers run as an unprivileged user that cannot write into the
# cluster's private temporary folder: keep request and response bodies (a
# conversation's tracker goes to the action servers) in memory instead.
IN_MEMORY_BUFFERS = (
    "    client_body_buffer_size 4m;\n    client_max_body_size 4m;\n"
    "    proxy_buffer_size 64k;\n    proxy_buffers 64 64k;\n"
    "    proxy_busy_buffers_size 128k;\n    proxy_max_temp_file_size 0;\n"
)


def program(name: str) -> str | None:
    """Path of ``name``; PostgreSQL's server programs from Debian's newest version."""
    versions = sorted(
        (p for p in Path("/usr/lib/postgresql").glob(f"*/bin/{name}") if p.parts[3].isdigit()),
        key=lambda p: int(p.parts[3]),
    )
    if versions:
        return str(versions[-1])
    return shutil.which(name, path=f"{os.environ.get('PATH', '')}:{_SBIN}")


def ensure_packages(packages: tuple[str, ...] = tuple(PACKAGES)) -> None:
    """``apt-get install`` those of ``packages`` whose programs are missing (root or sudo)."""
    missing = [package for package in packages if program(PACKAGES[package]) is None]
    if not missing:
        return
    sudo = [] if os.geteuid() == 0 else ["sudo"]
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    print(f"==> installing {' '.join(missing)} from Debian packages", flush=True)
    subprocess.run([*sudo, "apt-get", "update", "-qq"], check=True, env=env)
    subprocess.run([*sudo, "apt-get", "install", "-y", "-qq", *missing], check=True, env=env)


def run(command: list[str], log: Path) -> None:
    """Run ``command`` with its output appended to ``log``; fail with the log's tail."""
    with log.open("ab") as out:
        done = subprocess.run(command, stdout=out, stderr=subprocess.STDOUT, check=False)
    if done.returncode != 0:
        tail = log.read_text(errors="replace")[-2000:]
        raise RuntimeError(f"{' '.join(command[:3])} failed ({done.returncode}):\n{tail}")


@dataclass
class Postgres:
    """A PostgreSQL cluster of its own in ``datadir``, on 127.0.0.1:``port``."""

    datadir: Path
    port: int
    password: str
    user: str = "telecom"

    def url(self, database: str) -> str:
        return f"postgresql+psycopg2://{self.user}:{self.password}@127.0.0.1:{self.port}/{database}"

    def _as_owner(self, name: str, *args: str) -> list[str]:
        command = [program(name) or name, *args]
        return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command

    @property
    def _log(self) -> Path:
        return self.datadir.parent / "postgres.log"

    @property
    def _data(self) -> str:
        return str(self.datadir / "data")

    def _init(self) -> None:
        if (self.datadir / "data" / "PG_VERSION").exists():
            return
        # datadir holds the server's log and, for initdb only, the password file;
        # the cluster itself is datadir/data (initdb wants a directory of its own).
        self.datadir.mkdir(parents=True, exist_ok=True)
        pwfile = self.datadir / "pwfile"
        pwfile.touch(mode=0o600)
        pwfile.write_text(self.password + "\n")
        if os.geteuid() == 0:
            shutil.chown(self.datadir, "postgres")
            shutil.chown(pwfile, "postgres")
        try:
            run(
                self._as_owner(
                    "initdb",
                    "-D",
                    self._data,
                    "-U",
                    self.user,
                    f"--pwfile={pwfile}",
                    "--auth=scram-sha-256",
                    "-E",
                    "UTF8",
                    "--locale=C.UTF-8",
                ),
                self._log,
            )
        finally:
            pwfile.unlink()

    def running(self) -> bool:
        if not (self.datadir / "data").exists():
            return False
        command = self._as_owner("pg_ctl", "status", "-D", self._data)
        return subprocess.run(command, capture_output=True, check=False).returncode == 0

    def start(self) -> None:
        """Create the cluster the first time, then start it (no-op when running)."""
        self._init()
        if self.running():
            return
        options = (
            f"-p {self.port} -k {self._data} -c listen_addresses=127.0.0.1 -c max_connections=200"
        )
        run(
            self._as_owner(
                "pg_ctl",
                "start",
                "-w",
                "-t",
                "60",
                "-D",
                self._data,
                "-l",
                str(self.datadir / "server.log"),
                "-o",
                options,
            ),
            self._log,
        )

    def stop(self) -> None:
        if self.running():
            run(self._as_owner("pg_ctl", "stop", "-m", "fast", "-w", "-D", self._data), self._log)

    def create_database(self, name: str) -> None:
        """Create database ``name`` unless it exists."""
        connection = psycopg2.connect(
            host="127.0.0.1",
            port=self.port,
            user=self.user,
            password=self.password,
            dbname="postgres",
        )
        try:
            connection.autocommit = True
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,))
                if cursor.fetchone() is None:
                    cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        finally:
            connection.close()


@dataclass
class Redis:
    """A Redis without persistence on 127.0.0.1:``port``, with a password."""

    workdir: Path
    port: int
    password: str

    def client(self, db: int = 0) -> redis.Redis:
        return redis.Redis(
            host="127.0.0.1", port=self.port, password=self.password, db=db, socket_timeout=2
        )

    def running(self) -> bool:
        try:
            return bool(self.client().ping())
        except redis.RedisError:
            return False

    def start(self, timeout: float = 20.0) -> None:
        if self.running():
            return
        self.workdir.mkdir(parents=True, exist_ok=True)
        conf = self.workdir / "redis.conf"
        conf.touch(mode=0o600)
        conf.write_text(
            f"port {self.port}\nbind 127.0.0.1\nrequirepass {self.password}\n"
            f"daemonize yes\npidfile {self.workdir / 'redis.pid'}\n"
            f"logfile {self.workdir / 'redis.log'}\ndir {self.workdir}\n"
            'save ""\nappendonly no\n'
        )
        run([program("redis-server") or "redis-server", str(conf)], self.workdir / "redis.log")
        deadline = time.monotonic() + timeout
        while not self.running():
            if time.monotonic() > deadline:
                raise RuntimeError(f"Redis not ready; see {self.workdir / 'redis.log'}")
            time.sleep(0.2)

    def stop(self) -> None:
        with contextlib.suppress(redis.RedisError):  # not running, or gone as it answered
            self.client().shutdown(nosave=True)


@dataclass
class Nginx:
    """nginx with ``template`` rendered from ``variables`` and a main config of its own."""

    workdir: Path
    template: Path
    variables: dict[str, str]

    @property
    def access_log(self) -> Path:
        return self.workdir / "access.log"

    def _command(self, *args: str) -> list[str]:
        conf = str(self.workdir / "nginx.conf")
        return [program("nginx") or "nginx", "-p", str(self.workdir), "-c", conf, *args]

    def _render(self) -> None:
        (self.workdir / "tmp").mkdir(parents=True, exist_ok=True)
        variables = {**self.variables, "ACCESS_LOG": str(self.access_log)}
        site = string.Template(self.template.read_text()).safe_substitute(variables)
        (self.workdir / "site.conf").write_text(site)
        tmp = self.workdir / "tmp"
        temp_paths = "".join(
            f"    {kind}_temp_path {tmp / kind};\n"
            for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
        )
        (self.workdir / "nginx.conf").write_text(
            "# Written by tools/scaleout_services.py; the servers are in site.conf.\n"
            f"worker_processes 2;\npid {self.workdir / 'nginx.pid'};\n"
            f"error_log {self.workdir / 'error.log'} warn;\n"
            "events { worker_connections 1024; }\n"
            f"http {{\n{temp_paths}{IN_MEMORY_BUFFERS}"
            f"    include {self.workdir / 'site.conf'};\n}}\n"
        )

    def start(self) -> None:
        self._render()
        log = self.workdir / "error.log"
        run(self._command("-t", "-q", "-e", str(log)), log)
        run(self._command("-e", str(log)), log)  # daemonises once listening

    def running(self) -> bool:
        pid_file = self.workdir / "nginx.pid"
        try:
            os.kill(int(pid_file.read_text()), 0)
        except (FileNotFoundError, ValueError, ProcessLookupError):
            pid_file.unlink(missing_ok=True)
            return False
        return True

    def stop(self, timeout: float = 10.0) -> None:
        pid_file = self.workdir / "nginx.pid"
        if not self.running():
            return
        run(
            self._command("-s", "stop", "-e", str(self.workdir / "error.log")),
            self.workdir / "error.log",
        )
        deadline = time.monotonic() + timeout
        while pid_file.exists() and time.monotonic() < deadline:
            time.sleep(0.1)
