"""The one settings object: every knob is a DESKBOARD_* environment variable."""

import os
import secrets
from functools import lru_cache
from ipaddress import ip_network
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

LOOPBACK_HOSTS = ("localhost", "127.0.0.1", "::1")

# A comma-separated environment value ("10.0.0.1, 10.1.0.0/16"); JSON lists are not needed.
CommaList = Annotated[list[str], NoDecode]


class ConfigError(RuntimeError):
    """A setting that makes the server unsafe or unable to start; the message is one line."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="DESKBOARD_", env_file=".env", extra="ignore")

    env: Literal["development", "production", "test"] = "development"
    data_dir: Path = Path("./data")
    database_url: str | None = None
    redis_url: str | None = None
    host: str = "127.0.0.1"
    port: int = 8000
    secret_key: str | None = None
    allow_registration: bool = True

    access_token_minutes: int = 15
    refresh_token_days: int = 14
    # A session (refresh-token family) ends this long after sign-in however often it refreshes.
    session_max_days: int = Field(default=30, ge=1)
    # "N per period" strings in the `limits` library's notation.
    login_rate_limit: str = "10/minute"
    register_rate_limit: str = "5/minute"
    refresh_rate_limit: str = "60/minute"
    rate_limit_enabled: bool = True

    max_body_bytes: int = 1024 * 1024

    # Reverse proxies (IPs or CIDRs) whose X-Forwarded-For/-Proto/-Host are believed; default
    # none, so a client cannot choose its own address, scheme or host (deskboard/web/proxy.py).
    trusted_proxies: CommaList = Field(default_factory=list)
    # Host names the server answers to; required in production (loopback + `host` otherwise).
    allowed_hosts: CommaList = Field(default_factory=list)
    # Strict-Transport-Security max-age sent on https responses; 0 sends none.
    hsts_seconds: int = Field(default=31_536_000, ge=0)
    # Swagger UI (/api/docs) and the schema (/api/openapi.json); default: on outside production.
    expose_docs: bool | None = None
    # /metrics: open outside production by default; with a token, only `Bearer <token>` reads it.
    expose_metrics: bool | None = None
    metrics_token: str | None = None
    # How often each process looks for tickets due soon to warn their assignees; 0 turns it off.
    due_soon_sweep_seconds: float = Field(default=60.0, ge=0)
    # How long an analytics answer is reused (per filter and visibility scope) unless a ticket
    # event of this process drops it first; 0 turns the cache off (benchmarks of cache misses).
    analytics_cache_seconds: float = Field(default=15.0, ge=0)
    frontend_dist: Path = Field(
        default=Path(__file__).resolve().parent.parent / "frontend" / "dist"
    )

    @field_validator("trusted_proxies", "allowed_hosts", mode="before")
    @classmethod
    def _split_commas(cls, value: object) -> object:
        if isinstance(value, str):
            return [part.strip() for part in value.split(",") if part.strip()]
        return value

    @field_validator("trusted_proxies")
    @classmethod
    def _networks(cls, value: list[str]) -> list[str]:
        for entry in value:
            try:
                ip_network(entry, strict=False)
            except ValueError as exc:
                raise ValueError(f"{entry!r} is not an IP address or CIDR network") from exc
        return value

    @property
    def docs_exposed(self) -> bool:
        return self.expose_docs if self.expose_docs is not None else self.env != "production"

    @property
    def metrics_exposed(self) -> bool:
        if self.metrics_token:
            return True
        return self.expose_metrics if self.expose_metrics is not None else self.env != "production"

    @property
    def resolved_allowed_hosts(self) -> list[str]:
        """Return the Host names to answer; production must list them (no guessing)."""
        if self.allowed_hosts:
            return self.allowed_hosts
        if self.env == "production":
            raise ConfigError(
                "DESKBOARD_ALLOWED_HOSTS must be set in production "
                "(comma-separated host names this server answers to, e.g. desk.example.com)"
            )
        return list(dict.fromkeys([*LOOPBACK_HOSTS, self.host]))

    def ensure_data_dir(self) -> Path:
        """Create the data folder readable by its owner only (0700) when it does not exist."""
        self.data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
        return self.data_dir

    @property
    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite+aiosqlite:///{(self.data_dir / 'deskboard.db').resolve()}"

    @property
    def is_sqlite(self) -> bool:
        return self.resolved_database_url.startswith("sqlite")

    @property
    def resolved_secret_key(self) -> str:
        """Return the signing key; outside production, generate one kept in the data folder."""
        if self.secret_key:
            return self.secret_key
        if self.env == "production":
            raise RuntimeError("DESKBOARD_SECRET_KEY must be set in production")
        key_file = self.ensure_data_dir() / "secret_key"
        try:
            # Created 0600 before a byte is written; O_EXCL: a racing worker reads the winner's.
            descriptor = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(descriptor, "w") as handle:
                handle.write(secrets.token_urlsafe(48))
        self.secret_key = key_file.read_text().strip()
        return self.secret_key


@lru_cache
def get_settings() -> Settings:
    return Settings()
