"""The one settings object: every knob is a DESKBOARD_* environment variable."""

import secrets
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

# HS256 keys shorter than the hash's output (32 bytes) weaken the signature (RFC 7518 3.2).
MIN_SECRET_KEY_BYTES = 32


class ConfigError(RuntimeError):
    """A setting that makes no sense; the message is one line, naming the variable."""


class Settings(BaseSettings):
    """Every knob is DESKBOARD_<NAME>. Those that guard accounts:

    allow_registration: self-service sign-up; default on in development and test, off in
      production unless DESKBOARD_ALLOW_REGISTRATION=true.
    secret_key: at least 32 bytes when given (the generated one is 64 characters).
    password_min_length: 15 by default, NIST SP 800-63B rev. 4's minimum for a password that is
      the only factor (8 is its floor when another factor is used, so it is the lowest allowed).
    login_free_failures: wrong passwords per (account, address), or per (account, device cookie),
      before back-off; then each further failure waits login_backoff_seconds, doubling per
      failure up to login_backoff_max_seconds (429 + Retry-After). A success clears the count,
      which is otherwise forgotten login_failure_memory_seconds after the first failure.
    login_address_failure_limit: failed sign-ins from one address across accounts (spraying).
    login_account_failure_limit: failed sign-ins for one account across addresses; it holds back
      only clients without a device cookie for that account.
    device_cookie_days: lifetime of the signed device cookie a successful sign-in leaves, which
      lets that browser through the two caps above (OWASP's "device cookies").
    Limits are "N per period" strings in the `limits` library's notation.
    """

    model_config = SettingsConfigDict(env_prefix="DESKBOARD_", env_file=".env", extra="ignore")

    env: Literal["development", "production", "test"] = "development"
    data_dir: Path = Path("./data")
    database_url: str | None = None
    redis_url: str | None = None
    host: str = "127.0.0.1"
    port: int = 8000
    secret_key: str | None = None
    allow_registration: bool = False  # unset: on outside production (see _default_registration)
    password_min_length: int = Field(default=15, ge=8, le=64)

    access_token_minutes: int = 15
    refresh_token_days: int = 14
    # A session (refresh-token family) ends this long after sign-in however often it refreshes.
    session_max_days: int = Field(default=30, ge=1)
    # "N per period" strings in the `limits` library's notation.
    login_free_failures: int = Field(default=5, ge=1)
    login_backoff_seconds: int = Field(default=1, ge=1)
    login_backoff_max_seconds: int = Field(default=900, ge=1)
    login_failure_memory_seconds: int = Field(default=86400, ge=60)
    login_address_failure_limit: str = "30 per 15 minutes"
    login_account_failure_limit: str = "20 per hour"
    device_cookie_days: int = Field(default=90, ge=1, le=400)
    register_rate_limit: str = "5/minute"
    refresh_rate_limit: str = "60/minute"
    rate_limit_enabled: bool = True

    max_body_bytes: int = 1024 * 1024
    # How often each process looks for tickets due soon to warn their assignees; 0 turns it off.
    due_soon_sweep_seconds: float = Field(default=60.0, ge=0)
    # How long an analytics answer is reused (per filter and visibility scope) unless a ticket
    # event of this process drops it first; 0 turns the cache off (benchmarks of cache misses).
    analytics_cache_seconds: float = Field(default=15.0, ge=0)
    # Outgoing webhooks (docs/webhooks.md). Each process runs one delivery worker that looks
    # for due deliveries every webhook_poll_seconds; 0 turns it off (tests run it themselves).
    webhook_poll_seconds: float = Field(default=2.0, ge=0)
    webhook_timeout_seconds: float = Field(default=5.0, gt=0, le=60)
    webhook_max_attempts: int = Field(default=8, ge=1, le=30)
    # Attempt n waits about base * 2**(n-1) seconds (capped, with jitter) after a failure.
    webhook_retry_base_seconds: float = Field(default=30.0, ge=0)
    webhook_retry_max_seconds: float = Field(default=3600.0, ge=0)
    # A claimed delivery is another worker's again after this long (a crashed process).
    webhook_lease_seconds: float = Field(default=60.0, ge=1)
    # SSRF guard: whether deliveries may go to private, loopback or link-local addresses;
    # unset: allowed outside production (tests use loopback receivers), refused in production.
    webhook_allow_private: bool = False
    frontend_dist: Path = Field(
        default=Path(__file__).resolve().parent.parent / "frontend" / "dist"
    )

    @model_validator(mode="before")
    @classmethod
    def _default_registration(cls, data: Any) -> Any:
        if isinstance(data, dict) and data.get("allow_registration") is None:
            data = {**data, "allow_registration": data.get("env", "development") != "production"}
        if isinstance(data, dict) and data.get("webhook_allow_private") is None:
            data = {**data, "webhook_allow_private": data.get("env", "development") != "production"}
        return data

    @field_validator("secret_key")
    @classmethod
    def _long_enough_key(cls, value: str | None) -> str | None:
        if not value:
            return None  # unset: generated outside production, required in production
        if len(value.encode()) < MIN_SECRET_KEY_BYTES:
            raise ValueError(
                f"DESKBOARD_SECRET_KEY must be at least {MIN_SECRET_KEY_BYTES} bytes; "
                "make one with: python -c 'import secrets; print(secrets.token_urlsafe(48))'"
            )
        return value

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
        key_file = self.data_dir / "secret_key"
        if not key_file.exists():
            self.data_dir.mkdir(parents=True, exist_ok=True)
            key_file.write_text(secrets.token_urlsafe(48))
            key_file.chmod(0o600)
        self.secret_key = key_file.read_text().strip()
        return self.secret_key


@lru_cache
def get_settings() -> Settings:
    """Read the settings once; a bad value raises ConfigError with one readable line."""
    try:
        return Settings()
    except ValidationError as exc:
        problems = "; ".join(
            str(e["msg"]).removeprefix("Value error, ")
            if e["loc"] == ("secret_key",)
            else f"DESKBOARD_{'_'.join(map(str, e['loc'])).upper()}: {e['msg']}"
            for e in exc.errors()
        )
        raise ConfigError(f"Invalid configuration: {problems}") from None
