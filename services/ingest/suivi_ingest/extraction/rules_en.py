"""English constructions, one function each, on lower-case word forms.

The English pipeline has no tagger (no English model is available): rules look at word
forms and closed word lists (``lexicon.en``).
"""

from __future__ import annotations

from . import decision as conf
from .decision import Decision
from .lexicon import en as lex

_OPENING_ADVERBS = {"also", "further", "again", "once", "furthermore", "moreover", "strongly"}


def opens_operative_paragraph(low: list[str]) -> bool:
    """Does the sentence open like an operative paragraph of a resolution ("Requests …",
    "Also notes …"): on a verb in the third person, with no subject?"""
    i = 0
    while i < len(low) - 1 and low[i] in _OPENING_ADVERBS:
        i += 1
    w = low[i] if low else ""
    return any(w in words for words in lex.OPERATIVE_OPENINGS)


def clause_start(low: list[str], i: int) -> bool:
    """Does a clause start at ``i``: the sentence start or a boundary (« , » « ; » "and"),
    with only adverbs such as "also" or "in this regard" between?"""
    j = i - 1
    while j >= 0 and low[j] in lex.CLAUSE_ADVERBS:
        j -= 1
    return j < 0 or low[j] in lex.CLAUSE_BOUNDARIES


def operative_clauses(low: list[str]) -> list[Decision]:
    """Each operative verb of a resolution paragraph, in any of its clauses:
    "Welcomes …, and invites Member States to …", "Notes …; further requests …"."""
    out: list[Decision] = []
    for i in range(len(low)):
        if not clause_start(low, i):
            continue
        first = i <= 2
        certainty = conf.PERFORMATIVE if first else conf.OPERATIVE_CLAUSE
        d = (
            _operative_call(low, i, certainty)
            or _operative_engagement(low, i, first, certainty)
            or _operative_need(low, i)
        )
        if d is None:
            continue
        if d.kind == "engagement" and any(x.kind == "call" for x in out):
            # "Requests the Secretary-General to report …, and decides to include the item":
            # the procedural decision that closes a call does not make it an engagement
            continue
        out.append(d)
    return out


def _operative_call(low: list[str], i: int, certainty: float) -> Decision | None:
    """ "Urges …", "Calls upon …" (but not "calls" as a noun), "reiterates its call for"."""
    w = low[i]
    if w == "continues" and i + 2 < len(low) and low[i + 1] == "to":
        w = low[i + 2] + "s"  # "Continues to encourage …" asks as "Encourages" does
    if w in lex.OPERATIVE_CALL:
        return Decision(lex.OPERATIVE_CALL[w], certainty, trigger=i)
    if w in ("reiterates", "renews", "reaffirms") and any(x in lex.CALL_NOUNS for x in low[i + 1 : i + 4]):
        return Decision("call", certainty, trigger=i)
    return None


def _operative_engagement(low: list[str], i: int, first: bool, certainty: float) -> Decision | None:
    """ "Decides to …", "Resolves to …"; "Reaffirms its commitment to …" opening the paragraph
    (further on, a recalled commitment is not a new one)."""
    w = low[i]
    if w in lex.OPERATIVE_ENGAGE or (first and w in lex.OPERATIVE_ACT):
        return Decision("engagement", certainty, trigger=i)
    if w == "will" and not first and i + 1 < len(low) and low[i + 1].isalpha():
        return Decision("engagement", certainty, trigger=i)  # "…, and will support …"
    if (
        first
        and w in ("reaffirms", "reiterates", "renews")
        and any(x in lex.COMMITMENT_NOUNS for x in low[i + 1 : i + 4])
    ):
        return Decision("engagement", certainty, trigger=i)
    return None


def _operative_need(low: list[str], i: int) -> Decision | None:
    """ "Recognizes the need to …", "Stresses, in this regard, the importance of …"."""
    if low[i] not in lex.OPERATIVE_NOTE:
        return None
    window = [x for x in low[i + 1 : i + 9] if x not in lex.CLAUSE_ADVERBS and x != ","]
    if any(x in lex.NEED_NOUNS for x in window[:4]):
        return Decision("recommendation", conf.NOTED_NEED, trigger=i)
    return None


def need_in_operative(low: list[str]) -> Decision | None:
    """ "…, and the need for …", "… the importance of …" further in an operative paragraph:
    the object of a noting verb that names a need."""
    for i in range(1, len(low) - 2):
        if low[i - 1] == "the" and (
            (low[i] == "need" and low[i + 1] in ("to", "for"))
            or (low[i] == "importance" and low[i + 1] == "of")
        ):
            return Decision("recommendation", conf.NEED_PREDICATE, trigger=i)
    return None
