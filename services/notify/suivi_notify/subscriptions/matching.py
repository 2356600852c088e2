"""Which subscriptions want an event: event-type patterns and filters on the event's data."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from suivi_contracts.events import EventPayload


def valid_pattern(pattern: str) -> bool:
    """`suivi.commitment.status_changed`, `suivi.commitment.*` (one token), `suivi.>` or `*` (all)."""
    if pattern in ("*", ">"):
        return True
    tokens = pattern.split(".")
    if any(not token for token in tokens):
        return False
    if ">" in tokens[:-1]:
        return False
    return all(token in ("*", ">") or ("*" not in token and ">" not in token) for token in tokens)


def type_matches(pattern: str, event_type: str) -> bool:
    if pattern in ("*", ">"):
        return True
    wanted = pattern.split(".")
    actual = event_type.split(".")
    for index, token in enumerate(wanted):
        if token == ">":
            return len(actual) > index
        if index >= len(actual):
            return False
        if token != "*" and token != actual[index]:
            return False
    return len(actual) == len(wanted)


@dataclass(frozen=True)
class EventFacts:
    """What filters look at, taken from the event and, for commitments, notify's read model."""

    type: str
    commitment_id: str | None = None
    topics: frozenset[str] = field(default_factory=frozenset)
    statuses: frozenset[str] = field(default_factory=frozenset)


def _strings(value: Any) -> list[str]:
    if isinstance(value, list | tuple | set):
        return [str(item) for item in value if item is not None]
    if value is None:
        return []
    return [str(value)]


def event_facts(
    event_type: str, payload: EventPayload, known_topics: Iterable[str] = (), known_status: str | None = None
) -> EventFacts:
    # The filters read `data.topics`, `data.to_status` and `data.status` by name (docs/webhooks.md),
    # whichever payload has them.
    commitment_id = payload.about_commitment()
    topics = set(_strings(getattr(payload, "topics", None))) or set(known_topics)
    named = (getattr(payload, "to_status", None), getattr(payload, "status", None))
    statuses = {str(status) for status in named if status}
    if not statuses and known_status:
        statuses = {known_status}
    return EventFacts(
        type=event_type,
        commitment_id=None if commitment_id is None else str(commitment_id),
        topics=frozenset(topics),
        statuses=frozenset(statuses),
    )


def subscription_matches(event_types: list[str], filter: dict[str, Any], facts: EventFacts) -> bool:
    if event_types and not any(type_matches(pattern, facts.type) for pattern in event_types):
        return False
    topics = set(_strings(filter.get("topics")))
    if topics and not topics & facts.topics:
        return False
    ids = set(_strings(filter.get("commitment_ids")))
    if ids and facts.commitment_id not in ids:
        return False
    statuses = set(_strings(filter.get("statuses")))
    return not (statuses and not statuses & facts.statuses)
