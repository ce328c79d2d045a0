"""What the SMS channel reads of a Sanic request: a streamed body and its headers."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from dataclasses import dataclass


class FakeStream:
    """A streamed body: the chunks, each after ``delay`` seconds; ``reads`` counts the chunks
    handed out."""

    def __init__(self, chunks: Iterable[bytes], delay: float = 0.0) -> None:
        self._chunks = list(chunks)
        self._delay = delay
        self.reads = 0

    async def read(self) -> bytes | None:
        await asyncio.sleep(self._delay)
        if self.reads == len(self._chunks):
            return None
        self.reads += 1
        return self._chunks[self.reads - 1]


@dataclass
class FakeRequest:
    """What ``SmsInput._signed_body`` looks at: headers and the body stream."""

    headers: dict[str, str]
    stream: FakeStream
