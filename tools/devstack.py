"""Start and stop the action server and the Rasa server as background processes.

The agent console (``telecom-assistant console``) runs too (unless ``console=False``),
started once Rasa answers. With ``TELEGRAM_BOT_TOKEN`` in the stack's settings the Telegram
bridge (``telecom-assistant telegram``) runs as well.

Used by ``telecom-assistant up/down`` (``scripts/run`` and ``scripts/stop``), by the
end-to-end tests (on free loopback ports with their own databases) and by
the benchmark.

Secrets travel in the environment, never on a command line (``ps`` shows those):
the secret of Rasa's API (``RASA_JWT_SECRET``, which ``bot.rasa_ext.server`` hands to
Rasa; the console and the notice scheduler sign JWTs with it; made for the stack when
missing), the optional ``RASA_AUTH_TOKEN`` and the action server's shared secret
(``ACTION_SERVER_TOKEN``, see ``bot.rasa_ext.action_server``).
"""

from __future__ import annotations

import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from bot.rasa_ext.action_server import TOKEN_ENV, token_from_env
from bot.rasa_ext.server import JWT_ENV

BIN = Path(sys.executable).parent
# Settings endpoints.yml reads besides the stack's own: one machine's defaults
# (no tracker-store server, in-memory lock store); tools/scaleout.py sets them for PostgreSQL/Redis.
ENDPOINT_DEFAULTS = {
    "TRACKER_HOST": "",
    "TRACKER_USER": "",
    "TRACKER_PASSWORD": "",
    "TRACKER_LOGIN_DB": "",
    "LOCK_STORE_TYPE": "in_memory",
    "LOCK_STORE_HOST": "localhost",
    "LOCK_STORE_PORT": "6379",
    "LOCK_STORE_DB": "1",
    "LOCK_STORE_PASSWORD": "",
}


def wait_until_ok(
    url: str, timeout: float, check: Callable[[], None] = lambda: None, hint: str = ""
) -> None:
    """Wait until ``url`` answers 200; ``check`` raises to give up early (a process died)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        check()
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"{url} not ready after {timeout}s{hint}")


def free_port() -> int:
    """A TCP port nobody listens on now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Stack:
    """Both servers, with the settings they are started with.

    ``env`` holds every setting the servers read (database URLs, secrets,
    tracker store, action endpoint); ``workdir`` receives logs and pid files.
    Without ``ACTION_SERVER_TOKEN`` in ``env`` or the environment, the stack makes
    one for its own two servers (a test's stack); one that is set must be valid.
    """

    root: Path
    workdir: Path
    model: Path
    env: dict[str, str]
    rasa_port: int = field(default_factory=free_port)
    actions_port: int = field(default_factory=free_port)
    host: str = "127.0.0.1"
    console_port: int = field(default_factory=free_port)
    console: bool = True  # False: no agent console (a scale-out node; tools/scaleout.py)
    # The notice scheduler (``telecom-assistant notices``); ``up`` runs it, tests opt in.
    notices: bool = False
    # Rasa as it comes: ``rasa run`` without bot/rasa_ext/tuning, with these endpoints
    # (scripts/benchmark.py --stock measures the run-time fixes this way).
    stock_endpoints: Path | None = None
    processes: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)
    _commands: dict[str, tuple[list[str], dict[str, str]]] = field(default_factory=dict)

    @property
    def rasa_url(self) -> str:
        return f"http://127.0.0.1:{self.rasa_port}"

    @property
    def console_url(self) -> str:
        host = self.env.get("CONSOLE_HOST", "127.0.0.1")
        return f"http://{'127.0.0.1' if host in ('0.0.0.0', '::') else host}:{self.console_port}"

    @property
    def token(self) -> str:
        return self.env["RASA_AUTH_TOKEN"]

    @property
    def jwt_secret(self) -> str:
        """What Rasa's API checks JWTs with (``RasaAdminClient``'s secret)."""
        if JWT_ENV not in self.env:  # kept: a revived server and the console get the same
            self.env[JWT_ENV] = os.environ.get(JWT_ENV) or secrets.token_hex(32)
        return self.env[JWT_ENV]

    def _full_env(self) -> dict[str, str]:
        env = {
            **ENDPOINT_DEFAULTS,
            **os.environ,
            "RASA_TELEMETRY_ENABLED": "false",
            "TF_CPP_MIN_LOG_LEVEL": "2",
            "ACTION_ENDPOINT_URL": f"http://127.0.0.1:{self.actions_port}/webhook",
            **self.env,
        }
        env[JWT_ENV] = self.jwt_secret
        if TOKEN_ENV not in env:  # kept in self.env: a revived server gets the same one
            env[TOKEN_ENV] = self.env[TOKEN_ENV] = secrets.token_hex(24)
        token_from_env(env)  # refuses a short or empty one, saying how to set it
        return env

    def start(self, timeout: float = 240.0) -> None:
        """Start both servers and wait until they answer."""
        if not self.model.exists():
            raise RuntimeError(f"no trained model at {self.model}: run scripts/install first")
        self.workdir.mkdir(parents=True, exist_ok=True)
        env = self._full_env()
        # On ACTIONS_HOST (default loopback), refusing callers without ACTION_SERVER_TOKEN.
        self._spawn(
            "actions",
            [
                sys.executable,
                "-m",
                "bot.rasa_ext.action_server",
                "--actions",
                "actions",
                "--port",
                str(self.actions_port),
                "--logging-config-file",
                "logging.yml",
            ],
            env,
        )
        if self.stock_endpoints is None:  # bot.rasa_ext.server adds --auth-token from the env
            server = [sys.executable, "-m", "bot.rasa_ext.server", "run"]
            server += ["--endpoints", "endpoints.yml"]
        else:  # plain Rasa cannot read it: the benchmark's token is on its command line
            stock = "from bot.rasa_ext.server import stock_main; stock_main()"  # + the bundle
            server = [sys.executable, "-c", stock, "run", "--endpoints", str(self.stock_endpoints)]
            server += ["--auth-token", self.token]
        self._spawn(
            "rasa",
            [
                *server,
                "--model",
                str(self.model),
                "--credentials",
                "credentials.yml",
                "--interface",
                self.host,
                "--port",
                str(self.rasa_port),
                "--enable-api",
                "--logging-config-file",
                "logging.yml",
            ],
            # Stock Rasa: the project's policies run Rasa's own code too.
            env if self.stock_endpoints is None else {**env, "RASA_TUNING": "off"},
        )
        self._wait(f"http://127.0.0.1:{self.actions_port}/health", timeout)
        self._wait(f"{self.rasa_url}/webhooks/sms/", timeout)
        if self.console:
            console_env = {**env, "RASA_URL": self.rasa_url, "CONSOLE_PORT": str(self.console_port)}
            self._spawn("console", [sys.executable, "-m", "bot.cli", "console"], console_env)
            self._wait(f"{self.console_url}/health", timeout)
        if self.notices:  # sweeps billing and triggers notices through Rasa's API
            command = [sys.executable, "-m", "bot.cli", "notices"]
            self._spawn("notices", command, {**env, "RASA_URL": self.rasa_url})
            self._settle("notices")
        if self.runs_telegram:
            command = [sys.executable, "-m", "bot.cli", "telegram"]
            self._spawn("telegram", command, {**env, "RASA_URL": self.rasa_url})
            self._settle("telegram")

    @property
    def runs_telegram(self) -> bool:
        """Whether the stack runs the Telegram bridge (it has a bot token)."""
        return bool(self.env.get("TELEGRAM_BOT_TOKEN"))

    def _settle(self, name: str, seconds: float = 2.0) -> None:
        """Fail now if the process exits in its first seconds (a bad setting)."""
        try:
            self.processes[name].wait(timeout=seconds)
        except subprocess.TimeoutExpired:
            return
        raise RuntimeError(f"{name} exited; see {self.workdir / name}.log")

    def _spawn(self, name: str, command: list[str], env: dict[str, str]) -> None:
        log = (self.workdir / f"{name}.log").open("ab")
        process = subprocess.Popen(
            command,
            cwd=self.root,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.processes[name] = process
        self._commands[name] = (command, env)
        (self.workdir / f"{name}.pid").write_text(str(process.pid))

    def kill(self, name: str) -> None:
        """Stop one process (e.g. to test what customers see when the action server dies)."""
        process = self.processes.pop(name)
        _terminate(process.pid, process)

    def revive(self, name: str, ready_url: str, timeout: float = 240.0) -> None:
        """Start a process stopped with ``kill`` again and wait until ``ready_url`` answers."""
        command, env = self._commands[name]
        self._spawn(name, command, env)
        self._wait(ready_url, timeout)

    def _wait(self, url: str, timeout: float) -> None:
        wait_until_ok(url, timeout, self._check_running, f"; logs in {self.workdir}")

    def _check_running(self) -> None:
        for name, process in self.processes.items():
            if process.poll() is not None:
                raise RuntimeError(f"{name} exited; see {self.workdir / name}.log")

    def pids(self) -> dict[str, int]:
        """Server pids, from this object or from the pid files of an earlier ``up``."""
        found = {name: p.pid for name, p in self.processes.items()}
        for name in ("rasa", "actions", "console", "telegram", "notices"):
            pid_file = self.workdir / f"{name}.pid"
            if name not in found and pid_file.exists():
                found[name] = int(pid_file.read_text())
        return found

    def stop(self) -> None:
        """Stop the servers, the console and the bridge (also when started by another process)."""
        for name, pid in self.pids().items():
            _terminate(pid, self.processes.get(name))
            (self.workdir / f"{name}.pid").unlink(missing_ok=True)
        self.processes.clear()


def _terminate(pid: int, child: subprocess.Popen[bytes] | None, grace: float = 20.0) -> None:
    try:
        os.killpg(pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    if child is not None:  # our own child: wait for it, or it lingers as a zombie
        try:
            child.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            os.killpg(pid, signal.SIGKILL)
            child.wait()
        return
    deadline = time.monotonic() + grace
    while time.monotonic() < deadline:
        try:
            os.killpg(pid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.2)
    os.killpg(pid, signal.SIGKILL)
