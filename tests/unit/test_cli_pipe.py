"""The command line ends quietly when its reader goes away (``scripts/chat ... | head``)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_a_closed_pipe_ends_the_command_without_a_traceback() -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "fingerprint"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()  # the reader is gone before the command writes
    errors = process.stderr.read().decode()
    assert process.wait(timeout=60) == 0, errors
    assert "Traceback" not in errors and "BrokenPipe" not in errors
