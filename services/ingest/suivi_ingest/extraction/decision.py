"""What the rules decide about a sentence, how sure they are, and which decision wins."""

from __future__ import annotations

from dataclasses import dataclass

# How sure a rule is that its construction makes an item (the ``confidence`` of items).
STRONG_PERFORMATIVE = 0.9  # « nous sommes résolus à », « nous prenons l'engagement de »
PERFORMATIVE = 0.85  # "we commit to", « nous exhortons », « Prie le Secrétaire général de »
IMPERSONAL_NEED = 0.85  # « il est essentiel de », "it is necessary to"
RENEWED_COMMITMENT = 0.8  # « nous réaffirmons notre engagement »
INTENT = 0.8  # « nous allons renforcer »
DECISION = 0.8  # « Décide de » further into the sentence
OPERATIVE_CLAUSE = 0.8  # an operative verb in a later clause of a resolution paragraph
MODAL = 0.8  # deontic modal: « devrait », « il faut », « il convient de », "should", "must"
STRESSED_NEED = 0.7  # "we stress the need to"
NOTED_NEED = 0.75  # "we recognize the need to", « nous recommandons »
FIRST_PERSON_FUTURE = 0.75  # « nous renforcerons »
PASSIVE_CALL = 0.75  # « est invitée à », "are encouraged to"
SUBJECT_CALL = 0.7  # « le Conseil invite les membres à »
STRONG_NEED = 0.7  # « X est nécessaire », « il y a lieu de »
NEED_STATED = 0.7  # "there is a need to", "need to"
PRIORITY = 0.7  # an infinitive or imperative list item
ACTOR_COMMITMENT = 0.65  # « X s'est engagé à »
PRESENT_ACT = 0.6  # « nous prorogeons le mandat », "we extend the mandate"
IMPLIED_NEED = 0.6  # « il s'agit de + infinitif », a past need ("needed to")
ACTOR_OFFER = 0.6  # « X a proposé d'accueillir », "offered to host"
REPORTED_CALL = 0.6  # "participants called for …"
NEED_PREDICATE = 0.55  # « X nécessite », "requires", "the need for" further in a paragraph
NOTED_IMPORTANCE = 0.55  # « nous soulignons l'importance de »
ACTOR_SUPPORT = 0.55  # « X soutient la prorogation », "will host"
NOMINAL_ENABLING = 0.5  # « le renforcement … permettra »
WEAK_NEED = 0.45  # « X est essentiel » (may only qualify)
ANNOUNCEMENT = 0.45  # a named actor's future action
INHERITED = 0.8  # at most, for a sub-item that inherits its lead-in's kind
REPORTED_MISSION = 0.35  # reported speech kept because a mission topic is at stake


@dataclass
class Decision:
    kind: str
    confidence: float
    reported: bool = False  # reported speech / past: not the authors' statement
    announce: bool = False  # a named actor announces its own action
    trigger: int = 0  # token index of the trigger
    relative: bool = False  # trigger inside a relative clause
    modal: bool = False  # impersonal/modal necessity, not a performative of the authors


# Among several actionable verbs of one sentence the strongest gives the kind
# (ANNOTATION.md: engagement, then call, then recommendation).
_RANK = {"engagement": 4, "call": 3, "recommendation": 2, "priority": 1}


def rank(d: Decision) -> tuple[float, float]:
    # an actor's announced action (weak evidence) does not outrank a modal statement
    return (1.5 if d.announce and d.confidence < 0.6 else _RANK[d.kind], d.confidence)
