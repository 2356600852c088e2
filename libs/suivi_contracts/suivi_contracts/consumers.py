"""The durable JetStream consumers on the stream SUIVI: their names (unique on the stream),
the subjects they read and the event types they act on (each parsed with its payload model)."""

from __future__ import annotations

from dataclasses import dataclass

from . import subjects


@dataclass(frozen=True)
class Consumer:
    durable: str
    subject: str
    handles: tuple[str, ...]


# commitments: each extracted item becomes a commitment or another source of one.
COMMITMENTS_EXTRACTED = Consumer(
    durable="commitments-extracted",
    subject=subjects.COMMITMENT_EXTRACTED,
    handles=(subjects.COMMITMENT_EXTRACTED,),
)

# ingest: links each extracted item to the commitment it became, unlinks deleted ones.
INGEST_COMMITMENT_LINKS = Consumer(
    durable="ingest",
    subject="suivi.commitment.>",
    handles=(subjects.COMMITMENT_CREATED, subjects.COMMITMENT_SOURCE_ADDED, subjects.COMMITMENT_DELETED),
)

# notify: every event, for its read model and the webhooks.
NOTIFY_FAN_OUT = Consumer(
    durable="notify",
    subject="suivi.>",
    handles=tuple(t for t in subjects.EVENT_TYPES if t != subjects.WEBHOOK_TEST),  # never the internal ones
)

CONSUMERS = (COMMITMENTS_EXTRACTED, INGEST_COMMITMENT_LINKS, NOTIFY_FAN_OUT)
