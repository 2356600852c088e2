"""The closed vocabularies of a commitment (docs/api.md and eval/ANNOTATION.md): each a Literal type for
annotations and the tuple of its values."""

from typing import Literal, get_args

Status = Literal[
    "not_assessed",
    "not_started",
    "in_progress",
    "stalled",
    "partially_achieved",
    "achieved",
    "abandoned",
]
STATUSES: tuple[Status, ...] = get_args(Status)
STATUSES_NEEDING_EVIDENCE = frozenset({"partially_achieved", "achieved", "abandoned"})
STATUSES_DONE = frozenset({"achieved", "abandoned"})

Kind = Literal["engagement", "call", "recommendation", "priority"]
KINDS: tuple[Kind, ...] = get_args(Kind)

Actor = Literal[
    "states",
    "private_sector",
    "civil_society",
    "technical_community",
    "academia",
    "intergovernmental_orgs",
    "international_orgs",
    "un_system",
    "igf",
    "itu",
    "wsis",
    "donors",
    "platforms",
    "all_stakeholders",
    "unspecified",
]
ACTORS: tuple[Actor, ...] = get_args(Actor)

Topic = Literal[
    "igf_mandate",
    "funding",
    "nri_coordination",
    "gdc_wsis_alignment",
    "multistakeholder_participation",
    "connectivity_access",
    "critical_internet_resources",
    "cybersecurity_trust",
    "human_rights",
    "capacity_building",
    "multilingualism_diversity",
    "ai_emerging_tech",
    "environment",
    "online_safety",
    "digital_public_infrastructure",
    "development_sdgs",
]
TOPICS: tuple[Topic, ...] = get_args(Topic)
MISSION_TOPICS = ("igf_mandate", "funding", "nri_coordination", "gdc_wsis_alignment")

NEGOTIATION_STATUSES = ("adopted", "bracketed", "none")
