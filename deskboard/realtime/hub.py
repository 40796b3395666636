"""The one event hub: every event that leaves the service passes through here.

The realtime issue grows this into connections, replay and a Redis backend; the contract for the
rest of the code is only `deskboard.core.events.emit(session, Event(...))`.
"""

from collections.abc import Awaitable, Callable

from deskboard.core.events import Event

Listener = Callable[[Event], Awaitable[None]]


class InProcessHub:
    def __init__(self) -> None:
        self._listeners: list[Listener] = []

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener)

    async def publish(self, event: Event) -> None:
        for listener in list(self._listeners):
            await listener(event)
