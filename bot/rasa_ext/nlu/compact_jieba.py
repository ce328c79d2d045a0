"""jieba with its dictionary in a marisa trie: the same words in ~3 MB instead of ~60 MB.

jieba keeps its dictionary as a dict ``FREQ`` of 498k str keys (349k words and every
prefix of them, at frequency 0). Here the words are a ``marisa_trie.Trie`` and their
frequencies an ``array('I')`` indexed by the trie's key ids; ``CompactDictionary``
answers ``in``, ``[]`` and ``get`` as ``FREQ`` does (a prefix of a word is in it, at
frequency 0), so jieba's own code reads it unchanged. ``CompactJieba`` is a
``jieba.Tokenizer`` (a separate instance; ``jieba.dt`` is left alone) that loads it,
finds the words starting at each character (``get_DAG``) and weighs the routes through
them (``calc``) with the trie; the rest, the HMM for unknown words included, is jieba's.

The trie is built from jieba's dictionary file (~1 s) the first time a tokenizer is
initialised, then kept in the temporary directory, as jieba keeps its own cache, under a
name keyed by the dictionary file's path, size and mtime; later processes load it in
milliseconds.
"""

from __future__ import annotations

import hashlib
import logging
import os
import struct
import tempfile
from array import array
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from math import log
from pathlib import Path
from typing import Any

import jieba
import marisa_trie

logger = logging.getLogger(__name__)

# magic, total, word count, longest word, trie size; then the frequencies, then the trie
_HEADER = struct.Struct("<8sQIIQ")
_MAGIC = b"jbmarisa"
_FORMAT = "v1"


@dataclass(frozen=True)
class CompactDictionary:
    """jieba's word frequencies, read as jieba reads its ``FREQ`` dict (read-only)."""

    trie: marisa_trie.Trie
    frequencies: array  # by the trie's key id
    total: int  # the sum over the file's lines, as jieba counts it (repeats included)
    longest: int  # the longest word, in characters

    def get(self, key: str, default: Any = None) -> Any:
        """A word's frequency; 0 for a prefix of a word; ``default`` for anything else."""
        key_id = self.trie.get(key)
        if key_id is not None:
            return self.frequencies[key_id]
        return 0 if key in self else default

    def __contains__(self, key: object) -> bool:
        """A word or a prefix of one, as jieba's ``FREQ`` holds them."""
        return isinstance(key, str) and next(self.trie.iterkeys(key), "") != ""

    def __getitem__(self, key: str) -> int:
        found = self.get(key)
        if found is None:
            raise KeyError(key)
        return int(found)

    def __len__(self) -> int:
        """The number of words (jieba's ``FREQ`` also counts their prefixes)."""
        return len(self.trie)


def build(lines: Iterable[bytes], name: str = "dictionary") -> CompactDictionary:
    """A dictionary from jieba's file lines (``word freq [tag]``), parsed as jieba does."""
    words: list[str] = []
    counts: list[int] = []
    total = 0
    for lineno, raw in enumerate(lines, 1):
        try:
            line = raw.strip().decode("utf-8")
            word, freq = line.split(" ")[:2]
            count = int(freq)
        except ValueError:
            raise ValueError(
                f"invalid dictionary entry in {name} at Line {lineno}: {raw!r}"
            ) from None
        words.append(word)
        counts.append(count)
        total += count
    trie = marisa_trie.Trie(words)
    frequencies = array("I", bytes(4 * len(trie)))
    for word, count in zip(words, counts, strict=True):  # a repeated word keeps its last count
        frequencies[trie.key_id(word)] = count
    longest = max((len(word) for word in words), default=0)
    return CompactDictionary(trie, frequencies, total, longest)


def to_bytes(words: CompactDictionary) -> bytes:
    """The dictionary as one blob: header, frequencies, trie."""
    trie = words.trie.tobytes()
    header = _HEADER.pack(_MAGIC, words.total, len(words.frequencies), words.longest, len(trie))
    return header + words.frequencies.tobytes() + trie


def from_bytes(blob: bytes) -> CompactDictionary:
    """The dictionary ``to_bytes`` wrote; ``ValueError`` for anything else."""
    if len(blob) < _HEADER.size:
        raise ValueError("not a compact jieba dictionary: too short")
    magic, total, count, longest, trie_size = _HEADER.unpack_from(blob)
    start = _HEADER.size + 4 * count
    if magic != _MAGIC or len(blob) != start + trie_size:
        raise ValueError("not a compact jieba dictionary: bad header or size")
    frequencies = array("I")
    frequencies.frombytes(blob[_HEADER.size : start])
    trie = marisa_trie.Trie().frombytes(blob[start:])
    if len(trie) != count:
        raise ValueError("not a compact jieba dictionary: word count differs")
    return CompactDictionary(trie, frequencies, total, longest)


def cache_path(dictionary: Path, cache_dir: Path) -> Path:
    """Where the trie of ``dictionary`` is kept: named by its path, size and mtime."""
    stat = dictionary.stat()
    where = hashlib.md5(
        str(dictionary).encode("utf-8", "replace"), usedforsecurity=False
    ).hexdigest()[:12]
    name = f"jieba-compact.{where}.{stat.st_size}.{stat.st_mtime_ns}.{_FORMAT}.trie"
    return cache_dir / name


def load(dictionary: Path, cache_dir: Path) -> CompactDictionary:
    """The compact dictionary of ``dictionary``, from the cache or built (and cached)."""
    cached = cache_path(dictionary, cache_dir)
    try:
        words = from_bytes(cached.read_bytes())
    except (OSError, ValueError) as error:
        if not isinstance(error, FileNotFoundError):
            logger.warning("Rebuilding the compact jieba dictionary %s: %s", cached, error)
        with dictionary.open("rb") as lines:
            words = build(lines, str(dictionary))
        _write_atomically(cached, to_bytes(words))
    return words


def _write_atomically(path: Path, blob: bytes) -> None:
    """Write through a temporary file in the same folder; a failure only logs."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as file:
                file.write(blob)
            os.replace(temporary, path)
        except BaseException:
            os.unlink(temporary)
            raise
    except OSError as error:
        logger.warning("Could not cache the compact jieba dictionary at %s: %s", path, error)


def default_dictionary_file() -> Path:
    """jieba's own dictionary (``dict.txt`` next to its module)."""
    return Path(jieba.__file__).resolve().parent / jieba.DEFAULT_DICT_NAME


class CompactJieba(jieba.Tokenizer):  # type: ignore[misc]
    """A ``jieba.Tokenizer`` whose dictionary is a ``CompactDictionary``; read-only."""

    initialized: bool

    def __init__(self, dictionary: Path | None = None, cache_dir: Path | None = None) -> None:
        super().__init__()
        self.dictionary_file = dictionary or default_dictionary_file()
        self.cache_dir = cache_dir or Path(tempfile.gettempdir())
        self.words: CompactDictionary | None = None

    def __repr__(self) -> str:
        return f"<CompactJieba dictionary={str(self.dictionary_file)!r}>"

    def initialize(self, dictionary: str | None = None) -> None:
        """Load the dictionary (from the cache, or build it) once."""
        if dictionary:
            raise NotImplementedError("CompactJieba reads the dictionary given when it is made")
        with self.lock:
            if self.initialized:
                return
            words = load(self.dictionary_file, self.cache_dir)
            self.words, self.FREQ, self.total = words, words, words.total
            self.initialized = True

    def get_DAG(self, sentence: str) -> dict[int, list[int]]:
        """For each index, where the words starting there end (jieba's ``get_DAG``)."""
        self.check_initialized()
        assert self.words is not None
        prefixes = self.words.trie.iter_prefixes_with_ids
        frequencies, longest = self.words.frequencies, self.words.longest
        dag = {}
        for k in range(len(sentence)):
            found = prefixes(sentence[k : k + longest])
            dag[k] = [k + len(word) - 1 for word, key_id in found if frequencies[key_id]] or [k]
        return dag

    def calc(self, sentence: str, DAG: dict[int, list[int]], route: dict[int, Any]) -> None:
        """The likeliest route through the words (jieba's ``calc``, the same arithmetic)."""
        assert self.words is not None
        key_id, frequencies = self.words.trie.get, self.words.frequencies
        size = len(sentence)
        route[size] = (0, 0)
        logtotal = log(self.total)
        for idx in range(size - 1, -1, -1):
            best = None
            for x in DAG[idx]:
                found = key_id(sentence[idx : x + 1])
                count = frequencies[found] if found is not None else 0
                candidate = (log(count or 1) - logtotal + route[x + 1][0], x)
                if best is None or candidate > best:  # max(): the first of the largest
                    best = candidate
            route[idx] = best

    def add_word(self, word: str, freq: int | None = None, tag: str | None = None) -> None:
        """Not supported (also ``del_word``, ``load_userdict``, ``suggest_freq(tune=True)``)."""
        raise NotImplementedError("CompactJieba's dictionary is read-only: use jieba.Tokenizer")


@lru_cache(maxsize=1)
def shared_jieba() -> CompactJieba:
    """The process's compact tokenizer of jieba's default dictionary (loaded on first use)."""
    return CompactJieba()
