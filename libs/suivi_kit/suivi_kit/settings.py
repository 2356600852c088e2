"""The settings every service shares, read from SUIVI_* environment variables and `.env`.

Each service's own options are in a subclass in its config.py (`IngestSettings`, …); `of()`
makes one from the shared settings a runner such as `suivi run` built once for all."""

from __future__ import annotations

import os
import warnings
from collections.abc import Mapping
from datetime import timedelta
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Self, TypedDict

from pydantic import ByteSize, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

PLACEHOLDER_SECRET = "change-me"


class StreamLimits(TypedDict):
    """ensure_stream's keyword arguments for the stream's limits."""

    max_age_seconds: float
    max_bytes: int


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="SUIVI_", env_file=".env", extra="ignore")

    env: str = "development"
    data_dir: Path = Path("var")
    database_url: str | None = None
    nats_url: str | None = None
    stream_replicas: int = 1
    # What the stream SUIVI keeps: events younger than this (0: no age limit), up to this
    # size ("6GiB"; unset: no size limit); beyond either the oldest go. Read the interplay
    # with consumers' downtime and `suivi restore` in docs/deployment.md before setting them.
    stream_max_age_days: float = 0.0
    stream_max_bytes: ByteSize | None = None
    secret_key: str = PLACEHOLDER_SECRET
    token_ttl_minutes: int = 12 * 60
    admin_password: str | None = None
    cors_origins: Annotated[list[str], NoDecode] = []
    fetch_timeout_seconds: float = 15.0
    # Lets document fetches, evidence archiving and webhooks reach private, loopback and
    # link-local addresses: development and closed networks only.
    allow_private_addresses: bool = False
    # Its name until 0.1 (SUIVI_WEBHOOK_ALLOW_PRIVATE): still read, with a warning, in 0.2 only.
    webhook_allow_private: bool | None = None
    # Outbox rows are deleted this long after they were published (0: kept forever).
    outbox_retention_days: float = 7.0
    # uvicorn: keep idle connections open longer than the proxies in front reuse them
    # (nginx's upstream keepalive_timeout and ingress-nginx's are 60 s), so that the proxy,
    # never the service, closes an idle connection; on SIGTERM, requests in flight get this
    # long to finish.
    http_keep_alive_seconds: int = 75
    http_graceful_shutdown_seconds: int = 30
    # Addresses or networks of the reverse proxies whose X-Forwarded-For/-Proto uvicorn
    # believes (comma-separated): the client's address in logs and the audit trail comes from
    # them. From any other peer the headers are ignored; never "*" where clients connect.
    forwarded_allow_ips: str = "127.0.0.1"

    @field_validator("cors_origins", mode="before")
    @classmethod
    def _split_origins(cls, value: object) -> object:
        if isinstance(value, str):
            return [origin.strip() for origin in value.split(",") if origin.strip()]
        return value

    @model_validator(mode="after")
    def _read_deprecated_names(self) -> Settings:
        if self.webhook_allow_private is not None:
            warnings.warn(
                "SUIVI_WEBHOOK_ALLOW_PRIVATE is deprecated; set SUIVI_ALLOW_PRIVATE_ADDRESSES instead.",
                FutureWarning,
                stacklevel=2,
            )
            if "allow_private_addresses" not in self.model_fields_set:
                self.allow_private_addresses = self.webhook_allow_private
        return self

    @model_validator(mode="after")
    def _refuse_placeholder_secrets_in_production(self) -> Settings:
        if self.env == "production":
            database_urls = {name: value for name, value in os.environ.items() if _is_database_url(name)}
            refuse_placeholder_secrets(
                {
                    "SUIVI_SECRET_KEY": self.secret_key,
                    "SUIVI_ADMIN_PASSWORD": self.admin_password,
                    **database_urls,
                    "SUIVI_DATABASE_URL": self.database_url,
                }
            )
        return self

    @property
    def stream_limits(self) -> StreamLimits:
        """ensure_stream's keyword arguments for the limits above."""
        return {
            "max_age_seconds": self.stream_max_age_days * 86400,
            "max_bytes": -1 if self.stream_max_bytes is None else int(self.stream_max_bytes),
        }

    @classmethod
    def of(cls, settings: Settings | None = None) -> Self:
        """A service's settings: the shared values of `settings` (None: from the environment),
        the service's own from the environment."""
        if isinstance(settings, cls):
            return settings
        if settings is None:
            return cls()
        return cls(**{name: getattr(settings, name) for name in Settings.model_fields})

    @property
    def outbox_kept(self) -> timedelta | None:
        return timedelta(days=self.outbox_retention_days) if self.outbox_retention_days > 0 else None

    def database_url_for(self, service: str) -> str:
        """Each service owns its database: a SQLite file of its own, or its own schema in PostgreSQL."""
        override = _env(f"SUIVI_{service.upper()}_DATABASE_URL")
        if override:
            return override
        if self.database_url:
            return self.database_url
        return f"sqlite+aiosqlite:///{(self.data_dir / f'{service}.db').resolve()}"

    @property
    def nats_servers(self) -> list[str]:
        return [url.strip() for url in (self.nats_url or "").split(",") if url.strip()]


def refuse_placeholder_secrets(secrets: Mapping[str, str | None]) -> None:
    """Raise ValueError naming every secret that is unset or still the placeholder.

    `secrets` maps variable names to values; for a database URL the secret is its password
    (a SQLite file or a PostgreSQL socket needs none)."""
    problems = [problem for name, value in secrets.items() if (problem := _secret_problem(name, value))]
    if problems:
        raise ValueError("SUIVI_ENV=production refuses to start: " + "; ".join(problems))


def _secret_problem(name: str, value: str | None) -> str | None:
    if _is_database_url(name):
        if value is None:
            return None  # no server database: each service's SQLite file in the data directory
        try:
            url = make_url(value)
        except ArgumentError:
            return f"{name} is not a database URL"
        if url.get_backend_name() == "sqlite" or not url.host or url.host.startswith("/"):
            return None
        name, value = f"the password in {name}", url.password
    if not value:
        return f"{name} is not set"
    if value == PLACEHOLDER_SECRET:
        return f"{name} is the placeholder {PLACEHOLDER_SECRET!r}"
    return None


def _is_database_url(name: str) -> bool:
    return name.startswith("SUIVI_") and name.endswith("DATABASE_URL")


def _env(name: str) -> str | None:
    return os.environ.get(name) or None


@lru_cache
def get_settings() -> Settings:
    return Settings()
