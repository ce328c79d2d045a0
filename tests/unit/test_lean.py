"""The Rasa server's process leaves jax and pypinyin's phrase objects out, and TensorFlow,
Rasa and the pinyin features still work."""

from __future__ import annotations

import subprocess
import sys

CHECK = """
import sys
from bot.rasa_ext.lean import lean_process
lean_process()
import rasa.core.agent, tensorflow
assert not any(name.split('.')[0] in ('jax', 'jaxlib') for name in sys.modules if sys.modules[name])
from pypinyin.constants import PHRASES_DICT
assert PHRASES_DICT == {}
from bot.rasa_ext.nlu.pinyin import pinyin_features
assert (0, 2, 'py:yin_hang') in pinyin_features('银行')
print('lean')
"""


def test_tensorflow_and_rasa_import_without_jax() -> None:
    done = subprocess.run(
        [sys.executable, "-c", CHECK], capture_output=True, text=True, timeout=180, check=False
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip().endswith("lean")


def test_a_module_already_imported_stays() -> None:
    from bot.rasa_ext.lean import lean_process

    before = dict(sys.modules)
    lean_process()
    assert all(sys.modules[name] is module for name, module in before.items())
