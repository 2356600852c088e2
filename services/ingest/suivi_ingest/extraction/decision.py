"""What the rules decide about a sentence, how sure they are, and which decision wins."""

from __future__ import annotations

from dataclasses import dataclass

# How sure a rule is that its construction makes an item (the ``confidence`` of items).
PERFORMATIVE = 0.85  # an explicit performative: "we commit to", « Prie le Secrétaire général de »
OPERATIVE_CLAUSE = 0.8  # an operative verb after the first clause of a resolution paragraph
IMPERSONAL_NEED = 0.85  # « il est essentiel de », "it is necessary to"
MODAL = 0.8  # deontic modal: « devrait », "should", "must"
NOTED_NEED = 0.75  # "we recognize the need to", "Stresses the need for"
PASSIVE_CALL = 0.75  # « est invitée à », "are encouraged to"
PRIORITY = 0.7  # an infinitive or imperative list item
NEED_PREDICATE = 0.55  # « X nécessite », "requires"
WEAK_NEED = 0.45  # « X est essentiel » (may only qualify)
ANNOUNCEMENT = 0.45  # a named actor's future action
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


def strongest(decisions) -> Decision | None:
    best = None
    for d in decisions:
        if best is None or rank(d) > rank(best):
            best = d
    return best
