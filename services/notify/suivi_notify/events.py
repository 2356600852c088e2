"""The events notify itself emits, all through its outbox."""

from __future__ import annotations

SOURCE = "/suivi/notify"
CONSUMER = "notify"
