"""pypinyin with its phrases read from a trie (``phrase_trie``), not from its 45 MB dict.

pypinyin's own extension points carry the trie: a ``Pinyin`` whose segmenter cuts words
with the trie, and a converter that reads words from it. ``lazy_syllables(text)`` is what
``lazy_pinyin(text)`` gives with pypinyin's full dictionaries, whether or not pypinyin was
told to skip them (``phrase_trie.lean_pypinyin_environment``, before its first import).
Nothing is read at import: the trie is built on first use (about 0.3 s) or ahead of it by
``compact_pinyin()``.
"""

from __future__ import annotations

import functools
from typing import Any

from pypinyin.constants import RE_HANS, Style
from pypinyin.converter import UltimateConverter
from pypinyin.core import Pinyin
from pypinyin.seg.simpleseg import simple_seg

from bot.domain.phrase_trie import CompactPhrases, build_trie, phrase_data_file


class CompactConverter(UltimateConverter):
    """pypinyin's converter, taking a word's readings from ``CompactPhrases`` (through its
    ``post_pinyin`` hook) where pypinyin's own dict may be empty."""

    def __init__(self, phrases: CompactPhrases, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._phrases = phrases

    def post_pinyin(self, han: str, heteronym: bool, pinyin: Any, **kwargs: Any) -> Any:
        readings = self._phrases.readings(han)
        found = pinyin if readings is None else readings
        return super().post_pinyin(han, heteronym, found, **kwargs)


class CompactPinyin(Pinyin):
    """pypinyin's ``Pinyin``, cutting words with ``CompactPhrases``."""

    def __init__(self, phrases: CompactPhrases) -> None:
        super().__init__(CompactConverter(phrases))
        self._phrases = phrases

    def get_seg(self, **kwargs: Any) -> Any:
        return self._cut

    def _cut(self, hans: Any) -> list[str]:
        """``pypinyin.seg.simpleseg.seg`` with our phrases: runs of characters with a
        reading are cut into words, anything else is left as it is."""
        words: list[str] = []
        for part in simple_seg(hans):
            if RE_HANS.match(part):
                words.extend(self._phrases.cut(part))
            else:
                words.append(part)
        return words


@functools.cache
def compact_pinyin() -> CompactPinyin:
    """The process's ``CompactPinyin`` (its trie loaded on the first call)."""
    return CompactPinyin(CompactPhrases(build_trie(phrase_data_file())))


def lazy_syllables(hans: str) -> list[str]:
    """What ``pypinyin.lazy_pinyin(hans)`` gives with pypinyin's full dictionaries: one
    toneless syllable per character, other characters kept ("中国 ok" -> zhong, guo, " ok")."""
    return compact_pinyin().lazy_pinyin(hans, style=Style.NORMAL, errors="default")
