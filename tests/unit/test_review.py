"""Conversation review: the store, the sync from a source, the intents, the NLU export."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml

from bot import cli
from bot.config import tracker_database_url
from bot.domain.numbers import mask_all_numbers
from bot.review.desk import ReviewDesk, domain_intents
from bot.review.export import ExportError, export_labelled, grouped, with_block
from bot.review.store import ReviewError, ReviewStore
from tests.fakes import NOW, TODAY, memory_engine
from tests.fakes.review import REVIEW_INTENTS, FakeReviewSource

ROOT = Path(__file__).resolve().parents[1].parent


@pytest.fixture
def store() -> ReviewStore:
    return ReviewStore(memory_engine(), clock=lambda: NOW)


def desk_over(store: ReviewStore, source: FakeReviewSource) -> ReviewDesk:
    return ReviewDesk(source, store, REVIEW_INTENTS, clock=lambda: NOW)


class TestStore:
    def test_candidates_are_kept_once_masked_and_open(self, store: ReviewStore) -> None:
        source = FakeReviewSource()
        source.add("my number is 13800000001", at=NOW - dt.timedelta(minutes=5))
        source.add("code 654321 hm", at=NOW)
        desk = desk_over(store, source)
        assert desk.sync() == 2 and desk.sync() == 0
        newest, oldest = store.open_items()
        assert (newest.text, oldest.text) == ("code ****** hm", "my number is 138****0001")
        assert newest.status == "open" and newest.time == NOW and newest.channel == "sms"

    def test_the_cursor_moves_and_the_first_sync_looks_back_30_days(
        self, store: ReviewStore
    ) -> None:
        source = FakeReviewSource()
        source.add("too old", at=NOW - dt.timedelta(days=31))
        source.add("recent", at=NOW - dt.timedelta(days=1))
        desk = desk_over(store, source)
        desk.sync()
        assert [item.text for item in store.open_items()] == ["recent"]
        assert store.cursor("tracker") == (NOW - dt.timedelta(days=1)).timestamp()
        source.add("later", at=NOW)
        desk.sync()
        assert [item.text for item in store.open_items()] == ["later", "recent"]

    def test_label_and_dismiss_close_an_item_once(self, store: ReviewStore) -> None:
        source = FakeReviewSource()
        source.add("a", at=NOW - dt.timedelta(seconds=1))
        source.add("b", at=NOW)
        desk_over(store, source).sync()
        b, a = store.open_items()
        store.label(a.id, "check_balance", "ann")
        store.dismiss(b.id, "bob")
        assert store.open_items() == []
        with pytest.raises(ReviewError):
            store.label(a.id, "greet", "bob")  # decided already: the first agent wins
        with pytest.raises(ReviewError):
            store.dismiss(999, "ann")
        (labelled,) = store.unexported()
        assert (labelled.label, labelled.agent) == ("check_balance", "ann")
        assert labelled.status == "labelled"

    async def test_the_desk_accepts_only_known_intents(self, store: ReviewStore) -> None:
        source = FakeReviewSource()
        source.add("x")
        desk = desk_over(store, source)
        (item,) = await desk.open_items()
        with pytest.raises(ReviewError, match="unknown intent"):
            await desk.label(item.id, "drop_tables", "ann")
        await desk.label(item.id, "out_of_scope", "ann")
        assert await desk.open_items() == []


def test_domain_intents_add_out_of_scope_and_hide_nlu_fallback(tmp_path: Path) -> None:
    domain = tmp_path / "domain.yml"
    domain.write_text(
        "intents:\n  - greet\n  - check_balance:\n      use_entities: []\n  - nlu_fallback\n"
    )
    assert domain_intents(domain) == ["check_balance", "greet", "out_of_scope"]
    assert "out_of_scope" in domain_intents(ROOT / "domain")


def test_labels_are_what_a_customer_can_say_alone() -> None:
    labels = domain_intents(ROOT / "domain")
    assert "check_balance" in labels
    assert not [label for label in labels if "+" in label or label.startswith("EXTERNAL_")]


def test_mask_all_numbers_keeps_short_numbers() -> None:
    assert mask_all_numbers("充值50元 to +8613800000001, code 123456") == (
        "充值50元 to +86138****0001, code ******"
    )


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("my number 139 1234 5678", "my number *** **** 5678"),
        ("+86 139-1234-5678 is mine", "+86 ***-****-5678 is mine"),
        ("打0912.345.678找我", "打****.**5.678找我"),
        ("order of 2026-12-07, 3 items", "order of 2026-12-07, 3 items"),
    ],
)
def test_numbers_in_groups_are_masked(text: str, masked: str) -> None:
    assert mask_all_numbers(text) == masked


class TestExport:
    def labelled(
        self, store: ReviewStore, *pairs: tuple[str, str], start: dt.datetime = NOW
    ) -> None:
        source = FakeReviewSource()
        for n, (text, _) in enumerate(pairs):
            source.add(text, at=start + dt.timedelta(seconds=n))
        desk_over(store, source).sync()
        by_text = {item.text: item for item in store.open_items()}
        for text, intent in pairs:
            store.label(by_text[mask_all_numbers(text)].id, intent, "ann")

    def test_examples_join_the_layout_by_intent_and_script(
        self, store: ReviewStore, tmp_path: Path
    ) -> None:
        nlu = tmp_path / "nlu"
        (nlu / "check_balance").mkdir(parents=True)
        earlier = (
            'version: "3.1"\nnlu:\n- intent: check_balance\n  metadata:\n    origin: base\n'
            "  examples: |\n    - balance?\n"
        )
        (nlu / "check_balance" / "en.yml").write_text(earlier, encoding="utf-8")
        self.labelled(
            store,
            ("余额多少 13800000001", "check_balance"),
            ("weather today?", "out_of_scope"),
            ("how much left: #1", "check_balance"),
            ("餘額還有多少", "check_balance"),
        )
        paths, count = export_labelled(store, nlu, TODAY)
        assert count == 4
        assert paths == sorted(
            nlu / name
            for name in (
                "check_balance/en.yml",
                "check_balance/zh_hans.yml",
                "check_balance/zh_hant.yml",
                "out_of_scope/en.yml",
            )
        )
        english = yaml.safe_load((nlu / "check_balance" / "en.yml").read_text(encoding="utf-8"))
        origin = {"origin": f"review_{TODAY.isoformat()}"}
        assert english["nlu"] == [
            {"intent": "check_balance", "metadata": {"origin": "base"}, "examples": "- balance?\n"},
            {"intent": "check_balance", "metadata": origin, "examples": "- how much left: #1\n"},
        ]
        simplified = (nlu / "check_balance" / "zh_hans.yml").read_text(encoding="utf-8")
        assert "138****0001" in simplified and "13800000001" not in simplified
        assert "餘額還有多少" in (nlu / "check_balance" / "zh_hant.yml").read_text(encoding="utf-8")
        # Exported items are not written again; a later export adds another block.
        assert export_labelled(store, nlu, TODAY) == ([], 0)
        self.labelled(store, ("hello there", "greet"), start=NOW + dt.timedelta(hours=1))
        second, _ = export_labelled(store, nlu, TODAY)
        assert second == [nlu / "greet" / "en.yml"]

    def test_rasa_reads_the_file(self, store: ReviewStore, tmp_path: Path) -> None:
        from rasa.shared.nlu.training_data.loading import load_data

        self.labelled(store, ("- starts with a dash", "greet"), ("多行\n文本", "greet"))
        paths, _ = export_labelled(store, tmp_path, TODAY)
        examples = {
            m.get("text"): m.get("intent")
            for path in paths
            for m in load_data(str(path)).intent_examples
        }
        assert examples == {"- starts with a dash": "greet", "多行 文本": "greet"}

    def test_annotation_syntax_in_a_customer_text_is_no_annotation(
        self, store: ReviewStore, tmp_path: Path
    ) -> None:
        from rasa.shared.nlu.training_data.loading import load_data

        planted = [
            ("my [balance](check_balance) please", "check_balance"),
            ('[LA]{"entity": "city"} roaming?', "out_of_scope"),
            ('[a][{"entity": "x"}] and (b) {c}', "out_of_scope"),
        ]
        self.labelled(store, *planted)
        paths, count = export_labelled(store, tmp_path, TODAY)
        assert paths and count == 3
        messages = [m for path in paths for m in load_data(str(path)).intent_examples]
        assert not [m for m in messages if m.get("entities")]
        assert "my ［balance］(check_balance) please" in {m.get("text") for m in messages}

    def test_an_export_that_would_not_read_back_is_refused(self) -> None:
        with pytest.raises(ExportError):
            with_block('version: "3.1"\nnlu:\n', "greet", "review", ["[x](y)"])  # an entity

    def test_unlabelled_items_are_not_exported(self, store: ReviewStore, tmp_path: Path) -> None:
        assert grouped([]) == {}
        assert export_labelled(store, tmp_path, TODAY) == ([], 0)


def test_the_cli_exports(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("STATE_DATABASE_URL", f"sqlite:///{tmp_path / 'state.db'}")
    assert cli.main(["review", "export", "--out", str(tmp_path / "nlu")]) == 0
    assert "no labelled messages" in capsys.readouterr().out
    assert not (tmp_path / "nlu").exists()


def test_the_tracker_url_follows_endpoints_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRACKER_DIALECT", "sqlite")
    monkeypatch.setenv("TRACKER_DB", "/srv/var/trackers.db")
    assert tracker_database_url() == "sqlite:////srv/var/trackers.db"
    for name, value in {
        "TRACKER_DIALECT": "postgresql",
        "TRACKER_HOST": "db:5432",
        "TRACKER_DB": "rasa",
        "TRACKER_USER": "rasa",
        "TRACKER_PASSWORD": "p@ss",
    }.items():
        monkeypatch.setenv(name, value)
    assert tracker_database_url() == "postgresql://rasa:p%40ss@db:5432/rasa"
