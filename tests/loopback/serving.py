"""A Sanic app served on a free loopback port inside the test's own event loop."""

from __future__ import annotations

from collections.abc import AsyncIterator

from sanic import Sanic

from tools.devstack import free_port


async def serve_on_loopback(app: Sanic) -> AsyncIterator[str]:
    """Serve ``app`` and yield its base URL; stop listening and drop connections after."""
    port = free_port()
    served = await app.create_server(
        host="127.0.0.1", port=port, return_asyncio_server=True, access_log=False
    )
    assert served is not None
    await served.startup()
    await served.start_serving()
    yield f"http://127.0.0.1:{port}"
    assert served.server is not None
    served.server.close()
    for connection in list(served.connections):
        connection.abort()
    await served.wait_closed()
