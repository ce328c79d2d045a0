"""scripts/env.sh: secrets set in the environment win over var/secrets.env."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_environment_wins_over_the_secrets_file() -> None:
    script = f'. "{ROOT}/scripts/env.sh"; echo "$SMS_GATEWAY_SECRET|$ACTION_SERVER_TOKEN"'
    environment = {k: v for k, v in os.environ.items() if k != "ACTION_SERVER_TOKEN"}
    environment["SMS_GATEWAY_SECRET"] = "from-the-environment"
    out = subprocess.run(
        ["bash", "-c", script], env=environment, capture_output=True, text=True, check=True
    ).stdout.strip()
    mine, from_file = out.split("|")
    assert mine == "from-the-environment"
    stored = dict(
        line.split("=", 1)
        for line in (ROOT / "var" / "secrets.env").read_text().splitlines()
        if "=" in line
    )
    assert from_file == stored["ACTION_SERVER_TOKEN"] and from_file
