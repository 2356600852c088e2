"""Tokens of changed accounts refused by services that do not own the accounts.

The commitments service owns the accounts. When one is disabled, deleted, given another role
or a new password, it raises the account's revision and announces it in an event written in
the same transaction (outbox). Every replica of every other service reads those events with
an ordered consumer of its own (each replica sees all of them, in order) and keeps, in
memory, the latest revision of each account: a token whose `rev` claim is below it is
refused. A replica that starts reads the announcements of the last token lifetime first, so
it knows every revocation of a token that could still be valid.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from nats.js import JetStreamContext
from nats.js.api import ConsumerConfig, DeliverPolicy

from .auth import Principal
from .errors import Unauthorized
from .events import STREAM, CloudEvent, utcnow

log = logging.getLogger(__name__)

CATCH_UP_SECONDS = 10.0


class AccountRevisions:
    def __init__(
        self, subject: str, parse: Callable[[dict[str, Any]], tuple[int, int]], token_ttl_minutes: int
    ):
        """`parse` reads (user id, revision) from an announcement's data."""
        self._subject = subject
        self._parse = parse
        self._lookback = timedelta(minutes=token_ttl_minutes)
        self._revisions: dict[int, int] = {}
        self._subscription: JetStreamContext.PushSubscription | None = None
        self._caught_up = asyncio.Event()

    async def start(self, js: JetStreamContext) -> None:
        """Subscribe, and return once the announcements already in the stream are read."""
        since = utcnow() - self._lookback  # older tokens have expired: their revocations do not matter
        config = ConsumerConfig(deliver_policy=DeliverPolicy.BY_START_TIME, opt_start_time=since)
        self._subscription = subscription = await js.subscribe(
            self._subject, stream=STREAM, ordered_consumer=True, config=config, cb=self._on_message
        )
        info = await subscription.consumer_info()
        if info.num_pending == 0:
            self._caught_up.set()
        try:
            await asyncio.wait_for(self._caught_up.wait(), CATCH_UP_SECONDS)
        except TimeoutError:
            log.warning("account changes not all read after %g s; going on", CATCH_UP_SECONDS)

    async def _on_message(self, message) -> None:
        try:
            user_id, revision = self._parse(CloudEvent.from_json(message.data).data or {})
        except ValueError:
            log.error("ignoring an account announcement that breaks its contract: %r", message.data[:200])
        else:
            if revision > self._revisions.get(user_id, -1):
                self._revisions[user_id] = revision
        if message.metadata is not None and message.metadata.num_pending == 0:
            self._caught_up.set()

    async def check(self, principal: Principal) -> None:
        """Refuse a token issued before the latest change of its account."""
        if principal.user_id is None:
            return
        if principal.revision < self._revisions.get(principal.user_id, -1):
            raise Unauthorized("This account was removed, disabled or changed; please log in again.")

    async def stop(self) -> None:
        if self._subscription is not None:
            try:
                await self._subscription.unsubscribe()
            except Exception:  # the connection may already be gone
                log.debug("unsubscribe failed", exc_info=True)
