"""The console's dashboard shows the data packs ordered today and this month."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from tests.loopback.test_console_support import Kit, running_kit, signed_in


@pytest.fixture
def kit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Kit]:
    yield from running_kit(tmp_path, monkeypatch)


def test_the_page_and_the_api(kit: Kit) -> None:
    kit.desk.board = replace(kit.desk.board, data_packs_today=2, data_packs_month=7)
    client = signed_in(kit, headers={"Accept-Language": "en"})
    page = client.get("/dashboard").text
    assert re.search(r'id="fig-packs-today"><span class="value">2<', page)
    assert re.search(r'id="fig-packs-month"><span class="value">7<', page)
    assert "Data packs ordered this month" in page
    assert client.get("/api/dashboard").json()["data_packs"] == {"today": 2, "month": 7}
    zh = signed_in(kit, headers={"Accept-Language": "zh-CN"}).get("/dashboard").text
    assert "今日流量包订购" in zh


def test_no_figure_is_a_dash(kit: Kit) -> None:
    page = signed_in(kit, headers={"Accept-Language": "en"}).get("/dashboard").text
    assert re.search(r'id="fig-packs-today"><span class="value">—<', page)
