"""The one settings object: every knob is a DESKBOARD_* environment variable."""

import os
import secrets
from functools import lru_cache
from ipaddress import ip_network
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import Field, ValidationError, ValidationInfo, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

LOOPBACK_HOSTS = ("localhost", "127.0.0.1", "::1")

# A comma-separated environment value ("10.0.0.1, 10.1.0.0/16"); JSON lists are not needed.
CommaList = Annotated[list[str], NoDecode]

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
    # PostgreSQL connections each process keeps open, and how many more it may open under a
    # burst. Connections past the pool are opened and closed per request (a TCP, TLS and auth
    # handshake each: the list's p99 came from these), so size the pool for the concurrent
    # requests a process serves; processes x (pool + overflow) must stay under the server's
    # max_connections (PostgreSQL's default: 100).
    db_pool_size: int = Field(default=20, ge=1, le=500)
    db_max_overflow: int = Field(default=10, ge=0, le=500)
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
    # How often the cluster's outbox leader publishes realtime events a process left behind (it
    # died between commit and publish, or Redis was down) and purges expired idempotency keys;
    # 0 turns it off (tests run a round themselves).
    event_outbox_seconds: float = Field(default=2.0, ge=0)
    # How long a stored Idempotency-Key answer is replayed to a retry.
    idempotency_key_hours: int = Field(default=24, ge=1, le=720)
    # How often each process looks for tickets due soon to warn their assignees; 0 turns it off.
    due_soon_sweep_seconds: float = Field(default=60.0, ge=0)
    # How often the SLA sweep (once per cluster) marks breaches and warns about tickets at risk
    # or breached; 0 turns it off (tests call deskboard.sla.sweep.sweep_sla themselves).
    sla_sweep_seconds: float = Field(default=30.0, ge=0)
    # How often the once-per-cluster time-rule sweep (automations) runs; 0 turns it off.
    automation_sweep_seconds: float = Field(default=60.0, ge=0)
    # How long an analytics answer is reused (per filter and visibility scope) unless a ticket
    # event of this process drops it first; 0 turns the cache off (benchmarks of cache misses).
    analytics_cache_seconds: float = Field(default=15.0, ge=0)
    # JSON lines for log collectors; readable text while developing. Unset: json in production.
    log_format: Literal["json", "text"] | None = None
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    # On SIGTERM, how long in-flight requests may finish before they are cancelled.
    shutdown_grace_seconds: int = Field(default=20, ge=0)

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
    # The email channel (docs/mail.md). mail_poll_seconds: how often the poll leader looks for
    # mailboxes due (each has its own poll_seconds); mail_send_seconds: how often each process
    # looks for due outbox mail. 0 turns either off (tests run them themselves).
    mail_poll_seconds: float = Field(default=5.0, ge=0)
    mail_send_seconds: float = Field(default=2.0, ge=0)
    mail_timeout_seconds: float = Field(default=30.0, gt=0, le=300)
    mail_max_attempts: int = Field(default=8, ge=1, le=30)
    mail_retry_base_seconds: float = Field(default=60.0, ge=0)
    mail_retry_max_seconds: float = Field(default=3600.0, ge=0)
    mail_lease_seconds: float = Field(default=120.0, ge=1)
    # Largest raw message read (IMAP or the inbound endpoint); larger ones are quarantined.
    mail_max_message_bytes: int = Field(default=40 * 1024 * 1024, ge=1024)
    # "We received your message" notices to one sender per hour; more are not sent (loops).
    mail_ack_per_hour: int = Field(default=3, ge=0)
    # Messages fetched per IMAP round trip.
    mail_fetch_batch: int = Field(default=50, ge=1, le=1000)
    # Attachments (deskboard/attachments). A file over max_attachment_bytes is refused (413).
    max_attachment_bytes: int = Field(default=20 * 1024 * 1024, ge=1)
    # Where file contents live: "local" (data_dir/attachments, one file per sha256) or "s3"
    # (any S3-compatible store: attachment_s3_bucket, and endpoint/region/keys when not AWS's
    # defaults; unset keys fall back to boto3's usual chain: environment, profile, instance).
    attachment_store: Literal["local", "s3"] = "local"
    attachment_s3_bucket: str | None = Field(default=None, validate_default=True)
    attachment_s3_prefix: str = "attachments/"
    attachment_s3_endpoint_url: str | None = None
    attachment_s3_region: str | None = None
    attachment_s3_access_key_id: str | None = None
    attachment_s3_secret_access_key: str | None = None
    # How often one process (the leader) removes contents no attachment uses any more and
    # uploads never attached to anything; 0 turns it off (tests call the sweep themselves).
    attachment_sweep_seconds: float = Field(default=3600.0, ge=0)
    # An upload not attached to a ticket within this long is removed by the sweep.
    attachment_draft_hours: float = Field(default=24.0, gt=0)
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

    @field_validator("attachment_s3_bucket")
    @classmethod
    def _s3_needs_a_bucket(cls, value: str | None, info: ValidationInfo) -> str | None:
        if info.data.get("attachment_store") == "s3" and not value:
            raise ValueError("must be set when DESKBOARD_ATTACHMENT_STORE=s3")
        return value or None

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
