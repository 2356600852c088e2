"""Actors: addressees of calls, subjects of modals, named states, UN bodies, companies, platforms."""

from __future__ import annotations

import pytest
from suivi_ingest.extraction.actors import find_actors


@pytest.mark.parametrize(
    ("item", "lead", "kind", "expected"),
    [
        ("À cet égard, la Lituanie soutient fermement la prorogation de son mandat.", "", "call", {"states"}),
        ("Lithuania will host the meeting of the Forum in 2010.", "", "engagement", {"states"}),
        (
            "Invites the Commission on Science and Technology for Development to strengthen synergies;",
            "",
            "call",
            {"un_system"},
        ),
        (
            "Requests the Secretary-General to submit a report at its eighty-first session;",
            "",
            "call",
            {"un_system"},
        ),
        ("Prie le Secrétaire général de lui présenter un rapport ;", "", "call", {"un_system"}),
        (
            "Encourages UNESCO and UNDP to continue their support to national strategies;",
            "",
            "call",
            {"un_system"},
        ),
        (
            "Calls on digital technology companies to respect human rights;",
            "",
            "call",
            {"platforms", "private_sector"},
        ),
        (
            "Les plateformes de réseaux sociaux devraient retirer ces contenus.",
            "",
            "recommendation",
            {"platforms"},
        ),
        ("Nous invitons les États membres à renforcer la coopération.", "", "call", {"states"}),
        (
            "Strengthening their national statistical capacities;",
            "Calls upon Member States to:",
            "call",
            {"states"},
        ),
        (
            "Decides that the President of the General Assembly will organize consultations;",
            "",
            "engagement",
            {"un_system"},
        ),
        (
            "Recognizes the importance of assisting developing countries;",
            "",
            "recommendation",
            {"unspecified"},
        ),
    ],
)
def test_actors(item, lead, kind, expected):
    assert set(find_actors(item, lead, kind, "states")) >= expected
