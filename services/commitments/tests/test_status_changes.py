"""The status workflow: rationale and evidence rules, atomic transitions, one event per change."""

import asyncio
import json

from suivi_testing import auth


async def new_commitment(client) -> dict:
    response = await client.post(
        "/api/commitments",
        json={
            "text": "Nous appelons à un financement durable du FGI.",
            "kind": "call",
            "topics": ["funding"],
        },
        headers=auth("monitor"),
    )
    assert response.status_code == 201
    return response.json()


def change(commitment, **fields):
    return {"commitment_id": commitment["id"], "expected_version": commitment["version"], **fields}


async def test_rationale_and_evidence_are_required(client):
    commitment = await new_commitment(client)
    blank = await client.post(
        "/api/status_changes",
        json=change(commitment, to_status="in_progress", rationale="  "),
        headers=auth("monitor"),
    )
    assert blank.status_code == 422 and "rationale" in blank.json()["errors"]
    bare = await client.post(
        "/api/status_changes",
        json=change(commitment, to_status="achieved", rationale="Fait"),
        headers=auth("monitor"),
    )
    assert bare.status_code == 422 and "evidence" in bare.json()["errors"]
    unknown = await client.post(
        "/api/status_changes",
        json=change(commitment, to_status="stalled", rationale="x", evidence_ids=[999]),
        headers=auth("monitor"),
    )
    assert unknown.status_code == 422
    # nothing of the refused attempts was kept
    fresh = (await client.get(f"/api/commitments/{commitment['id']}", headers=auth("viewer"))).json()
    assert fresh["version"] == commitment["version"] and fresh["status"] == "not_assessed"


async def test_evidence_then_achieved(client, event_log):
    commitment = await new_commitment(client)
    evidence = await client.post(
        "/api/evidence",
        json={"commitment_id": commitment["id"], "title": "Rapport 2026", "excerpt": "Le fonds a été créé."},
        headers=auth("monitor"),
    )
    assert evidence.status_code == 201
    done = await client.post(
        "/api/status_changes",
        json=change(
            commitment, to_status="achieved", rationale="Fonds créé", evidence_ids=[evidence.json()["id"]]
        ),
        headers=auth("monitor", "alice"),
    )
    assert done.status_code == 201, done.text
    body = done.json()
    assert (body["from_status"], body["to_status"], body["changed_by"]) == (
        "not_assessed",
        "achieved",
        "alice",
    )
    assert body["evidence"][0]["title"] == "Rapport 2026"
    [event] = await event_log.wait_for("suivi.commitment.status_changed", str(commitment["id"]))
    assert event.data["to_status"] == "achieved" and event.data["rationale"] == "Fonds créé"
    assert event.data["version"] == commitment["version"] + 1


async def test_fifty_concurrent_changes_one_wins(client, event_log):
    commitment = await new_commitment(client)
    attempts = [
        client.post(
            "/api/status_changes",
            json=change(commitment, to_status="in_progress", rationale=f"attempt {i}"),
            headers=auth("monitor", f"monitor{i}"),
        )
        for i in range(50)
    ]
    codes = sorted(r.status_code for r in await asyncio.gather(*attempts))
    assert codes.count(201) == 1 and codes.count(409) == 49
    history = await client.get(
        "/api/status_changes",
        params={"filter": json.dumps({"commitment_id": commitment["id"]})},
        headers=auth("viewer"),
    )
    assert len(history.json()) == 1
    await event_log.wait_for("suivi.commitment.status_changed", str(commitment["id"]))
    await asyncio.sleep(1.0)  # anything published twice would have arrived by now
    assert len(event_log.of("suivi.commitment.status_changed", str(commitment["id"]))) == 1
