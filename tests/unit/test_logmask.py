"""The processes' logs: phone numbers masked, httpx's URL lines (tokens) left out."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator

import pytest

from bot.logmask import MaskingFilter, configure_logging


@pytest.fixture
def root_log() -> Iterator[io.StringIO]:
    """The root logger configured as a process does, writing into a buffer."""
    root = logging.getLogger()
    saved_handlers, saved_level = root.handlers[:], root.level
    httpx_level = logging.getLogger("httpx").level
    root.handlers = []
    buffer = io.StringIO()
    configure_logging()
    for handler in root.handlers:
        assert isinstance(handler, logging.StreamHandler)
        handler.setStream(buffer)
    yield buffer
    root.handlers, root.level = saved_handlers, saved_level
    logging.getLogger("httpx").setLevel(httpx_level)


def test_numbers_are_masked_and_request_urls_left_out(root_log: io.StringIO) -> None:
    logging.getLogger("bot.notices").info("notice sent to %s", "+8613800000005")
    logging.getLogger("httpx").info(
        "HTTP Request: POST http://127.0.0.1:5005/conversations/+8613800000005/"
        "trigger_intent?token=b95483163e6ba4d1 200"
    )
    logging.getLogger("httpx").warning("retrying +8613800000001")
    text = root_log.getvalue()
    assert "+86138****0005" in text and "+8613800000005" not in text
    assert "token=" not in text
    assert "+86138****0001" in text  # warnings still show, masked


def test_the_filter_leaves_other_lines_alone() -> None:
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "balance %s", ("23.50",), None)
    assert MaskingFilter().filter(record) and record.getMessage() == "balance 23.50"


def test_numbers_written_in_groups_are_masked_in_logs(root_log: io.StringIO) -> None:
    logging.getLogger("bot.channels").info("customer wrote %s", "call me on +86 139-1234-5678")
    text = root_log.getvalue()
    assert "+86 ***-****-5678" in text and "139-1234" not in text
