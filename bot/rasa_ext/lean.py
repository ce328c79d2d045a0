"""What the Rasa server keeps out of its memory: what nothing in it uses, or uses compactly.

* TensorFlow (which Rasa imports) imports jax, and with it jaxlib's compiler libraries,
  only to offer converting jax functions to TensorFlow Lite, inside a ``try`` that
  carries on without it; the Rasa server converts nothing. Marking jax as absent before
  TensorFlow is imported saves about 64 MB of resident memory and a second of start-up.
* pypinyin loads its phrase dictionary into Python objects when imported (about 43 MB);
  the project reads the same phrases from a trie (``bot.domain.compact_pinyin``), so the
  server tells pypinyin to skip them (``bot.domain.phrase_trie``).

Measured in docs/performance.md ("Memory"). ``bot.rasa_ext.server`` calls
``lean_process`` before anything else is imported.
"""

from __future__ import annotations

import logging
import os
import sys

from bot.domain.phrase_trie import lean_pypinyin_environment

logger = logging.getLogger(__name__)

# Modules an import of which fails in the Rasa server (``import`` raises ImportError).
LEFT_OUT = ("jax",)


def lean_process() -> None:
    """Mark ``LEFT_OUT`` as absent (those already imported stay) and tell pypinyin to
    leave out its phrases (saying so when it is imported already)."""
    for name in LEFT_OUT:
        sys.modules.setdefault(name, None)  # type: ignore[arg-type]
    if not lean_pypinyin_environment(os.environ):
        logger.warning("pypinyin was imported before lean_process: its phrases stay loaded")
