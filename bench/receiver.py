"""The webhook subscriber of the benchmarks: a minimal HTTP/1.1 keep-alive server on asyncio
that notes when each webhook-id arrives (cheap, so that it is not what the figures measure)."""

from __future__ import annotations

import asyncio
import time


class Receiver:
    def __init__(self) -> None:
        self.arrivals: dict[str, list[float]] = {}  # webhook-id -> perf_counter() of each arrival
        self.bodies: list[tuple[float, bytes]] = []  # requests to paths starting /keep
        self.count = 0
        self.port = 0
        self._server: asyncio.Server | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hook"

    async def start(self) -> None:
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", 0, backlog=2048)
        self.port = self._server.sockets[0].getsockname()[1]

    async def stop(self) -> None:
        if self._server:
            self._server.close()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                now = time.perf_counter()
                length, webhook_id = 0, ""
                for line in head.split(b"\r\n")[1:]:
                    name, _, value = line.partition(b":")
                    name = name.strip().lower()
                    if name == b"content-length":
                        length = int(value)
                    elif name == b"webhook-id":
                        webhook_id = value.strip().decode()
                body = await reader.readexactly(length)
                if not webhook_id:  # not a webhook: the evidence archiver fetching a URL
                    writer.write(b"HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\n\r\n")
                    continue
                if head.split(b" ", 2)[1].startswith(b"/keep"):
                    self.bodies.append((now, body))
                self.arrivals.setdefault(webhook_id, []).append(now)
                self.count += 1
                writer.write(b"HTTP/1.1 204 No Content\r\ncontent-length: 0\r\n\r\n")
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()
