"""Kannel (``bearerbox`` + ``smsbox``, Debian package ``kannel``) on loopback, for tests and demos.

``KannelSetup`` renders the kannel.conf that docs/sms-gateways.md documents: an HTTP
SMSC of ``system-type = kannel`` whose operator side is ``send_url`` (mobile-terminated
messages arrive there as ``GET ?username&password&to&text&from&coding&charset&udh&
dlr-url&dlr-mask``; mobile-originated ones are sent to ``/sms`` on ``smsc_port``), one
``sms-service`` that POSTs every message to the assistant, and one ``sendsms-user``
the assistant sends through. ``Kannel.start`` writes it under a work directory and
runs both boxes as subprocesses; ``stop`` ends them.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

from tools.devstack import free_port

PACKAGE = "kannel"
_SBIN = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"


def program(name: str) -> str | None:
    """Path of ``bearerbox`` or ``smsbox`` (they live in /usr/sbin)."""
    return shutil.which(name, path=f"{os.environ.get('PATH', '')}:{_SBIN}")


def ensure_kannel() -> None:
    """``apt-get install kannel`` if ``bearerbox`` is missing (root or sudo); raises on failure."""
    if program("bearerbox") and program("smsbox"):
        return
    sudo = [] if os.geteuid() == 0 else ["sudo"]
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    print("==> installing kannel from Debian packages", flush=True)
    subprocess.run([*sudo, "apt-get", "update", "-qq"], check=True, env=env)
    subprocess.run([*sudo, "apt-get", "install", "-y", "-qq", PACKAGE], check=True, env=env)
    if not (program("bearerbox") and program("smsbox")):
        raise RuntimeError("kannel installed but bearerbox/smsbox not found")


@dataclass
class KannelSetup:
    """Everything kannel.conf says; ports default to free loopback ports."""

    post_url: str  # the assistant's inbound route, e.g. .../webhooks/sms/kannel/<secret>?id=%I
    send_url: str  # the operator side's MT endpoint (the simulator in the tests)
    sendsms_user: str = "assistant"
    sendsms_password: str = "sendsms-secret"
    smsc_username: str = "operator"
    smsc_password: str = "operator-secret"
    admin_password: str = "admin-secret"
    admin_port: int = field(default_factory=free_port)
    smsbox_port: int = field(default_factory=free_port)
    sendsms_port: int = field(default_factory=free_port)
    smsc_port: int = field(default_factory=free_port)  # the operator posts MO and DLRs here

    @property
    def sendsms_url(self) -> str:
        return f"http://127.0.0.1:{self.sendsms_port}/cgi-bin/sendsms"

    @property
    def mo_url(self) -> str:
        """Where the operator side delivers mobile-originated messages and reports."""
        return f"http://127.0.0.1:{self.smsc_port}/sms"

    def render(self, workdir: Path) -> str:
        """The kannel.conf text (logs under ``workdir``)."""
        return KANNEL_CONF.format(s=self, workdir=workdir)


KANNEL_CONF = """\
group = core
admin-port = {s.admin_port}
admin-password = {s.admin_password}
admin-allow-ip = "127.0.0.1"
smsbox-port = {s.smsbox_port}
box-allow-ip = "127.0.0.1"
log-file = "{workdir}/bearerbox.log"
log-level = 0
access-log = "{workdir}/access.log"
dlr-storage = internal

group = smsc
smsc = http
smsc-id = operator
system-type = kannel
port = {s.smsc_port}
connect-allow-ip = "127.0.0.1"
smsc-username = {s.smsc_username}
smsc-password = {s.smsc_password}
send-url = "{s.send_url}"
dlr-url = "http://127.0.0.1:{s.smsc_port}/sms?username={s.smsc_username}&password={s.smsc_password}"

group = smsbox
bearerbox-host = 127.0.0.1
bearerbox-port = {s.smsbox_port}
sendsms-port = {s.sendsms_port}
sendsms-interface = 127.0.0.1
log-file = "{workdir}/smsbox.log"
log-level = 0
mo-recode = true
http-request-retry = 3
http-queue-delay = 1

group = sendsms-user
username = {s.sendsms_user}
password = {s.sendsms_password}
user-allow-ip = "127.0.0.1"
concatenation = true
max-messages = 10

group = sms-service
keyword = default
catch-all = true
post-url = "{s.post_url}"
send-sender = true
accept-x-kannel-headers = true
max-messages = 10
concatenation = true
omit-empty = true
"""


@dataclass
class Kannel:
    """``bearerbox`` and ``smsbox`` running on ``setup`` in ``workdir``."""

    setup: KannelSetup
    workdir: Path
    processes: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)

    @property
    def conf(self) -> Path:
        return self.workdir / "kannel.conf"

    def start(self, timeout: float = 30.0) -> None:
        """Write kannel.conf, start both boxes, wait until smsbox's sendsms port answers."""
        ensure_kannel()
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.conf.write_text(self.setup.render(self.workdir), encoding="utf-8")
        self._spawn("bearerbox")
        _wait_for_port(self.setup.smsbox_port, timeout, self._check)
        _wait_for_port(self.setup.smsc_port, timeout, self._check)
        self._spawn("smsbox")
        _wait_for_port(self.setup.sendsms_port, timeout, self._check)

    def _spawn(self, name: str) -> None:
        binary = program(name)
        if binary is None:
            raise RuntimeError(f"{name} is not installed")
        log = (self.workdir / f"{name}.out").open("ab")
        self.processes[name] = subprocess.Popen(
            [binary, str(self.conf)],
            stdout=log,
            stderr=subprocess.STDOUT,
            cwd=self.workdir,
            start_new_session=True,
        )

    def _check(self) -> None:
        for name, process in self.processes.items():
            if process.poll() is not None:
                raise RuntimeError(f"{name} exited; see {self.workdir / name}.log")

    def stop(self) -> None:
        """smsbox first, then bearerbox (each gets a few seconds to end cleanly)."""
        for name in ("smsbox", "bearerbox"):
            process = self.processes.pop(name, None)
            if process is None or process.poll() is not None:
                continue
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


def _wait_for_port(port: int, timeout: float, check: object) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if callable(check):
            check()
        with socket.socket() as sock:
            sock.settimeout(0.5)
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise RuntimeError(f"nothing listens on 127.0.0.1:{port} after {timeout}s")
