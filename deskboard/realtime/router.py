"""WS /api/ws: the realtime socket (protocol in deskboard/realtime/protocol.py)."""

from fastapi import APIRouter, WebSocket

from deskboard.realtime.session import serve_socket

router = APIRouter(tags=["realtime"])


@router.websocket("/ws")
async def realtime_socket(websocket: WebSocket) -> None:
    await serve_socket(websocket, websocket.app.state.hub)
