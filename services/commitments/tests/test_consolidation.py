"""Extracted items become commitments: idempotent on redelivery, one commitment for many sources."""

import json

import nats
from suivi_commitments.consolidation.matching import content_tokens, similarity, title_from_text
from suivi_contracts.consumers import COMMITMENTS_EXTRACTED
from suivi_contracts.events import CommitmentExtracted, EventPayload
from suivi_contracts.subjects import COMMITMENT_EXTRACTED
from suivi_kit.events import new_event
from suivi_kit.messaging import publish
from suivi_testing import auth

MANDATE_2010 = (
    "Nous recommandons de renouveler le mandat du Forum sur la gouvernance de l'Internet pour cinq ans."
)
MANDATE_2025 = "Nous recommandons de renouveler le mandat du Forum sur la gouvernance de l'Internet."


def extracted(extraction_id: str, text: str, document_id: int, **extra):
    fields = {"topics": ["igf_mandate"], "actors": ["un_system"], "language": "fr"} | extra
    payload = CommitmentExtracted(
        extraction_id=extraction_id,
        document_id=document_id,
        document_title=f"doc {document_id}",
        text=text,
        locator="§1",
        kind="recommendation",
        **fields,
    )
    return new_event(COMMITMENT_EXTRACTED, "/suivi/ingest", extraction_id, payload)


async def test_same_commitment_in_two_documents_and_redelivery(client, nats_server, event_log):
    nc = await nats.connect(nats_server.url)
    js = nc.jetstream()
    first = extracted("a1", MANDATE_2010, 1)
    await publish(js, first)
    await publish(js, extracted("b1", MANDATE_2025, 2, negotiation_status="adopted"))
    # the same event again under a new message id: the inbox, not JetStream, must drop it
    await js.publish(first.type, first.to_json(), headers={"Nats-Msg-Id": "redelivered-" + first.id})
    await publish(
        js,
        extracted(
            "c1", "Nous appelons à réduire les coûts d'interconnexion.", 2, topics=["connectivity_access"]
        ),
    )
    await nc.drain()

    await event_log.wait_for("suivi.commitment.created", count=2)
    await event_log.wait_for("suivi.commitment.source_added", count=1)
    listed = (
        await client.get("/api/commitments", params={"sort": '["id","ASC"]'}, headers=auth("viewer"))
    ).json()
    assert len(listed) == 2
    mandate = listed[0]
    assert sorted(s["document_id"] for s in mandate["sources"]) == [1, 2]
    assert {s["negotiation_status"] for s in mandate["sources"]} == {"none", "adopted"}
    by_document = await client.get(
        "/api/commitments", params={"filter": json.dumps({"document_id": 2})}, headers=auth("viewer")
    )
    assert len(by_document.json()) == 2


def test_similarity_rules():
    assert similarity(content_tokens(MANDATE_2010), content_tokens(MANDATE_2025)) >= 0.72
    unrelated = "Nous appelons les États à protéger la vie privée en ligne."
    assert similarity(content_tokens(MANDATE_2025), content_tokens(unrelated)) < 0.5
    assert title_from_text("a) " + "mot " * 60).endswith("…")


async def test_an_extracted_event_without_its_text_is_dropped_not_retried(client, nats_server, event_log):
    nc = await nats.connect(nats_server.url)
    js = nc.jetstream()
    before = (await js.consumer_info("SUIVI", COMMITMENTS_EXTRACTED.durable)).num_redelivered
    broken = EventPayload(extraction_id="broken1", document_id=3, kind="call")  # no text
    await publish(js, new_event(COMMITMENT_EXTRACTED, "/suivi/ingest", "broken1", broken))
    await publish(js, extracted("fine1", "Nous appelons à publier les données ouvertes.", 3, topics=[]))
    created = await event_log.wait_for("suivi.commitment.created")
    assert [event.data["extraction_id"] for event in created] == ["fine1"]
    info = await js.consumer_info("SUIVI", COMMITMENTS_EXTRACTED.durable)
    assert info.num_redelivered == before  # terminated at once
    await nc.drain()
