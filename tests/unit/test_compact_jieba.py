"""The compact jieba dictionary gives exactly the tokens of Rasa's JiebaTokenizer.

Every example text of the training and test data, and texts of every other kind, are
tokenized by Rasa's ``JiebaTokenizer`` (``jieba.dt``, jieba's own dictionary) and by
``CompactJiebaTokenizer`` (the marisa trie); words and offsets must be the same.
"""

from __future__ import annotations

import random
from pathlib import Path

import jieba
import pytest
import yaml
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.nlu.tokenizers.jieba_tokenizer import JiebaTokenizer
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.rasa_ext.nlu import compact_jieba
from bot.rasa_ext.nlu.compact_jieba import CompactJieba, shared_jieba
from bot.rasa_ext.nlu.tokenizer import CompactJiebaTokenizer

ROOT = Path(__file__).resolve().parents[2]
MORE = [
    "",
    " ",
    "查詢餘額，我的話費還剩多少？",  # Traditional
    "我的5GB流量包 expires 明天? thanks!!",  # mixed English, digits
    "套餐A+B & c# 100%/月 ... ——「好的」",  # punctuation, jieba's own symbols
    "余额😀👍🏽 ok\n换行\r\n\t制表",  # emoji and whitespace
    "ＡＢＣ１２３ 全角 と ひらがな 한국어",  # full-width, other scripts
    "上海自来水来自海上" * 20,  # long text
]

Tokens = list[tuple[str, int, int]]


def example_texts() -> list[str]:
    """Every example line of data/nlu and tests/nlu_* (intents, regexes, lookups, synonyms)."""
    files = sorted(ROOT.glob("data/nlu/**/*.yml")) + sorted(ROOT.glob("tests/nlu_*/**/*.yml"))
    texts = []
    for path in files:
        for block in yaml.safe_load(path.read_text(encoding="utf-8"))["nlu"]:
            for line in str(block.get("examples", "")).splitlines():
                if line.strip():
                    texts.append(line.strip().removeprefix("- "))
    return texts


def by_rasa(text: str) -> Tokens:
    tokenizer = JiebaTokenizer(JiebaTokenizer.get_default_config(), None, None)  # type: ignore[arg-type]
    return [(t.text, t.start, t.end) for t in tokenizer.tokenize(Message({TEXT: text}), TEXT)]


def by_compact(text: str, tokenizer: CompactJiebaTokenizer | None = None) -> Tokens:
    config = CompactJiebaTokenizer.get_default_config()
    tokenizer = tokenizer or CompactJiebaTokenizer(config, None, None)  # type: ignore[arg-type]
    return [(t.text, t.start, t.end) for t in tokenizer.tokenize(Message({TEXT: text}), TEXT)]


def test_every_example_text_gets_rasas_tokens() -> None:
    texts = example_texts()
    assert len(texts) > 10_000
    differ = [text for text in texts if by_compact(text) != by_rasa(text)]
    assert differ == []


@pytest.mark.parametrize("text", MORE)
def test_other_texts_get_rasas_tokens(text: str) -> None:
    assert by_compact(text) == by_rasa(text)


def test_random_runs_of_dictionary_words_and_characters_get_jiebas_words() -> None:
    compact = shared_jieba()
    compact.check_initialized()
    assert compact.words is not None
    chooser = random.Random(42)
    words = sorted(compact.words.trie.keys())
    pieces = [*chooser.sample(words, 2000), *"的了是我你他不有在么嗎 a1,。!"]
    for _ in range(300):
        text = "".join(chooser.choice(pieces) for _ in range(chooser.randint(1, 12)))
        assert list(compact.tokenize(text)) == list(jieba.tokenize(text)), text


def test_the_dictionary_is_jiebas() -> None:
    jieba.dt.check_initialized()
    compact = shared_jieba()
    compact.check_initialized()
    assert compact.total == jieba.dt.total
    assert len(compact.FREQ) == sum(1 for count in jieba.dt.FREQ.values() if count)
    # every word and every prefix of one, at jieba's frequency (0 for a prefix)
    assert all(compact.FREQ.get(key) == count for key, count in jieba.dt.FREQ.items())
    assert compact.FREQ.get("不是一个词吗", "absent") == "absent"
    assert "余" in compact.FREQ and "余额不" not in compact.FREQ
    assert compact.lcut_for_search("中华人民共和国的余额") == jieba.lcut_for_search(
        "中华人民共和国的余额"
    )


def test_it_is_read_only() -> None:
    with pytest.raises(NotImplementedError):
        shared_jieba().add_word("余额宝")


def small_dictionary(folder: Path) -> Path:
    path = folder / "dict.txt"
    path.write_bytes("余额 30 n\n余额宝 5 nz\n话费 20 n\n查 10 v\n余额 7 n\n".encode())
    return path


def test_a_built_dictionary_is_cached_and_read_back(tmp_path: Path) -> None:
    dictionary = small_dictionary(tmp_path)
    first = CompactJieba(dictionary, tmp_path / "cache")
    assert first.lcut("查话费余额") == ["查", "话费", "余额"]
    cached = compact_jieba.cache_path(dictionary, tmp_path / "cache")
    assert cached.is_file() and list((tmp_path / "cache").iterdir()) == [cached]
    again = compact_jieba.load(dictionary, tmp_path / "cache")
    assert (again.total, len(again), again.longest) == (72, 4, 3)  # "余额" twice in total
    assert again.get("余额") == 7 and again.get("余") == 0 and again.get("余x") is None


def test_a_broken_cache_is_rebuilt_and_a_changed_file_gets_its_own(tmp_path: Path) -> None:
    dictionary = small_dictionary(tmp_path)
    cached = compact_jieba.cache_path(dictionary, tmp_path)
    cached.write_bytes(b"jbmarisa and nothing else")
    assert compact_jieba.load(dictionary, tmp_path).total == 72
    assert compact_jieba.from_bytes(cached.read_bytes()).total == 72
    with dictionary.open("ab") as file:
        file.write("流量 9 n\n".encode())
    assert compact_jieba.cache_path(dictionary, tmp_path) != cached
    assert compact_jieba.load(dictionary, tmp_path).total == 81


def test_an_unwritable_cache_only_costs_the_build(tmp_path: Path) -> None:
    dictionary = small_dictionary(tmp_path)
    not_a_folder = tmp_path / "file"
    not_a_folder.write_text("")
    assert CompactJieba(dictionary, not_a_folder).lcut("查余额") == ["查", "余额"]


def test_a_bad_dictionary_line_is_named(tmp_path: Path) -> None:
    path = tmp_path / "dict.txt"
    path.write_bytes("余额 30 n\n话费\n".encode())
    with pytest.raises(ValueError, match="at Line 2"):
        compact_jieba.load(path, tmp_path)


class UnusedJieba(CompactJieba):
    """A compact tokenizer that must not be asked (custom dictionaries are Rasa's)."""

    def tokenize(self, *args: object, **kwargs: object) -> None:
        raise AssertionError("the compact dictionary was used")


def test_custom_dictionaries_fall_back_to_rasas_code() -> None:
    config = {**CompactJiebaTokenizer.get_default_config(), "dictionary_path": "somewhere"}
    tokenizer = CompactJiebaTokenizer(config, None, None, UnusedJieba())  # type: ignore[arg-type]
    assert not tokenizer.uses_compact
    assert by_compact("查话费余额", tokenizer) == by_rasa("查话费余额")


def test_loading_the_component_loads_the_dictionary(tmp_path: Path) -> None:
    tokenizer = CompactJiebaTokenizer.load(
        CompactJiebaTokenizer.get_default_config(),
        LocalModelStorage(tmp_path),
        Resource("tokenizer"),
        ExecutionContext(GraphSchema({}), "test"),
    )
    assert tokenizer.compact_jieba() is shared_jieba() and shared_jieba().initialized
