"""Kind detection: is a sentence an actionable statement, and of which kind?

Rules work on annotated tokens (lemma, morphology) and look for constructions, not for
phrases: a performative verb in the first person plural (« nous exhortons », "we urge"),
a third-person performative of resolutions (« Prie le Secrétaire général de »,
"Requests"), passives of the same verbs (« est invitée à »), deontic modals (« devrait »,
« il faut », "should", "must"), impersonal necessity (« il est essentiel de », "it is
necessary to"), necessity predicates (« X est nécessaire », « nécessite »), nominalised
actions with an enabling verb in the future (« Le fait de renforcer … permettra »),
infinitive or imperative list items (priorities). Reported speech (a reporting verb in the
past, imperfect modals: « ont souligné qu'il était essentiel », "stressed that … was
needed") marks the statement as *reported*; the pipeline drops those unless an actor
announces its own action or a mission topic is at stake.
"""

from __future__ import annotations

from collections.abc import Callable

from . import rules_en, rules_fr
from .decision import Decision, rank
from .nlp import Tok
from .prefilter import PREFILTER, last_trigger_end

__all__ = ["PREFILTER", "classify_en", "classify_fr", "last_trigger_end"]


def classify_fr(toks: list[Tok], first_in_block: bool = False) -> Decision | None:
    """The kind of a French sentence, from the strongest of its constructions."""
    if rules_fr.not_a_statement(toks):
        return None
    best = rules_fr.operative_opening(toks, first_in_block)
    if rules_fr.opens_operative_paragraph(toks):
        # a resolution's operative paragraph is read clause by clause
        for d in rules_fr.operative_clauses(toks):
            best = _stronger(best, d)
    for i in range(len(toks)):
        for construction in rules_fr.CONSTRUCTIONS:
            found = construction(toks, i)
            if found is None:
                continue
            for d in found:
                if d.kind == "recommendation" and not rules_fr.has_nous_subject(toks, d.trigger):
                    d.modal = True
                best = _stronger(best, d)
            break
    if best is not None and rules_fr.reported_frame(toks):
        best.reported = True
    if best is not None and best.modal and rules_fr.after_cause(toks, best.trigger):
        return None  # « … du fait que les appareils doivent passer par le nuage » gives a reason
    if best is None and first_in_block:
        best = rules_fr.priority(toks)
    return best


def classify_en(toks: list[Tok], first_in_block: bool = False) -> Decision | None:
    """The kind of an English sentence, from the strongest of its constructions."""
    s = rules_en.Sentence.of(toks)
    if rules_en.not_a_statement(s):
        return None
    best: Decision | None = None
    constructions: tuple[Callable[[rules_en.Sentence, int], list[Decision] | None], ...]
    constructions = rules_en.CONSTRUCTIONS
    if rules_en.opens_operative_paragraph(s.low):
        # a resolution's operative paragraph is read clause by clause
        clauses = [*rules_en.operative_clauses(s.low), rules_en.need_in_operative(s.low)]
        best = _offer_en(s, best, [d for d in clauses if d is not None])
        constructions = tuple(c for c in constructions if c is not rules_en.third_person_performative)
    for i in range(len(toks)):
        for construction in constructions:
            found = construction(s, i)
            if found is not None:
                best = _offer_en(s, best, found)
                break
    if best is not None and rules_en.gives_reason_or_hypothesis(s, best):
        return None
    if best is None and first_in_block:
        best = rules_en.priority(s)
    return best


def _offer_en(s: rules_en.Sentence, best: Decision | None, found: list[Decision]) -> Decision | None:
    for d in found:
        if d.kind == "recommendation" and not (d.trigger > 0 and s.low[d.trigger - 1] == "we"):
            d.modal = True  # impersonal: not the authors' own performative
        best = _stronger(best, d)
    return best


def _stronger(best: Decision | None, d: Decision) -> Decision:
    return d if best is None or rank(d) > rank(best) else best
