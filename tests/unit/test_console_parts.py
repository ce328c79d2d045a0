"""The console's small parts: the string catalogue, language choice, escaping, rate limit."""

from __future__ import annotations

import asyncio
import re
import string
from collections.abc import Awaitable, Callable
from pathlib import Path
from types import SimpleNamespace

import pytest

from bot.console.access.throttle import LoginThrottle
from bot.console.ticker import every, run_periodically
from bot.console.web.chart import bar_chart
from bot.console.web.i18n import CATALOGUE, Translator, choose_language, from_accept_language
from bot.console.web.layout import local_path
from bot.console.web.markup import Html, esc, join, render
from bot.console.web.security import safe_next

CONSOLE = Path(__file__).resolve().parents[2] / "bot" / "console"


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_string_exists_in_both_languages_with_the_same_placeholders() -> None:
    for key, (zh, en) in CATALOGUE.items():
        assert zh and en, key
        assert placeholders(zh) == placeholders(en), key


def test_every_key_the_code_uses_is_in_the_catalogue() -> None:
    groups = {key.split(".")[0] for key in CATALOGUE if "." in key}
    used: set[str] = set()
    for path in CONSOLE.rglob("*.py"):
        if path.name == "i18n.py":
            continue
        text = path.read_text()
        dotted = re.findall(r'"([a-z_]+\.[a-z_]+)"', text)
        used |= {key for key in dotted if key.split(".")[0] in groups}
        used |= set(re.findall(r'\bt\("([a-z_]+)"', text))
    assert len(used) > 50, "the patterns no longer find the keys"
    assert used <= set(CATALOGUE), used - set(CATALOGUE)


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("zh-CN,zh;q=0.9,en;q=0.8", "zh"),
        ("en-US,en;q=0.9,zh-CN;q=0.8", "en"),
        ("fr-FR,en;q=0.5,zh;q=0.6", "zh"),
        ("de, en-GB;q=0.1", "en"),
        ("en;q=0, zh-TW", "zh"),
        ("fr", None),
        ("", None),
        (None, None),
        ("en;q=abc", None),
    ],
)
def test_accept_language(header: str | None, expected: str | None) -> None:
    assert from_accept_language(header) == expected


def test_the_switch_wins_then_the_cookie_then_the_browser() -> None:
    assert choose_language("en", "zh", "zh-CN") == "en"
    assert choose_language(None, "en", "zh-CN") == "en"
    assert choose_language("xx", "yy", "en-US") == "en"
    assert choose_language(None, None, None) == "zh"


def test_durations_and_labels() -> None:
    zh, en = Translator("zh"), Translator("en")
    assert (zh.duration(42), en.duration(42)) == ("42秒", "42 s")
    assert (zh.duration(75), en.duration(75)) == ("1分15秒", "1 min 15 s")
    assert (zh.duration(3720), en.duration(3720)) == ("1小时2分", "1 h 2 min")
    assert en.label("reason", "customer_request") == "Customer asked for a person"
    assert en.label("reason", "something_new") == "something_new"
    assert Translator("fr").language == "zh"


def test_markup_escapes_everything_but_markup() -> None:
    assert esc('<a href="x">&') == "&lt;a href=&quot;x&quot;&gt;&amp;"
    assert esc(None) == ""
    inner = render("<b>{x}</b>", x="<i>")
    assert inner == "<b>&lt;i&gt;</b>" and isinstance(inner, Html)
    assert render("<p>{x}</p>", x=inner) == "<p><b>&lt;i&gt;</b></p>"
    assert join(["<", Html("<br>")]) == "&lt;<br>"
    assert render('<a title="{t}">', t="\" onmouseover='x'") == (
        '<a title="&quot; onmouseover=&#x27;x&#x27;">'
    )


def test_chart_labels_are_escaped_and_bars_scaled() -> None:
    svg = bar_chart([("<b>", 2), ("b", 1)], title="t", chart_id="c")
    assert "&lt;b&gt;" in svg and "<b>" not in svg
    widths = [int(w) for w in re.findall(r'<rect[^>]*width="(\d+)"', svg)]
    assert widths[0] == 2 * widths[1]


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("/cases/3", "/cases/3"),
        ("//evil.example", "/"),
        ("/\\evil.example", "/"),
        ("https://evil.example", "/"),
        ("/x\r\nSet-Cookie: a=b", "/"),
        (None, "/"),
    ],
)
def test_safe_next(target: str | None, expected: str) -> None:
    assert safe_next(target) == expected


def test_throttle_locks_a_key_and_lets_it_go() -> None:
    now = [0.0]
    throttle = LoginThrottle(clock=lambda: now[0])
    keys = ["user:ann", "ip:127.0.0.1"]
    for _ in range(4):
        throttle.failure(keys)
    assert throttle.locked_for(keys) == 0
    throttle.failure(keys)
    assert throttle.locked_for(keys) == pytest.approx(300)
    assert throttle.locked_for(["user:bob", "ip:127.0.0.2"]) == 0
    now[0] += 300
    assert throttle.locked_for(keys) == 0


def test_the_address_limit_is_higher_than_the_username_limit() -> None:
    now = [0.0]
    throttle = LoginThrottle(clock=lambda: now[0])
    for index in range(19):
        throttle.failure([f"user:u{index}", "ip:10.0.0.1"])
    assert throttle.locked_for(["ip:10.0.0.1"]) == 0
    throttle.failure(["user:u19", "ip:10.0.0.1"])
    assert throttle.locked_for(["user:new", "ip:10.0.0.1"]) > 0


def test_a_success_clears_the_username(tmp_path: Path) -> None:
    throttle = LoginThrottle()
    for _ in range(4):
        throttle.failure(["user:ann"])
    throttle.success(["user:ann"])
    throttle.failure(["user:ann"])
    assert throttle.locked_for(["user:ann"]) == 0


async def test_periodic_work_goes_on_after_a_failure() -> None:
    calls: list[int] = []

    async def work() -> None:
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("Rasa is down")

    task = asyncio.create_task(every(0.01, work))
    await asyncio.sleep(0.2)
    task.cancel()
    assert len(calls) >= 2


async def test_periodic_work_starts_and_stops_with_the_server() -> None:
    listeners: dict[str, Callable[..., Awaitable[None]]] = {}
    app = SimpleNamespace(
        ctx=SimpleNamespace(),
        register_listener=lambda listener, event: listeners.__setitem__(event, listener),
    )
    calls: list[int] = []

    async def work() -> None:
        calls.append(1)

    run_periodically(app, 0.01, work)  # type: ignore[arg-type]
    loop = asyncio.get_running_loop()
    await listeners["after_server_start"](app, loop)
    await asyncio.sleep(0.1)
    await listeners["before_server_stop"](app, loop)
    await asyncio.sleep(0)
    assert calls and app.ctx.ticker.cancelled()


@pytest.mark.parametrize(
    ("path", "local"),
    [
        ("/queue", "/queue"),
        ("//evil.example/x", "/evil.example/x"),
        ("/\\evil", "/evil"),
        ("", "/"),
    ],
)
def test_the_language_switch_stays_on_the_console(path: str, local: str) -> None:
    assert local_path(path) == local


def test_a_stranger_cannot_lock_an_agent_out_from_elsewhere() -> None:
    from bot.console.access.auth import throttle_keys

    throttle = LoginThrottle(clock=lambda: 1000.0)
    for _ in range(5):
        throttle.failure(throttle_keys("ann", "203.0.113.9"))
    assert throttle.locked_for(throttle_keys("ann", "203.0.113.9")) > 0
    assert throttle.locked_for(throttle_keys("ann", "198.51.100.7")) == 0  # ann's own desk
