"""The consuming side: one durable pull loop with the inbox built in.

A handler gets the events of a batch in one unit of work whose first statement records
(consumer, event id) in the inbox, so it sees each event once however often JetStream
delivers it. The messages are acked after the commit; a failure naks them with a growing
delay (a batch that fails is retried one message at a time, so one bad event holds up no
other); a message that is no CloudEvent, or whose handler raises PermanentFailure, is
terminated.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Collection
from datetime import datetime

from nats.aio.msg import Msg
from nats.errors import TimeoutError as NatsTimeout
from nats.js import JetStreamContext
from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy
from prometheus_client import Counter
from sqlalchemy import Column
from sqlalchemy.dialects.postgresql import insert as postgres_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Field, SQLModel, col
from sqlmodel.ext.asyncio.session import AsyncSession

from .db_types import UTCDateTime
from .events import STREAM, CloudEvent, utcnow
from .queries import dialect_name
from .uow import Database, UnitOfWork

log = logging.getLogger(__name__)

EVENTS = Counter("suivi_events_consumed_total", "Events consumed, by consumer", ["consumer", "outcome"])

FETCH = 64  # messages fetched at once while a backlog drains
IDLE_FETCH_SECONDS = 1.0
BACKLOG_FETCH_SECONDS = 0.5

Handler = Callable[[UnitOfWork, list[CloudEvent]], Awaitable[None]]


class PermanentFailure(Exception):
    """Raised by a handler for an event that can never be processed: terminated, not retried."""


class InboxMessage(SQLModel, table=True):
    __tablename__ = "inbox"

    consumer: str = Field(primary_key=True, max_length=100)
    event_id: str = Field(primary_key=True, max_length=64)
    processed_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime()))


async def record_inbox(session: AsyncSession, consumer: str, event_ids: list[str]) -> set[str]:
    """Record the events as processed by `consumer`; returns those not processed before.

    One INSERT … ON CONFLICT DO NOTHING for the lot: a replica handling the same event at the
    same moment waits on the row, then finds it taken."""
    if not event_ids:
        return set()
    dialect_insert = postgres_insert if dialect_name(session) == "postgresql" else sqlite_insert
    now = utcnow()
    statement = (
        dialect_insert(InboxMessage)
        .values([{"consumer": consumer, "event_id": event_id, "processed_at": now} for event_id in event_ids])
        .on_conflict_do_nothing()
        .returning(col(InboxMessage.event_id))
    )
    return set((await session.execute(statement)).scalars().all())


def retry_delay(delivered: int) -> float:
    """Seconds before the next delivery of a message that failed `delivered` times."""
    return min(30.0, 0.5 * 2 ** min(delivered, 6))


class Consumer:
    """A durable consumer: what it reads, and the handler of its events."""

    def __init__(
        self,
        durable: str,
        subject: str,
        handler: Handler,
        *,
        event_types: Collection[str] | None = None,
        batch: int = 1,
        ack_wait: float = 60.0,
        inbox_name: str | None = None,
    ):
        self.durable = durable
        # Its name in the inbox table, where rows recorded under another name must still count.
        self.inbox_name = inbox_name or durable
        self.subject = subject
        self.handler = handler
        self.event_types = frozenset(event_types) if event_types is not None else None  # None: all
        self.batch = batch  # events per unit of work
        self.ack_wait = ack_wait

    async def handle(self, db: Database, events: list[CloudEvent]) -> None:
        """The events' unit of work: the inbox first, then the handler with those not seen before."""
        unique = list({event.id: event for event in events}.values())
        async with db.write() as uow:
            fresh = await record_inbox(uow.session, self.inbox_name, [event.id for event in unique])
            EVENTS.labels(self.durable, "duplicate").inc(len(events) - len(fresh))
            todo = [event for event in unique if event.id in fresh]
            if todo:
                await self.handler(uow, todo)
        EVENTS.labels(self.durable, "processed").inc(len(todo))


async def consume(js: JetStreamContext, db: Database, consumer: Consumer, stop: asyncio.Event) -> None:
    """Pull `consumer`'s messages until `stop` is set.

    One message is fetched while the stream is idle; a backlog, seen in that message's
    num_pending, is then drained FETCH at a time. Pull subscriptions can go silent after a
    server restart (nats.py #504), so any error re-creates the subscription after a pause.
    """
    config = ConsumerConfig(
        durable_name=consumer.durable,
        ack_policy=AckPolicy.EXPLICIT,
        deliver_policy=DeliverPolicy.ALL,
        ack_wait=consumer.ack_wait,
        max_ack_pending=FETCH * 8,
    )
    while not stop.is_set():
        subscription = None
        try:
            subscription = await js.pull_subscribe(
                consumer.subject, durable=consumer.durable, stream=STREAM, config=config
            )
            while not stop.is_set():
                try:
                    messages = await subscription.fetch(1, timeout=IDLE_FETCH_SECONDS)
                except (NatsTimeout, TimeoutError):  # nats-py raises either when idle
                    continue
                while messages:
                    for start in range(0, len(messages), consumer.batch):
                        await _process(messages[start : start + consumer.batch], db, consumer)
                    pending = messages[-1].metadata.num_pending if messages[-1].metadata else 0
                    if not pending or stop.is_set():
                        break
                    try:
                        messages = await subscription.fetch(
                            min(pending, FETCH), timeout=BACKLOG_FETCH_SECONDS
                        )
                    except (NatsTimeout, TimeoutError):
                        break
        except asyncio.CancelledError:
            raise
        except Exception:
            if stop.is_set():
                return
            log.exception("consumer %s failed; re-subscribing", consumer.durable)
            await asyncio.sleep(1.0)
        finally:
            if subscription is not None:
                try:
                    await subscription.unsubscribe()
                except Exception:  # the connection may be gone; the server forgets it then
                    log.debug("unsubscribe failed", exc_info=True)


async def _process(messages: list[Msg], db: Database, consumer: Consumer) -> None:
    parsed: list[tuple[Msg, CloudEvent]] = []
    for message in messages:
        try:
            event = CloudEvent.from_json(message.data)
        except ValueError:
            log.error("terminating a message that is not a CloudEvent on %s", message.subject)
            EVENTS.labels(consumer.durable, "invalid").inc()
            await message.term()
            continue
        if consumer.event_types is not None and event.type not in consumer.event_types:
            await message.ack()  # not for this consumer: nothing to record
            continue
        parsed.append((message, event))
    if not parsed:
        return
    try:
        await consumer.handle(db, [event for _, event in parsed])
    except Exception as error:
        if len(parsed) > 1:
            log.warning("a batch of %d events failed; handling them one by one", len(parsed))
            for message, _ in parsed:
                await _process([message], db, consumer)
            return
        await _settle_failure(parsed[0], consumer, error)
        return
    for message, _ in parsed:
        await message.ack()


async def _settle_failure(parsed: tuple[Msg, CloudEvent], consumer: Consumer, error: Exception) -> None:
    message, event = parsed
    if isinstance(error, PermanentFailure):
        log.error("terminating event %s for %s: %s", event.id, consumer.durable, error)
        EVENTS.labels(consumer.durable, "terminated").inc()
        await message.term()
        return
    delivered = message.metadata.num_delivered if message.metadata else 1
    log.error(
        "event %s failed for %s (delivery %s); retrying later",
        event.id,
        consumer.durable,
        delivered,
        exc_info=error,
    )
    EVENTS.labels(consumer.durable, "failed").inc()
    await message.nak(delay=retry_delay(delivered))
