"""The background work: the JetStream consumer that fans events out into delivery rows, and the
delivery worker that sends them, records attempts and schedules retries.

An event is acked only after its delivery rows are committed (deduplicated by event id in the
inbox), so a crash at any moment loses nothing: JetStream redelivers what was not acked, and
a delivery leased by a dead process is taken again when its lease runs out.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta

from nats.aio.msg import Msg
from nats.errors import TimeoutError as NatsTimeout
from nats.js import JetStreamContext
from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy
from prometheus_client import Counter, Histogram
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession
from suivi_common.db import transaction
from suivi_common.events import STREAM, CloudEvent, utcnow
from suivi_common.outbox import InboxMessage

from .config import NotifySettings
from .deliveries import repository as deliveries
from .deliveries import service as delivery_service
from .deliveries.models import DeliveryStatus
from .events import CONSUMER
from .readmodel import repository as readmodel
from .sender import AttemptResult, WebhookSender
from .subscriptions import repository as subscriptions
from .subscriptions.matching import event_facts, subscription_matches

log = logging.getLogger(__name__)

EVENTS = Counter("suivi_notify_events_total", "Events consumed by notify", ["outcome"])
ATTEMPTS = Counter("suivi_notify_attempts_total", "Webhook delivery attempts", ["outcome"])
ATTEMPT_SECONDS = Histogram(
    "suivi_notify_attempt_seconds",
    "Webhook attempt latency",
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 15),
)

MAX_BATCH = 64


class FanOut:
    """Turns consumed events into delivery rows, one transaction per batch of messages."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession], on_rows=None):
        self._sessions = sessions
        self._on_rows = on_rows or (lambda: None)

    async def handle(self, events: list[CloudEvent]) -> int:
        """Process events in one transaction; returns how many delivery rows were written."""
        written = 0
        async with transaction(self._sessions) as session:
            active = await subscriptions.active(session)
            seen: set[str] = set()
            for event in events:
                if event.id in seen or await session.get(InboxMessage, (CONSUMER, event.id)) is not None:
                    EVENTS.labels("duplicate").inc()
                    continue
                seen.add(event.id)
                session.add(InboxMessage(consumer=CONSUMER, event_id=event.id))
                written += await self._fan_out(session, event, active)
                EVENTS.labels("processed").inc()
        if written:
            self._on_rows()
        return written

    async def _fan_out(self, session: AsyncSession, event: CloudEvent, active) -> int:
        readmodel.store_event(session, event)  # the payload to deliver, and the weekly counts
        view = await readmodel.apply_commitment_event(session, event)
        facts = event_facts(event, view.topics if view else (), view.status if view else None)
        targets = [s.id for s in active if subscription_matches(s.event_types, s.filter, facts)]
        if not targets:
            return 0
        now = utcnow()
        await deliveries.add_many(
            session,
            [
                {
                    "subscription_id": subscription_id,
                    "event_id": event.id,
                    "event_type": event.type,
                    "status": DeliveryStatus.pending.value,
                    "attempts": 0,
                    "cycle_attempts": 0,
                    "next_attempt_at": now,
                    "created_at": now,
                    "updated_at": now,
                }
                for subscription_id in targets
            ],
        )
        return len(targets)


async def consume_events(js: JetStreamContext, fan_out: FanOut, stop: asyncio.Event) -> None:
    """Durable pull consumer `notify` on `suivi.>`.

    A fetch of one message returns as soon as it arrives (a fetch of many waits to fill the
    batch when the stream is idle); a backlog, seen in the message's num_pending, is then
    drained in batches, each committed in one transaction before its messages are acked.
    """
    config = ConsumerConfig(
        durable_name=CONSUMER,
        ack_policy=AckPolicy.EXPLICIT,
        deliver_policy=DeliverPolicy.ALL,
        ack_wait=60,
        max_ack_pending=MAX_BATCH * 8,
    )
    while not stop.is_set():
        try:
            subscription = await js.pull_subscribe("suivi.>", durable=CONSUMER, stream=STREAM, config=config)
            while not stop.is_set():
                try:
                    messages = await subscription.fetch(1, timeout=1.0)
                except NatsTimeout:
                    continue
                while messages:
                    await _process(messages, fan_out)
                    pending = messages[-1].metadata.num_pending if messages[-1].metadata else 0
                    if not pending or stop.is_set():
                        break
                    try:
                        messages = await subscription.fetch(min(pending, MAX_BATCH), timeout=0.5)
                    except NatsTimeout:
                        break
        except asyncio.CancelledError:
            raise
        except Exception:
            if stop.is_set():
                return
            log.exception("notify consumer failed; re-subscribing")
            await asyncio.sleep(1.0)


async def _process(messages: list[Msg], fan_out: FanOut) -> None:
    parsed: list[tuple[Msg, CloudEvent]] = []
    for message in messages:
        try:
            parsed.append((message, CloudEvent.from_json(message.data)))
        except ValueError:
            log.error("terminating a message that is not a CloudEvent on %s", message.subject)
            EVENTS.labels("invalid").inc()
            await message.term()
    if not parsed:
        return
    try:
        await fan_out.handle([event for _, event in parsed])
    except Exception:
        if len(parsed) == 1:
            message, event = parsed[0]
            delivered = message.metadata.num_delivered if message.metadata else 1
            log.exception("event %s failed (delivery %s); retrying later", event.id, delivered)
            EVENTS.labels("failed").inc()
            await message.nak(delay=min(30.0, 0.5 * 2 ** min(delivered, 6)))
            return
        log.warning("a batch of %d events failed; processing them one by one", len(parsed))
        for message, _event in parsed:
            await _process([message], fan_out)
        return
    for message, _ in parsed:
        await message.ack()


class DeliveryWorker:
    """Claims due deliveries, sends them concurrently, records the attempts in batches."""

    def __init__(
        self, sessions: async_sessionmaker[AsyncSession], sender: WebhookSender, settings: NotifySettings
    ):
        self._sessions = sessions
        self._sender = sender
        self._settings = settings
        self._concurrency = max(1, settings.webhook_concurrency)
        self._wake = asyncio.Event()
        self._slots = asyncio.Event()
        self._in_flight: set[asyncio.Task] = set()
        self._results: asyncio.Queue[delivery_service.Outcome] = asyncio.Queue()
        self._lease = timedelta(seconds=2 * settings.webhook_timeout_seconds + 5)

    def wake(self) -> None:
        self._wake.set()

    async def run(self, stop: asyncio.Event) -> None:
        recorder = asyncio.create_task(self._record_loop(stop), name="notify-recorder")
        try:
            await self._claim_loop(stop)
        finally:
            if self._in_flight:
                await asyncio.wait(self._in_flight, timeout=self._settings.webhook_timeout_seconds + 1)
            for task in self._in_flight:
                task.cancel()
            recorder.cancel()
            await asyncio.gather(recorder, *self._in_flight, return_exceptions=True)
            await self._flush_results()  # attempts made before the stop are still recorded

    async def _claim_loop(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            self._wake.clear()
            free = self._concurrency - len(self._in_flight)
            claimed: list[deliveries.Claimed] = []
            try:
                if free > 0:
                    claimed = await self._claim(free)
                for item in claimed:
                    task = asyncio.create_task(self._deliver(item))
                    self._in_flight.add(task)
                    task.add_done_callback(self._done)
                if claimed and len(claimed) == free:
                    self._slots.clear()
                    await _wait_any(stop, self._slots, timeout=1.0)
                    continue
                if claimed:
                    continue
                timeout = await self._idle_timeout()
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("delivery worker failed to claim; retrying")
                timeout = 1.0
            await _wait_any(stop, self._wake, timeout=timeout)

    def _done(self, task: asyncio.Task) -> None:
        self._in_flight.discard(task)
        self._slots.set()

    async def _claim(self, limit: int) -> list[deliveries.Claimed]:
        now = utcnow()
        async with transaction(self._sessions) as session:
            return await deliveries.claim_due(session, now, limit, now + self._lease)

    async def _idle_timeout(self) -> float:
        async with self._sessions() as session:
            due = await deliveries.next_due(session)
        if due is None:
            return 1.0
        return min(1.0, max(0.005, (due - utcnow()).total_seconds()))

    async def _deliver(self, item: deliveries.Claimed) -> None:
        if not item.active:
            async with transaction(self._sessions) as session:
                await delivery_service.mark_skipped(session, item, "The subscription is disabled.")
            return
        result = await self._sender.send(item.url, item.event_id, item.payload, item.secrets)
        ATTEMPTS.labels("ok" if result.ok else "failed").inc()
        ATTEMPT_SECONDS.observe(result.latency_ms / 1000)
        self._results.put_nowait(delivery_service.Outcome(item, result, utcnow()))

    async def _record_loop(self, stop: asyncio.Event) -> None:
        while True:
            first = await self._results.get()
            batch = [first]
            while not self._results.empty() and len(batch) < 500:
                batch.append(self._results.get_nowait())
            await self._write(batch)

    async def _flush_results(self) -> None:
        batch = []
        while not self._results.empty():
            batch.append(self._results.get_nowait())
        if batch:
            await self._write(batch)

    async def _write(self, batch: list[delivery_service.Outcome]) -> None:
        for attempt in range(5):
            try:
                async with transaction(self._sessions) as session:
                    await delivery_service.record(session, batch, self._settings)
                self._wake.set()  # a retry may be due soon
                return
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("recording %d attempts failed (try %d)", len(batch), attempt + 1)
                await asyncio.sleep(0.2 * (attempt + 1))
        # The leases run out and the deliveries are attempted again: at least once, never lost.
        log.error("dropping the record of %d attempts; they will be retried", len(batch))


async def _wait_any(stop: asyncio.Event, event: asyncio.Event, timeout: float) -> None:
    waiters = [asyncio.ensure_future(stop.wait()), asyncio.ensure_future(event.wait())]
    try:
        await asyncio.wait(waiters, timeout=timeout, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for waiter in waiters:
            waiter.cancel()


__all__ = ["AttemptResult", "DeliveryWorker", "FanOut", "consume_events"]
