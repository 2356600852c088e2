"""Which subscriptions get which events: type patterns and data filters."""

from __future__ import annotations

import asyncio

from notify_support import (
    commitment_event,
    create_subscription,
    document_ingested,
    eventually,
    evidence_added,
    send_events,
    status_changed,
)
from suivi_contracts.events import parse_payload
from suivi_notify.subscriptions.matching import event_facts, subscription_matches, type_matches, valid_pattern


def test_type_patterns():
    assert type_matches("suivi.commitment.*", "suivi.commitment.status_changed")
    assert not type_matches("suivi.commitment.*", "suivi.document.ingested")
    assert not type_matches("suivi.*", "suivi.commitment.created")
    assert type_matches("suivi.>", "suivi.commitment.created")
    assert type_matches("*", "suivi.digest.weekly")
    assert type_matches("suivi.evidence.added", "suivi.evidence.added")
    assert not type_matches("suivi.evidence.added", "suivi.evidence.added.more")
    assert all(valid_pattern(p) for p in ("suivi.commitment.*", "suivi.>", "*", "suivi.*.created"))
    assert not any(valid_pattern(p) for p in ("suivi..x", "suivi.>.x", "suivi.comm*", ""))


def test_filters_use_the_read_model_when_the_event_lacks_fields():
    event = evidence_added(5, commitment_id=12)
    payload = parse_payload(event.type, event.data)
    facts = event_facts(event.type, payload, known_topics=["funding"], known_status="stalled")
    assert facts.commitment_id == "12" and facts.topics == {"funding"} and facts.statuses == {"stalled"}
    assert subscription_matches([], {"topics": ["funding"], "commitment_ids": ["12"]}, facts)
    assert not subscription_matches([], {"statuses": ["achieved"]}, facts)


async def test_fan_out_follows_patterns_and_filters(js, notify, subscriber):
    async with notify() as (_app, client):
        await create_subscription(client, subscriber.url("/all"))
        await create_subscription(client, subscriber.url("/commitments"), event_types=["suivi.commitment.*"])
        await create_subscription(
            client, subscriber.url("/documents"), event_types=["suivi.document.ingested"]
        )
        await create_subscription(client, subscriber.url("/funding"), filter={"topics": ["funding"]})
        await create_subscription(
            client,
            subscriber.url("/achieved"),
            event_types=["suivi.commitment.status_changed"],
            filter={"statuses": ["achieved"]},
        )
        await create_subscription(client, subscriber.url("/c42"), filter={"commitment_ids": [42]})
        await create_subscription(client, subscriber.url("/off"), active=False)

        events = [
            commitment_event(42, topics=("funding",)),  # 0
            document_ingested(1),  # 1
            status_changed(42, "achieved", topics=("funding",)),  # 2
            status_changed(7, "stalled", topics=("nri_coordination",)),  # 3
            # no topics in the event: the read model (from event 2) says commitment 42 is about funding
            evidence_added(1, commitment_id=42),  # 4
        ]
        await send_events(js, events)
        await subscriber.wait_for(len(events), "/all")

        async def settled() -> bool:
            return len(subscriber.requests) >= 5 + 3 + 1 + 3 + 1 + 3

        await eventually(settled)
        await asyncio.sleep(0.3)  # nothing more should arrive

    def got(path: str) -> set[str]:
        return {request.webhook_id for request in subscriber.on(path)}

    ids = [event.id for event in events]
    assert got("/all") == set(ids)
    assert got("/commitments") == {ids[0], ids[2], ids[3]}
    assert got("/documents") == {ids[1]}
    assert got("/funding") == {ids[0], ids[2], ids[4]}
    assert got("/achieved") == {ids[2]}
    assert got("/c42") == {ids[0], ids[2], ids[4]}
    assert got("/off") == set()
