"""Scheduled events with APScheduler 3: `suivi.commitment.deadline_due` once per commitment whose
deadline passed while it was not done (neither achieved nor abandoned), and `suivi.digest.weekly`
once per ISO week; and, every hour, the retention of the delivery log (retention.py).

Every replica may run the jobs: each emission first takes a claim row (unique key) in the same
transaction as its outbox row, so two replicas never emit the same event twice.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, date, datetime, time, timedelta

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from sqlalchemy.exc import IntegrityError
from suivi_contracts.events import CommitmentDeadlineDue, DigestWeekly
from suivi_contracts.subjects import COMMITMENT_DEADLINE_DUE, DIGEST_WEEKLY, WEBHOOK_TEST
from suivi_kit.events import new_event, utcnow
from suivi_kit.outbox import add_event
from suivi_kit.uow import Database

from . import retention
from .events import SOURCE
from .readmodel import repository as readmodel

log = logging.getLogger(__name__)


RETENTION_INTERVAL = 3600.0  # seconds


class Jobs:
    def __init__(self, db: Database, log_retention_days: float = 0.0):
        self._db = db
        self._log_retention_days = log_retention_days

    async def run_all(self) -> None:
        await self.deadlines_due()
        await self.weekly_digest()

    async def prune_log(self) -> None:
        deleted = await retention.prune(self._db, self._log_retention_days)
        if any(deleted.values()):
            log.info("deleted from the delivery log: %s", deleted)

    async def deadlines_due(self, today: date | None = None) -> int:
        """Emit deadline_due for each overdue commitment (suivi_contracts.rules) not yet announced."""
        today = today or utcnow().date()
        async with self._db.read() as session:
            candidates = await readmodel.overdue(session, today)
            done = await readmodel.claimed_keys(session, "deadline_due:")
        emitted = 0
        for view in candidates:
            key = f"deadline_due:{view.id}:{view.deadline}"
            if key in done:
                continue
            payload = CommitmentDeadlineDue(
                id=int(view.id),
                deadline=view.deadline,
                due_on=view.due_on,
                status=view.status,
                topics=view.topics,
            )
            if await self._emit_once(key, new_event(COMMITMENT_DEADLINE_DUE, SOURCE, view.id, payload)):
                emitted += 1
        return emitted

    async def weekly_digest(self, now: datetime | None = None) -> bool:
        """Emit the digest of the last complete ISO week, once."""
        now = now or utcnow()
        this_monday = datetime.combine(now.date() - timedelta(days=now.weekday()), time(), tzinfo=UTC)
        start = this_monday - timedelta(days=7)
        year, week, _ = start.isocalendar()
        label = f"{year}-W{week:02d}"
        key = f"digest:{label}"
        async with self._db.read() as session:
            if key in await readmodel.claimed_keys(session, key):
                return False
            counts = await readmodel.event_counts(session, start, this_monday, (DIGEST_WEEKLY, WEBHOOK_TEST))
        payload = DigestWeekly(
            week=label,
            from_=start,
            to=this_monday,
            counts=dict(sorted(counts.items())),
            total=sum(counts.values()),
        )
        return await self._emit_once(key, new_event(DIGEST_WEEKLY, SOURCE, label, payload))

    async def _emit_once(self, key: str, event) -> bool:
        try:
            async with self._db.write() as uow:
                if not await readmodel.claim(uow.session, key):
                    return False
                add_event(uow.session, event)
        except IntegrityError:  # another replica took the claim at the same moment
            return False
        log.info("emitted %s (%s)", event.type, key)
        return True


def create_scheduler(jobs: Jobs, interval_seconds: float) -> AsyncIOScheduler:
    scheduler = AsyncIOScheduler(timezone=UTC)
    scheduler.add_job(
        jobs.run_all,
        "interval",
        seconds=interval_seconds,
        id="notify-scheduled-events",
        next_run_time=datetime.now(UTC) + timedelta(seconds=min(5.0, interval_seconds)),
        max_instances=1,
        coalesce=True,
        misfire_grace_time=None,
    )
    scheduler.add_job(
        jobs.prune_log,
        "interval",
        seconds=RETENTION_INTERVAL,
        id="notify-log-retention",
        next_run_time=datetime.now(UTC) + timedelta(seconds=60),
        max_instances=1,
        coalesce=True,
        misfire_grace_time=None,
    )
    return scheduler


async def run_scheduler(jobs: Jobs, interval_seconds: float, stop: asyncio.Event) -> None:
    """The scheduled jobs, from now until `stop` is set."""
    scheduler = create_scheduler(jobs, interval_seconds)
    scheduler.start()
    try:
        await stop.wait()
    finally:
        scheduler.shutdown(wait=False)
