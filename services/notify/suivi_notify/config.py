"""Notify's settings: the shared Settings plus the knobs only the webhook service reads."""

from __future__ import annotations

from typing import Annotated

from pydantic import field_validator
from pydantic_settings import NoDecode
from suivi_kit.settings import Settings

from .subscriptions.sealing import SecretBox, secret_box

DEFAULT_RETRY_SCHEDULE = (5.0, 300.0, 1800.0, 7200.0, 18000.0, 36000.0, 36000.0)


class NotifySettings(Settings):
    """Shared settings plus notify's own (SUIVI_WEBHOOK_* environment variables)."""

    # A subscriber has this long to answer.
    webhook_timeout_seconds: float = 15.0
    # Seconds between delivery attempts ("5,300,1800,…" in the environment).
    webhook_retry_schedule: Annotated[tuple[float, ...], NoDecode] = DEFAULT_RETRY_SCHEDULE
    # A subscription failing this long without a success is disabled.
    webhook_disable_after_days: float = 5.0
    # Timeouts and 429 answers wait at least this long before the next attempt (Svix: 60 s).
    webhook_throttle_min_seconds: float = 60.0
    # A Retry-After header is honoured up to this many seconds.
    webhook_retry_after_max_seconds: float = 3600.0
    # After a rotation the previous secret keeps signing (a second signature) this long.
    webhook_secret_grace_hours: float = 24.0
    # Deliveries in flight at once in one replica, and at most this many to one origin.
    webhook_concurrency: int = 64
    webhook_origin_connections: int = 8
    # How often the scheduler looks for passed deadlines and an unsent weekly digest.
    scheduler_interval_seconds: float = 300.0
    scheduler_enabled: bool = True
    # Finished deliveries, their events and the inbox are deleted after this many days (retention.py).
    webhook_log_retention_days: float = 30.0
    # An event handed to a replica that died is handed out again after this long (JetStream ack_wait).
    consumer_ack_wait_seconds: float = 10.0
    # Keys SUIVI_SECRET_KEY had before a rotation (comma-separated): webhook secrets sealed
    # under them are re-sealed under the current key at start (subscriptions/sealing.py).
    previous_secret_keys: Annotated[tuple[str, ...], NoDecode] = ()

    @field_validator("webhook_retry_schedule", mode="before")
    @classmethod
    def _split_schedule(cls, value: object) -> object:
        if isinstance(value, str):
            return tuple(float(part) for part in value.split(",") if part.strip())
        return value

    @field_validator("previous_secret_keys", mode="before")
    @classmethod
    def _split_keys(cls, value: object) -> object:
        if isinstance(value, str):
            return tuple(key.strip() for key in value.split(",") if key.strip())
        return value

    @property
    def secret_box(self) -> SecretBox:
        return secret_box(self.secret_key, self.previous_secret_keys)
