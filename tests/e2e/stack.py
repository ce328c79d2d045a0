"""Start the real action server and Rasa server on loopback for end-to-end tests."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[2]
MODEL = ROOT / "models" / "current.tar.gz"
BIN = Path(sys.executable).parent


def free_port() -> int:
    """A TCP port nobody listens on now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Stack:
    """Both servers, their URLs and the files they write."""

    workdir: Path
    secret: str = "e2e-secret"
    token: str = "e2e-token"
    rasa_port: int = field(default_factory=free_port)
    actions_port: int = field(default_factory=free_port)
    processes: list[subprocess.Popen[bytes]] = field(default_factory=list)

    @property
    def rasa_url(self) -> str:
        return f"http://127.0.0.1:{self.rasa_port}"

    @property
    def billing_url(self) -> str:
        return f"sqlite:///{self.workdir / 'billing.db'}"

    def env(self) -> dict[str, str]:
        return {
            **os.environ,
            "BILLING_DATABASE_URL": self.billing_url,
            "BILLING_SEED_PATH": str(ROOT / "data" / "billing" / "demo-customers.yml"),
            "SMS_GATEWAY_SECRET": self.secret,
            "TRACKER_DIALECT": "sqlite",
            "TRACKER_DB": str(self.workdir / "trackers.db"),
            "ACTION_ENDPOINT_URL": f"http://127.0.0.1:{self.actions_port}/webhook",
            "RASA_TELEMETRY_ENABLED": "false",
            "TF_CPP_MIN_LOG_LEVEL": "2",
        }

    def start(self) -> None:
        if not MODEL.exists():
            raise RuntimeError(f"no trained model at {MODEL}: run scripts/install first")
        env = self.env()
        subprocess.run(
            [str(BIN / "telecom-assistant"), "seed", "--reset"],
            env=env,
            check=True,
            cwd=ROOT,
            capture_output=True,
        )
        self._spawn(
            "actions",
            [
                str(BIN / "rasa"),
                "run",
                "actions",
                "--actions",
                "actions",
                "--port",
                str(self.actions_port),
            ],
            env,
        )
        self._spawn(
            "rasa",
            [
                str(BIN / "rasa"),
                "run",
                "--model",
                str(MODEL),
                "--endpoints",
                "endpoints.yml",
                "--credentials",
                "credentials.yml",
                "--interface",
                "127.0.0.1",
                "--port",
                str(self.rasa_port),
                "--enable-api",
                "--auth-token",
                self.token,
            ],
            env,
        )
        self._wait(f"http://127.0.0.1:{self.actions_port}/health")
        self._wait(f"{self.rasa_url}/webhooks/sms/")

    def _spawn(self, name: str, command: list[str], env: dict[str, str]) -> None:
        log = (self.workdir / f"{name}.log").open("wb")
        self.processes.append(
            subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        )

    def _wait(self, url: str, timeout: float = 240.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if any(p.poll() is not None for p in self.processes):
                raise RuntimeError(f"a server exited; logs in {self.workdir}")
            try:
                if httpx.get(url, timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.5)
        raise RuntimeError(f"{url} not ready after {timeout}s; logs in {self.workdir}")

    def restart_conversation(self, sender: str) -> None:
        """Reset a conversation through Rasa's (token-protected) HTTP API."""
        response = httpx.post(
            f"{self.rasa_url}/conversations/{sender}/tracker/events",
            params={"token": self.token},
            json={"event": "restart"},
            timeout=30,
        )
        response.raise_for_status()

    def stop(self) -> None:
        for process in self.processes:
            process.terminate()
        for process in self.processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
