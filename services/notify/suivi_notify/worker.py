"""The background work: the JetStream consumer that fans events out into delivery rows, and the
delivery worker that sends them, records attempts and schedules retries.

An event is acked only after its delivery rows are committed (deduplicated by event id in the
inbox), so a crash at any moment loses nothing: JetStream redelivers what was not acked, and
a delivery leased by a dead process is taken again when its lease runs out.
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from datetime import datetime, timedelta

from prometheus_client import Counter, Histogram
from suivi_contracts.subjects import INTERNAL_EVENT_TYPES
from suivi_kit.consumer import FETCH, Consumer, PermanentFailure
from suivi_kit.events import CloudEvent, utcnow
from suivi_kit.queries import row_id
from suivi_kit.uow import Database, UnitOfWork

from .config import NotifySettings
from .deliveries import repository as deliveries
from .deliveries import service as delivery_service
from .deliveries.models import DeliveryStatus
from .events import CONSUMER, SUBJECT, Received, received
from .readmodel import repository as readmodel
from .sender import AttemptResult, WebhookSender
from .subscriptions import repository as subscriptions
from .subscriptions.matching import event_facts, subscription_matches

log = logging.getLogger(__name__)

ATTEMPTS = Counter("suivi_notify_attempts_total", "Webhook delivery attempts", ["outcome"])
ATTEMPT_SECONDS = Histogram(
    "suivi_notify_attempt_seconds",
    "Webhook attempt latency",
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 15),
)

RECORD_WINDOW = 0.02
STOP_GRACE = 2.0


class FanOut:
    """Turns consumed events into delivery rows, in the unit of work of their batch.

    The rows are written already leased to this replica's worker and handed to it in memory
    after the commit, so the first attempt needs no claim; if this process dies the lease
    runs out and any replica's worker claims the rows from the database.
    """

    def __init__(self, worker: DeliveryWorker | None = None):
        self._worker = worker

    async def handle(self, uow: UnitOfWork, events: list[CloudEvent]) -> None:
        # Internal announcements (account changes) are for the services, never for subscribers.
        todo = [parse(event) for event in events if event.type not in INTERNAL_EVENT_TYPES]
        if not todo:
            return
        session = uow.session
        active = await subscriptions.active(session)
        views = await readmodel.apply_commitment_events(session, todo)
        now = utcnow()
        lease = self._worker.lease_for_handoff(now) if self._worker else None
        rows: list[dict] = []
        payloads: dict[str, str] = {}
        by_id = {subscription.id: subscription for subscription in active}
        for event, payload in todo:
            payloads[event.id] = body = event.to_json().decode()
            readmodel.store_event(session, event, body)  # what to deliver; weekly counts
            view = views.get(event.id)
            facts = event_facts(
                event.type, payload, view.topics if view else (), view.status if view else None
            )
            for subscription in active:
                if subscription_matches(subscription.event_types, subscription.filter, facts):
                    rows.append(_delivery_row(row_id(subscription), event, now, lease))
        inserted = await deliveries.add_many(session, rows)
        if self._worker is None or not inserted:
            return
        handoff = [
            deliveries.Claimed(
                delivery_id=delivery_id,
                subscription_id=subscription_id,
                event_id=event_id,
                cycle_attempts=0,
                url=by_id[subscription_id].url,
                secrets=by_id[subscription_id].signing_secrets(now),
                active=True,
                payload=payloads[event_id],
                lease_until=lease,
            )
            for delivery_id, subscription_id, event_id in inserted
            if lease is not None
        ]
        worker = self._worker
        uow.after_commit(lambda: worker.submit(handoff))


def parse(event: CloudEvent) -> Received:
    """The event with its payload parsed at its contract; one that breaks it is poison."""
    try:
        return received(event)
    except ValueError as exc:  # pydantic's ValidationError
        raise PermanentFailure(f"event {event.id} ({event.type}) breaks its contract: {exc}") from exc


def events_consumer(worker: DeliveryWorker | None = None, ack_wait: float = 10.0) -> Consumer:
    """The durable consumer `notify` of every event, in batches of one transaction each."""
    return Consumer(CONSUMER, SUBJECT, FanOut(worker).handle, batch=FETCH, ack_wait=ack_wait)


def _delivery_row(subscription_id: int, event: CloudEvent, now, lease) -> dict:
    return {
        "subscription_id": subscription_id,
        "event_id": event.id,
        "event_type": event.type,
        "status": DeliveryStatus.pending.value,
        "attempts": 0,
        "cycle_attempts": 0,
        "next_attempt_at": now,
        "lease_until": lease,
        "created_at": now,
        "updated_at": now,
    }


class DeliveryWorker:
    """Claims due deliveries, sends them concurrently, records the attempts in batches."""

    def __init__(self, db: Database, sender: WebhookSender, settings: NotifySettings):
        self._db = db
        self._sender = sender
        self._settings = settings
        self._concurrency = max(1, settings.webhook_concurrency)
        self._wake = asyncio.Event()
        self._slots = asyncio.Event()
        self._in_flight: set[asyncio.Task] = set()
        self._results: asyncio.Queue[delivery_service.Outcome] = asyncio.Queue()
        self._lease = timedelta(seconds=2 * settings.webhook_timeout_seconds + 5)
        self._handoff: deque[deliveries.Claimed] = deque()
        self._queue_limit = self._concurrency * 4  # claimed or handed over, not yet finished
        self._check_db = True
        self._next_check = utcnow()

    def wake(self) -> None:
        """Look in the database now (a redelivery or a test event was committed)."""
        self._check_db = True
        self._wake.set()

    def lease_for_handoff(self, now: datetime) -> datetime | None:
        """A lease for rows about to be handed over in memory, or None when the queue is long
        (then the rows are left for the claim loop and nobody holds them)."""
        if len(self._handoff) + len(self._in_flight) >= self._queue_limit:
            return None
        return now + self._lease

    def submit(self, items: list[deliveries.Claimed]) -> None:
        self._handoff.extend(items)
        self._wake.set()

    def _take_handoff(self, limit: int) -> list[deliveries.Claimed]:
        now = utcnow()
        taken: list[deliveries.Claimed] = []
        while self._handoff and len(taken) < limit:
            item = self._handoff.popleft()
            if item.lease_until is None or item.lease_until > now:
                taken.append(item)  # else the lease ran out while queued: the claim loop has it
        return taken

    async def run(self, stop: asyncio.Event) -> None:
        recorder = asyncio.create_task(self._record_loop(stop), name="notify-recorder")
        try:
            await self._claim_loop(stop)
        finally:
            try:
                if self._in_flight:  # let attempts under way finish briefly
                    await asyncio.wait(self._in_flight, timeout=STOP_GRACE)
            finally:
                for task in list(self._in_flight):
                    task.cancel()
                recorder.cancel()
                await asyncio.gather(recorder, *self._in_flight, return_exceptions=True)
                try:
                    await asyncio.wait_for(self._flush_results(), timeout=STOP_GRACE)
                except Exception:  # unrecorded attempts are retried when their lease runs out
                    log.warning("could not record the last attempts before stopping", exc_info=True)

    async def _claim_loop(self, stop: asyncio.Event) -> None:
        # Rows handed over by the fan-out start at once. The database is asked for due rows
        # (retries, redeliveries, other replicas' expired leases) when told to, when the next
        # known due time comes, and at least every second; claims are made in batches (a
        # quarter of the slots free) rather than one row per finished delivery.
        batch_floor = max(1, self._concurrency // 4)
        while not stop.is_set():
            self._wake.clear()
            self._slots.clear()
            free = self._concurrency - len(self._in_flight)
            if free < batch_floor:
                await _wait_any(stop, self._slots, timeout=1.0)
                continue
            timeout = 1.0
            try:
                taken = self._take_handoff(free)
                self._start(taken)
                free -= len(taken)
                if self._handoff:
                    continue
                now = utcnow()
                room = self._queue_limit - len(self._in_flight) - len(self._handoff)
                if room > 0 and (self._check_db or now >= self._next_check):
                    # Claim ahead into the local queue: fewer, larger claim transactions.
                    self._check_db = False
                    claimed = await self._claim(room)
                    self._handoff.extend(claimed)
                    if claimed:
                        self._check_db = len(claimed) == room  # there may be more due
                        continue
                    self._next_check = await self._next_due(now)
                timeout = max(0.005, min(1.0, (self._next_check - utcnow()).total_seconds()))
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("delivery worker failed to claim; retrying")
            await _wait_any(stop, self._wake, timeout=timeout)

    def _start(self, items: list[deliveries.Claimed]) -> None:
        for item in items:
            task = asyncio.create_task(self._deliver(item))
            self._in_flight.add(task)
            task.add_done_callback(self._done)

    def _due_by(self, when: datetime) -> None:
        if when < self._next_check:
            self._next_check = when
            self._wake.set()

    def _done(self, task: asyncio.Task) -> None:
        self._in_flight.discard(task)
        self._slots.set()

    async def _claim(self, limit: int) -> list[deliveries.Claimed]:
        now = utcnow()
        async with self._db.write() as uow:
            return await deliveries.claim_due(uow.session, now, limit, now + self._lease)

    async def _next_due(self, now: datetime) -> datetime:
        async with self._db.read() as session:
            due = await deliveries.next_due(session)
        poll = now + timedelta(seconds=1)
        return poll if due is None else max(now, min(due, poll))

    async def _deliver(self, item: deliveries.Claimed) -> None:
        if not item.active:
            async with self._db.write() as uow:
                await delivery_service.mark_skipped(uow.session, item, "The subscription is disabled.")
            return
        try:
            secrets = [self._settings.secret_box.open(sealed) for sealed in item.secrets]
            result = await self._sender.send(item.url, item.event_id, item.payload, secrets)
        except Exception as exc:  # a failed attempt like any other, or the delivery would never settle
            log.exception("delivery %s: unexpected error", item.delivery_id)
            result = AttemptResult(None, 0, error=f"unexpected error: {type(exc).__name__}: {exc}"[:1000])
        ATTEMPTS.labels("ok" if result.ok else "failed").inc()
        ATTEMPT_SECONDS.observe(result.latency_ms / 1000)
        self._results.put_nowait(delivery_service.Outcome(item, result, utcnow()))

    async def _record_loop(self, stop: asyncio.Event) -> None:
        while True:
            first = await self._results.get()
            await asyncio.sleep(RECORD_WINDOW)  # fewer, larger transactions
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
                async with self._db.write() as uow:
                    await delivery_service.record(uow.session, batch, self._settings)
                retries = [o.next_attempt_at for o in batch if o.next_attempt_at is not None]
                if retries:
                    self._due_by(min(retries))
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


__all__ = ["AttemptResult", "DeliveryWorker", "FanOut", "events_consumer"]
