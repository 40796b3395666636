"""Redis backend: one stream is both the replay log and the fan-out to every server process.

Each process XADDs what it publishes and runs one reader task that XREADs (blocking) everything
after the last id it delivered, so every process sees every event in the same order, and the
stream ids are the event ids a reconnecting client sends back.
"""

import asyncio
import contextlib
import logging
from collections.abc import Callable
from typing import Any, cast

from redis.asyncio import Redis
from redis.exceptions import RedisError, ResponseError

from deskboard.core.events import Event
from deskboard.realtime.log import (
    DeliverEvent,
    DeliverPresence,
    LoggedEvent,
    PresenceCount,
    decode_event,
    decode_presence,
    encode_event,
    encode_presence,
)
from deskboard.realtime.protocol import EventId, format_event_id, parse_event_id

logger = logging.getLogger(__name__)

_EVENT_FIELD = "e"
_PRESENCE_FIELD = "p"
_BLOCK_MS = 5_000
_READ_BATCH = 1_000
_ZERO: EventId = (0, 0)
# A paused or unreachable Redis must fail a publish quickly (the request waits on it), and the
# blocking reader must outwait its own XREAD block.
_COMMAND_TIMEOUT = 2.0
_READER_TIMEOUT = _BLOCK_MS / 1000 + 5


class RedisBackend:
    def __init__(self, url: str, *, stream: str, log_size: int, replay_limit: int) -> None:
        self._url = url
        self._stream = stream
        self._log_size = log_size
        self._replay_limit = replay_limit
        self._redis: Redis | None = None
        self._reader_redis: Redis | None = None
        self._reader: asyncio.Task[None] | None = None
        # Called when the reader works again after failing (Redis back after an outage).
        self.on_recover: Callable[[], None] | None = None

    @property
    def _client(self) -> Redis:
        if self._redis is None:
            raise RuntimeError("The Redis backend is not started")
        return self._redis

    async def start(self, deliver: DeliverEvent, presence: DeliverPresence) -> None:
        self._redis = Redis.from_url(
            self._url,
            decode_responses=True,
            protocol=2,
            socket_timeout=_COMMAND_TIMEOUT,
            socket_connect_timeout=_COMMAND_TIMEOUT,
        )
        # The blocking XREAD gets its own client, so publishing never waits behind it.
        self._reader_redis = Redis.from_url(
            self._url,
            decode_responses=True,
            protocol=2,
            socket_timeout=_READER_TIMEOUT,
            socket_connect_timeout=_COMMAND_TIMEOUT,
        )
        start_after: str | None = None
        try:
            start_after = format_event_id(await self.head())
        except RedisError:
            # Redis down at start-up delays delivery (the reader retries) but not the server.
            logger.warning("Redis is unreachable; realtime delivery waits for it", exc_info=True)
        self._reader = asyncio.create_task(
            self._read_forever(start_after, deliver, presence), name="realtime-redis-reader"
        )

    async def stop(self) -> None:
        if self._reader is not None:
            self._reader.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._reader
            self._reader = None
        for client in (self._redis, self._reader_redis):
            if client is not None:
                await client.aclose()
        self._redis = self._reader_redis = None

    async def publish(self, event: Event) -> None:
        await self._add({_EVENT_FIELD: encode_event(event)})

    async def publish_encoded(self, payload: str) -> None:
        """Publish an event already encoded (an outbox row)."""
        await self._add({_EVENT_FIELD: payload})

    async def publish_presence(self, count: PresenceCount) -> None:
        await self._add({_PRESENCE_FIELD: encode_presence(count)})

    async def _add(self, fields: dict[str, str]) -> None:
        await self._client.xadd(
            self._stream,
            fields,  # type: ignore[arg-type]
            maxlen=self._log_size,
            approximate=True,
        )

    async def head(self) -> EventId:
        return await self._head(self._client)

    async def _head(self, client: Redis) -> EventId:
        info = await self._info(client)
        if info is None:
            return _ZERO
        return parse_event_id(info["last-generated-id"]) or _ZERO

    async def _info(self, client: Redis) -> dict[str, Any] | None:
        try:
            return await client.xinfo_stream(self._stream)
        except ResponseError:  # no such key: nothing was ever published
            return None

    async def replay(self, after: EventId) -> list[LoggedEvent] | None:
        async with self._client.pipeline(transaction=True) as pipe:
            pipe.xinfo_stream(self._stream)
            pipe.xrange(
                self._stream, min=f"({format_event_id(after)}", count=self._replay_limit + 1
            )
            try:
                info, entries = await pipe.execute()
            except ResponseError:  # the stream does not exist
                return [] if after == _ZERO else None
        if self._gap(info, after) or len(entries) > self._replay_limit:
            return None
        missed: list[LoggedEvent] = []
        for entry_id, fields in entries:
            parsed = parse_event_id(entry_id)
            if parsed is not None and _EVENT_FIELD in fields:
                missed.append(decode_event(parsed, fields[_EVENT_FIELD]))
        return missed

    @staticmethod
    def _gap(info: dict[str, Any], after: EventId) -> bool:
        """Whether events after `after` may have been trimmed, or `after` is not of this log."""
        last = parse_event_id(info["last-generated-id"]) or _ZERO
        if after > last:
            return True
        # Trimming does not move max-deleted-entry-id; compare with the oldest entry kept.
        # A client exactly at the last trimmed entry is told to resync too: harmless.
        first = parse_event_id(info.get("recorded-first-entry-id") or "") or _first_id(info)
        trimmed = int(info.get("entries-added", 0)) > int(info["length"])
        return trimmed and first is not None and after < first

    async def _read_forever(
        self, last: str | None, deliver: DeliverEvent, presence: DeliverPresence
    ) -> None:
        assert self._reader_redis is not None
        backoff = 0.5
        failing = last is None
        while True:
            try:
                if last is None:
                    last = format_event_id(await self._head(self._reader_redis))
                batches = cast(
                    list[Any],
                    await self._reader_redis.xread(
                        {self._stream: last}, block=_BLOCK_MS, count=_READ_BATCH
                    ),
                )
                backoff = 0.5
            except (RedisError, OSError):
                logger.warning(
                    "Reading the realtime stream failed; retrying in %.1fs", backoff, exc_info=True
                )
                failing = True
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, 4.0)
                continue
            if failing:
                failing = False
                if self.on_recover is not None:
                    self.on_recover()
            for _stream, entries in batches:
                for entry_id, fields in entries:
                    last = entry_id
                    self._dispatch(entry_id, fields, deliver, presence)

    @staticmethod
    def _dispatch(
        entry_id: str, fields: dict[str, str], deliver: DeliverEvent, presence: DeliverPresence
    ) -> None:
        parsed = parse_event_id(entry_id)
        try:
            if parsed is not None and _EVENT_FIELD in fields:
                deliver(decode_event(parsed, fields[_EVENT_FIELD]))
            elif _PRESENCE_FIELD in fields:
                presence(decode_presence(fields[_PRESENCE_FIELD]))
        except Exception:  # one bad entry must not stop delivery of the rest
            logger.exception("Skipping realtime stream entry %s", entry_id)


def _first_id(info: dict[str, Any]) -> EventId | None:
    entry = info.get("first-entry")
    return parse_event_id(entry[0]) if entry else None
