"""The benchmark's crowd of dashboards: many websockets clients in one asyncio process."""

import asyncio
import json
import time
from datetime import datetime

from websockets.asyncio.client import ClientConnection, connect

_PONG = json.dumps({"type": "pong"})


class Fleet:
    """Open sockets, counting ticket events and their latency (receipt time - event `at`)."""

    def __init__(self) -> None:
        self.latencies: list[float] = []
        self.received = 0
        self.last_receipt = 0.0
        self.closed_early = 0
        self._sockets: list[ClientConnection] = []
        self._listeners: list[asyncio.Task[None]] = []

    @property
    def size(self) -> int:
        return len(self._sockets)

    async def open(self, url: str, tokens: list[str], *, parallel: int = 50) -> None:
        gate = asyncio.Semaphore(parallel)

        async def one(token: str) -> None:
            async with gate:
                socket = await connect(url, open_timeout=120, max_queue=256)
                await socket.send(json.dumps({"type": "auth", "token": token}))
                ready = json.loads(await asyncio.wait_for(socket.recv(), 120))
                if ready["type"] != "ready":
                    raise RuntimeError(f"expected ready, got {ready}")
            self._sockets.append(socket)
            self._listeners.append(asyncio.create_task(self._listen(socket)))

        await asyncio.gather(*(one(token) for token in tokens))

    async def _listen(self, socket: ClientConnection) -> None:
        try:
            async for raw in socket:
                now = time.time()
                message = json.loads(raw)  # a browser parses every message too
                kind = message["type"]
                if kind.startswith("ticket."):
                    sent = datetime.fromisoformat(message["at"]).timestamp()
                    self.latencies.append(now - sent)
                    self.received += 1
                    self.last_receipt = now
                elif kind == "ping":
                    await socket.send(_PONG)
        except Exception:  # the benchmark reports sockets that died instead of failing
            self.closed_early += 1

    async def wait_for(self, expected: int, *, within: float) -> bool:
        """Wait until `expected` ticket messages have arrived in total."""
        deadline = time.monotonic() + within
        while self.received < expected:
            if time.monotonic() > deadline:
                return False
            await asyncio.sleep(0.01)
        return True

    async def close(self) -> None:
        for task in self._listeners:
            task.cancel()
        await asyncio.gather(*(s.close() for s in self._sockets), return_exceptions=True)
        await asyncio.gather(*self._listeners, return_exceptions=True)
