"""pypinyin's word readings in a marisa trie, read from its data file without pypinyin.

pypinyin reads a word by its phrase dictionary (长大 is zhang da, 长度 chang du) and cuts a
run of characters into words with a prefix set of all its phrases. Loaded as pypinyin
loads them (a dict of lists of lists, a set of prefixes, copies of both) they take about
48 MB of heap in every process; the same 47,000 phrases in one ``marisa_trie.BytesTrie``
(phrase -> its toned readings) take 0.7 MB. ``compact_pinyin`` plugs them into pypinyin.

This module never imports pypinyin, so that ``lean_pypinyin_environment`` can tell it,
before its first import, to skip its own copy of the phrases.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from collections.abc import Iterator, MutableMapping
from pathlib import Path

import marisa_trie

# Set before pypinyin's first import: no phrase dictionary loaded, no dictionary copied.
LEAN_ENVIRONMENT = {"PYPINYIN_NO_PHRASES": "1", "PYPINYIN_NO_DICT_COPY": "1"}

_SPACE = (" ", "\t", "\n", "\r")  # JSON's whitespace


def lean_pypinyin_environment(environ: MutableMapping[str, str]) -> bool:
    """Tell pypinyin (through ``environ``, usually ``os.environ``) to load no phrases and copy
    no dictionary; whether it still can take effect (pypinyin not imported yet)."""
    environ.update(LEAN_ENVIRONMENT)
    return "pypinyin" not in sys.modules


def phrase_data_file() -> Path:
    """The JSON file of word readings that the installed pypinyin ships (found without
    importing pypinyin)."""
    spec = importlib.util.find_spec("pypinyin")
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError("pypinyin is not installed")
    return Path(next(iter(spec.submodule_search_locations))) / "phrases_dict.json"


def _skip_space(text: str, pos: int) -> int:
    while text[pos : pos + 1] in _SPACE:
        pos += 1
    return pos


def _phrases_in(text: str) -> Iterator[tuple[str, list[list[str]]]]:
    """The (phrase, readings) pairs of a JSON object, parsed one pair at a time."""
    decoder = json.JSONDecoder()
    pos = _skip_space(text, 0)
    if text[pos : pos + 1] != "{":
        raise ValueError("the phrase data is not a JSON object")
    pos = _skip_space(text, pos + 1)
    while text[pos : pos + 1] != "}":
        phrase, pos = decoder.raw_decode(text, pos)
        pos = _skip_space(text, pos)
        if not isinstance(phrase, str) or text[pos : pos + 1] != ":":
            raise ValueError(f"no phrase and colon at character {pos} of the phrase data")
        readings, pos = decoder.raw_decode(text, _skip_space(text, pos + 1))
        yield phrase, readings
        pos = _skip_space(text, pos)
        if text[pos : pos + 1] == ",":
            pos = _skip_space(text, pos + 1)


def _encoded(readings: list[list[str]]) -> bytes:
    """[["zhǎng", "cháng"], ["dà"]] as b"zhǎng,cháng dà"."""
    return " ".join(",".join(each) for each in readings).encode()


def _has_repeats(trie: marisa_trie.BytesTrie) -> bool:
    """Whether a phrase has two readings (keys come out sorted, repeats side by side)."""
    previous = None
    for phrase in trie.iterkeys():
        if phrase == previous:
            return True
        previous = phrase
    return False


def build_trie(data_file: Path) -> marisa_trie.BytesTrie:
    """The phrases of pypinyin's ``data_file`` with their readings, parsed one at a time
    into the trie (never the whole dict at once)."""
    text = data_file.read_text(encoding="utf-8")
    trie = marisa_trie.BytesTrie((p, _encoded(r)) for p, r in _phrases_in(text))
    if _has_repeats(trie):  # a phrase given twice: the last wins, as in json.loads
        trie = marisa_trie.BytesTrie({p: _encoded(r) for p, r in _phrases_in(text)}.items())
    del text
    return trie


class CompactPhrases:
    """Phrase readings and phrase prefixes, answered by the trie."""

    def __init__(self, trie: marisa_trie.BytesTrie) -> None:
        self._trie = trie

    def readings(self, phrase: str) -> list[list[str]] | None:
        """Each character's readings in ``phrase`` ([["zhǎng"], ["dà"]]), None if no phrase."""
        found = self._trie.get(phrase)
        if not found:
            return None
        return [each.split(",") for each in found[0].decode().split(" ")]

    def is_phrase(self, word: str) -> bool:
        return word in self._trie

    def is_prefix(self, word: str) -> bool:
        """Whether some phrase starts with ``word`` (or is it)."""
        return next(iter(self._trie.iterkeys(word)), None) is not None

    def cut(self, text: str) -> Iterator[str]:
        """``text`` (Chinese characters) cut into words the way pypinyin's strict mmseg
        segmenter (``Seg(..., no_non_phrases=True)``) cuts it, quirks included: the longest
        phrase at each place; where no phrase starts but the rest of the text is the start of
        one, the rest one character at a time."""
        start = 0
        while start < len(text):
            rest = text[start:]
            phrases = self._trie.prefixes(rest)
            if phrases:
                longest = max(phrases, key=len)
                yield longest
                start += len(longest)
            elif self.is_prefix(rest):
                yield from rest
                return
            else:
                yield text[start]
                start += 1
