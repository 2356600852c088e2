"""Every event type, published through a real nats-server, is parsed at each consumer that reads
it, and is a valid CloudEvents 1.0 event in structured JSON mode as the CloudEvents SDK reads it."""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import UTC, date, datetime

import cloudevents.conversion
import cloudevents.http
import cloudevents.pydantic
import nats
import pytest
from nats.errors import TimeoutError as NatsTimeout
from suivi_commitments.consolidation import consumer as extracted_consumer
from suivi_contracts import subjects
from suivi_contracts.consumers import (
    COMMITMENTS_EXTRACTED,
    CONSUMERS,
    INGEST_COMMITMENT_LINKS,
    NOTIFY_FAN_OUT,
    Consumer,
)
from suivi_contracts.events import (
    PAYLOADS,
    AccountChanged,
    CommitmentCreated,
    CommitmentDeadlineDue,
    CommitmentDeleted,
    CommitmentExtracted,
    CommitmentSourceAdded,
    CommitmentStatusChanged,
    CommitmentUpdated,
    DigestWeekly,
    DocumentPayload,
    EventPayload,
    EvidencePayload,
    SourcePayload,
    SubscriptionDisabled,
    WebhookTest,
)
from suivi_ingest import consumers as ingest_consumers
from suivi_kit.events import STREAM, CloudEvent, new_event
from suivi_kit.messaging import ensure_stream, publish
from suivi_kit.nats_server import EmbeddedNats
from suivi_notify import events as notify_events

# CloudEvents 1.0: the required context attributes, and the optional ones Suivi may set.
REQUIRED = {"specversion", "id", "source", "type"}
OPTIONAL = {"datacontenttype", "dataschema", "subject", "time"}

NOW = datetime(2026, 11, 22, 8, 0, tzinfo=UTC)
COMMITMENT = {
    "id": 42,
    "title": "Renew the IGF mandate",
    "text": "We decide to renew the mandate of the Internet Governance Forum.",
    "kind": "engagement",
    "actors": ["states"],
    "topics": ["igf_mandate"],
    "status": "in_progress",
    "deadline": "2026",
    "overdue": False,
    "sources": [
        SourcePayload(id=1, document_id=3, text="We decide to renew…", similarity=1.0, created_at=NOW)
    ],
    "version": 2,
    "created_at": NOW,
    "updated_at": NOW,
}
EVIDENCE = EvidencePayload(
    id=5, commitment_id=42, url="https://www.un.org/", title="Resolution", added_by="monitor1", added_at=NOW
)
DOCUMENT = {"id": 3, "title": "Tunis Agenda", "filename": "tunis.txt", "created_at": NOW, "updated_at": NOW}

# One payload of each event type, built from its model as the producers build theirs.
EXAMPLES: dict[str, tuple[str, str | int, EventPayload]] = {
    subjects.DOCUMENT_INGESTED: ("/suivi/ingest", 3, DocumentPayload(**DOCUMENT, status="done")),
    subjects.DOCUMENT_FAILED: (
        "/suivi/ingest",
        3,
        DocumentPayload(**DOCUMENT, status="failed", error="The file is not a PDF."),
    ),
    subjects.COMMITMENT_EXTRACTED: (
        "/suivi/ingest",
        "ab12",
        CommitmentExtracted(
            extraction_id="ab12", document_id=3, text="We decide to renew the mandate.", kind="engagement"
        ),
    ),
    subjects.COMMITMENT_CREATED: (
        "/suivi/commitments",
        42,
        CommitmentCreated(**COMMITMENT, extraction_id="ab12"),
    ),
    subjects.COMMITMENT_UPDATED: (
        "/suivi/commitments",
        42,
        CommitmentUpdated(**COMMITMENT, changed_fields=["title"]),
    ),
    subjects.COMMITMENT_SOURCE_ADDED: (
        "/suivi/commitments",
        42,
        CommitmentSourceAdded(**COMMITMENT, extraction_id="cd34"),
    ),
    subjects.COMMITMENT_STATUS_CHANGED: (
        "/suivi/commitments",
        42,
        CommitmentStatusChanged(
            **COMMITMENT | {"status": "achieved"},
            from_status="in_progress",
            to_status="achieved",
            rationale="Renewed by the General Assembly.",
            evidence=[EVIDENCE],
            changed_by="monitor1",
            status_change_id=9,
        ),
    ),
    subjects.COMMITMENT_DELETED: ("/suivi/commitments", 42, CommitmentDeleted(**COMMITMENT, mode="soft")),
    subjects.EVIDENCE_ADDED: ("/suivi/commitments", 42, EVIDENCE),
    subjects.COMMITMENT_DEADLINE_DUE: (
        "/suivi/notify",
        42,
        CommitmentDeadlineDue(id=42, deadline="2025", due_on=date(2025, 12, 31), status="stalled"),
    ),
    subjects.DIGEST_WEEKLY: (
        "/suivi/notify",
        "2026-W46",
        DigestWeekly(week="2026-W46", from_=NOW, to=NOW, counts={subjects.COMMITMENT_CREATED: 2}, total=2),
    ),
    subjects.SUBSCRIPTION_DISABLED: (
        "/suivi/notify",
        7,
        SubscriptionDisabled(id=7, url="https://example.org/hook", reason="410 Gone"),
    ),
    subjects.WEBHOOK_TEST: (
        "/suivi/notify",
        7,
        WebhookTest(subscription_id=7, message="A test event from Suivi."),
    ),
    subjects.ACCOUNT_CHANGED: (
        "/suivi/commitments",
        3,
        AccountChanged(user_id=3, revision=1_795_000_000_000_000),
    ),
}


# Each consumer's own way in: what its handler calls on an event it acts on.
PARSE_AT = {
    COMMITMENTS_EXTRACTED: extracted_consumer.parse,
    INGEST_COMMITMENT_LINKS: ingest_consumers.parse,
    NOTIFY_FAN_OUT: lambda event: notify_events.received(event).payload,
}


@pytest.fixture(scope="module")
def nats_url(tmp_path_factory):
    with EmbeddedNats(tmp_path_factory.mktemp("nats")) as server:
        yield server.url


def _delivers(subject: str, event_type: str) -> bool:
    return subject == event_type or (subject.endswith(".>") and event_type.startswith(subject[:-1]))


async def _pull_all(js, consumer: Consumer, expected: int) -> list:
    subscription = await js.pull_subscribe(consumer.subject, durable=consumer.durable, stream=STREAM)
    messages: list = []
    while len(messages) < expected:
        try:
            messages += await subscription.fetch(expected - len(messages), timeout=2.0)
        except NatsTimeout:
            break
    for message in messages:
        await message.ack()
    return messages


def test_there_is_an_example_and_a_model_for_every_event_type():
    assert set(EXAMPLES) == set(PAYLOADS) == set(subjects.EVENT_TYPES + subjects.INTERNAL_EVENT_TYPES)
    for event_type, (_source, _subject, payload) in EXAMPLES.items():
        assert type(payload) is PAYLOADS[event_type]


def test_every_consumer_acts_on_events_its_subject_delivers():
    assert set(PARSE_AT) == set(CONSUMERS)
    assert len({consumer.durable for consumer in CONSUMERS}) == len(CONSUMERS)
    for consumer in CONSUMERS:
        assert all(_delivers(consumer.subject, t) for t in consumer.handles), consumer


async def test_each_event_type_through_nats_parses_at_each_consumer_and_with_the_cloudevents_sdk(nats_url):
    published = {
        event_type: new_event(event_type, source, subject, payload)
        for event_type, (source, subject, payload) in EXAMPLES.items()
    }
    connection = await nats.connect(nats_url)
    try:
        js = connection.jetstream()
        await ensure_stream(js)
        for event in published.values():
            assert await publish(js, event)
        received: dict[Consumer, list] = {}
        for consumer in CONSUMERS:
            wanted = [t for t in published if _delivers(consumer.subject, t)]
            received[consumer] = await _pull_all(js, consumer, len(wanted))
    finally:
        await connection.close()

    parsed_by: dict[str, set[str]] = defaultdict(set)
    for consumer, messages in received.items():
        for message in messages:
            event = CloudEvent.from_json(message.data)
            assert message.subject == event.type  # the type is the subject
            if event.type in consumer.handles:
                payload = PARSE_AT[consumer](event)
                assert payload == EXAMPLES[event.type][2]  # nothing lost or changed on the way
                parsed_by[event.type].add(consumer.durable)
            _assert_valid_cloudevent(message.data, published[event.type])
    for consumer in CONSUMERS:
        for event_type in consumer.handles:
            assert consumer.durable in parsed_by[event_type], (consumer.durable, event_type)


def _assert_valid_cloudevent(raw: bytes, sent: CloudEvent) -> None:
    body = json.loads(raw)
    attributes = {name: value for name, value in body.items() if name != "data"}
    assert REQUIRED <= attributes.keys() <= REQUIRED | OPTIONAL
    assert all(isinstance(attributes[name], str) and attributes[name] for name in REQUIRED)
    assert attributes["specversion"] == "1.0" and attributes["datacontenttype"] == "application/json"

    event = cloudevents.http.from_json(raw)  # structured JSON mode
    # The SDK fills in id, time and specversion when they are missing: equality shows none was.
    assert event.get_attributes() == attributes
    assert event.data == body["data"]
    assert json.loads(cloudevents.conversion.to_json(event)) == body

    typed = cloudevents.pydantic.from_json(raw)  # the SDK's typed model: time must be a timestamp
    assert typed.time == sent.time and typed.id == sent.id and typed.source == sent.source
