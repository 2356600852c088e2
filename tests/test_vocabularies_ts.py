"""frontend/src/vocabularies.ts offers what the contracts define: same terms, same order, each with
a French and an English label (the UI's choices and filters are built from it)."""

from __future__ import annotations

import re
from pathlib import Path

from suivi_contracts import subjects, vocabularies

VOCABULARIES_TS = Path(__file__).resolve().parents[1] / "frontend" / "src" / "vocabularies.ts"

# Vocabularies of the UI that are the contracts', by the name of their TypeScript constant.
FROM_CONTRACTS = {
    "STATUSES": vocabularies.STATUSES,
    "EVIDENCE_REQUIRED_STATUSES": tuple(
        s for s in vocabularies.STATUSES if s in vocabularies.STATUSES_NEEDING_EVIDENCE
    ),
    "KINDS": vocabularies.KINDS,
    "ACTORS": vocabularies.ACTORS,
    "TOPICS": vocabularies.TOPICS,
    "MISSION_TOPICS": vocabularies.MISSION_TOPICS,
    "NEGOTIATION_STATUSES": vocabularies.NEGOTIATION_STATUSES,
    "EVENT_TYPES": subjects.EVENT_TYPES,
}
# Vocabularies of one service's own API (no event carries them), or of the UI alone.
NOT_CONTRACTS = {"DOCUMENT_STATUSES", "DELIVERY_STATUSES", "ARCHIVE_STATUSES", "ROLES", "LANGUAGES"}

_ARRAY = re.compile(r"^export const (\w+)(?::\s*(\w+)\[\])?\s*=\s*\[(.*?)\];", re.M | re.S)
_STRING = r"'((?:[^'\\]|\\.)*)'"
_TERM = re.compile(rf"\{{\s*id:\s*{_STRING},\s*fr:\s*{_STRING},\s*en:\s*{_STRING},?\s*\}}")


def ts_vocabularies() -> dict[str, list[tuple[str, ...]]]:
    """Each exported array: its Terms as (id, fr, en), or its strings as (id,)."""
    found: dict[str, list[tuple[str, ...]]] = {}
    for name, element_type, body in _ARRAY.findall(VOCABULARIES_TS.read_text(encoding="utf-8")):
        if element_type == "Term":
            terms = [match.groups() for match in _TERM.finditer(body)]
            assert len(terms) == body.count("id:"), f"{name}: a Term this test cannot read"
            found[name] = terms
        else:
            found[name] = [(value,) for value in re.findall(_STRING, body)]
    return found


def test_every_vocabulary_of_the_ui_is_the_contracts_or_named_as_not_one():
    found = ts_vocabularies()
    assert set(found) == set(FROM_CONTRACTS) | NOT_CONTRACTS


def test_the_ui_offers_exactly_the_contracts_terms_in_their_order():
    found = ts_vocabularies()
    for name, expected in FROM_CONTRACTS.items():
        assert [term[0] for term in found[name]] == list(expected), name


def test_every_term_has_a_french_and_an_english_label():
    for name, terms in ts_vocabularies().items():
        for term in terms:
            if len(term) == 3:
                term_id, french, english = term
                assert french.strip() and english.strip(), f"{name}.{term_id}"


def test_the_subscription_form_offers_the_events_notify_emits():
    event_types = [term[0] for term in ts_vocabularies()["EVENT_TYPES"]]
    for event_type in (subjects.COMMITMENT_DELETED, subjects.DIGEST_WEEKLY, subjects.SUBSCRIPTION_DISABLED):
        assert event_type in event_types
