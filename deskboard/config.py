"""The one settings object: every knob is a DESKBOARD_* environment variable."""

import secrets
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


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
    # "N per period" strings in the `limits` library's notation.
    login_rate_limit: str = "10/minute"
    register_rate_limit: str = "5/minute"
    refresh_rate_limit: str = "60/minute"
    rate_limit_enabled: bool = True

    max_body_bytes: int = 1024 * 1024
    # How often each process looks for tickets due soon to warn their assignees; 0 turns it off.
    due_soon_sweep_seconds: float = Field(default=60.0, ge=0)
    # How long an analytics answer is reused (per filter and visibility scope) unless a ticket
    # event of this process drops it first; 0 turns the cache off (benchmarks of cache misses).
    analytics_cache_seconds: float = Field(default=15.0, ge=0)
    # JSON lines for log collectors; readable text while developing. Unset: json in production.
    log_format: Literal["json", "text"] | None = None
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    # On SIGTERM, how long in-flight requests may finish before they are cancelled.
    shutdown_grace_seconds: int = Field(default=20, ge=0)
    frontend_dist: Path = Field(
        default=Path(__file__).resolve().parent.parent / "frontend" / "dist"
    )

    @property
    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite+aiosqlite:///{(self.data_dir / 'deskboard.db').resolve()}"

    @property
    def resolved_log_format(self) -> Literal["json", "text"]:
        if self.log_format is not None:
            return self.log_format
        return "json" if self.env == "production" else "text"

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
    return Settings()
