"""Rasa's command line with the project's run-time fixes: ``python -m bot.rasa_server run ...``.

The Rasa server runs through this module (``bot/devstack.py``, the compose file);
``bot/rasa_tuning`` says what the fixes are.
"""

from __future__ import annotations

import sys


def main() -> None:
    """Rasa's own ``main`` after ``tune_rasa``."""
    from rasa.__main__ import main as rasa_main

    from bot.rasa_tuning import tune_rasa

    tune_rasa()
    sys.argv[0] = "rasa"
    rasa_main()


if __name__ == "__main__":
    main()
