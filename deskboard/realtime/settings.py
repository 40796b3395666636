"""Realtime knobs: DESKBOARD_WS_* environment variables (the Redis URL is DESKBOARD_REDIS_URL)."""

from pydantic_settings import BaseSettings, SettingsConfigDict


class RealtimeSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="DESKBOARD_WS_", env_file=".env", extra="ignore")

    # Seconds a new socket has to send its {"type": "auth"} message.
    auth_timeout: float = 5.0
    # Seconds between server {"type": "ping"} messages; a socket silent for
    # `heartbeat_interval * heartbeat_misses` seconds is dropped as dead.
    heartbeat_interval: float = 25.0
    heartbeat_misses: int = 2
    # Messages waiting for one slow socket before it is dropped (it may reconnect and replay).
    send_queue_size: int = 256
    # Open sockets per person in one server process; the newest over the cap is refused.
    max_connections_per_user: int = 10
    # Events kept for replay (in-process deque length, Redis stream MAXLEN ~).
    log_size: int = 10_000
    # Most events a reconnecting client is sent; beyond that it is told to resync.
    replay_limit: int = 1_000
    # Largest client message accepted, in characters.
    max_message_chars: int = 16_384
    # Before authentication: the auth message's cap (its schema allows a 4096-character token
    # plus ids, so nothing valid is refused) and the sockets one address may hold awaiting it.
    max_auth_message_chars: int = 6_144
    max_unauthenticated_per_address: int = 10
    redis_stream: str = "deskboard:events"
