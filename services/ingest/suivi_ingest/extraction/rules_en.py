"""English constructions, one function each, on lower-case word forms.

The English pipeline has no tagger (no English model is available): rules look at word
forms and closed word lists (``lexicon.en``). Each construction is tried at every token; it
answers ``None`` when it is not there, else the decisions it makes (possibly none: the
token is its, no other construction is tried on it).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from . import decision as conf
from .decision import Decision
from .lexicon import en as lex
from .nlp import Tok

Found = list[Decision] | None


@dataclass
class Sentence:
    toks: list[Tok]
    low: list[str]  # lower-case word forms, typographic apostrophes folded

    @classmethod
    def of(cls, toks: list[Tok]) -> Sentence:
        return cls(toks, [t.low.replace("’", "'") for t in toks])

    def word(self, i: int) -> str:
        return self.low[i] if 0 <= i < len(self.low) else ""

    def reported_before(self, i: int) -> bool:
        """A reporting verb ("stressed", "noted") before ``i`` whose subject is not "we"."""
        low = self.low
        return any(low[j] in lex.REPORT and not (j > 0 and low[j - 1] in ("we", "i")) for j in range(i))


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
    while j >= 0 and (
        low[j] in lex.CLAUSE_ADVERBS or (low[j] in ("this", "that") and low[j - 1 : j] == ["in"])
    ):
        j -= 1  # "that" only in "in that regard": "…, that will help" is a relative clause
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


# ---------------------------------------------------------------- sentence-level


def not_a_statement(s: Sentence) -> bool:
    return len(s.low) < 3 or "?" in s.low[-2:]


def gives_reason_or_hypothesis(s: Sentence, best: Decision) -> bool:
    """ "…, because devices must rely on the cloud" gives a reason; "Without X, … would" is a
    hypothesis."""
    if best.modal and any(w in ("because", "since") for w in s.low[: best.trigger]):
        return True
    return s.low[0] == "without" and "would" in s.low


def priority(s: Sentence) -> Decision | None:
    """A list item or short paragraph opening with an imperative: "Strengthen …"."""
    if s.low[0] in lex.VERB_START and (
        len(s.low) < 2 or s.low[1] not in ("is", "are", "was", "were", "has", "have", "of")
    ):
        return Decision("priority", conf.PRIORITY)
    return None


# ---------------------------------------------------------------- first person plural


def first_person(s: Sentence, i: int) -> Found:
    """ "we commit to", "we will", "we are determined to", "we urge", "we must", "we
    recognize the need to", "we extend the mandate"."""
    low, n = s.low, len(s.low)
    if low[i] != "we" or i + 1 >= n:
        return None
    j = i + 1
    while j < n and low[j] in lex.FIRST_PERSON_ADVERBS:
        j += 1
    if j >= n:
        return []
    relative = i > 0 and low[i - 1] in ("that", "which", "who", "where", "as", "if", "when")
    d = first_person_verb(s, j, relative)
    return [d] if d is not None else []


def first_person_verb(s: Sentence, j: int, relative: bool = False) -> Decision | None:
    """The kind a verb whose subject is "we" gives."""
    low, n = s.low, len(s.low)
    v, lem = low[j], s.toks[j].lemma
    if v in ("are", "remain") and s.word(j + 1) in lex.ENGAGE_ADJ:
        return Decision("engagement", conf.STRONG_PERFORMATIVE, trigger=j)
    if v in ("will", "shall"):
        return Decision("engagement", conf.PERFORMATIVE, trigger=j)
    if v in ("must", "should", "need", "have") and (v != "have" or s.word(j + 1) == "to"):
        return Decision("recommendation", conf.MODAL, trigger=j)
    if lem in ("reaffirm", "reiterate", "renew") and any(
        low[k] in lex.COMMITMENT_NOUNS or low[k] == "support" for k in range(j + 1, min(n, j + 7))
    ):
        return Decision("engagement", conf.RENEWED_COMMITMENT, trigger=j)
    past = v.endswith("ed")  # "we stressed": no performative, a need noted may still count
    if lem in lex.ENGAGE and not past:
        return Decision("engagement", conf.PERFORMATIVE, trigger=j)
    if lem in lex.CALL and not past:
        return _first_person_call(s, j)
    if lem in lex.NOTE:
        return _noted_need(s, j)
    if lem in lex.PERFORMATIVE and not past and not relative:
        # a present-tense act of the authors: "We extend the mandate of the Forum"
        return Decision("engagement", conf.PRESENT_ACT, trigger=j)
    return None


def _first_person_call(s: Sentence, j: int) -> Decision | None:
    lem = s.toks[j].lemma
    if lem in ("stress", "emphasize", "emphasise", "underline", "underscore"):
        if any(s.word(k) in ("need", "importance", "necessity", "urgency") for k in range(j + 1, j + 4)):
            return Decision("recommendation", conf.STRESSED_NEED, trigger=j)
        return None
    return Decision("recommendation" if lem == "recommend" else "call", conf.PERFORMATIVE, trigger=j)


def _noted_need(s: Sentence, j: int) -> Decision | None:
    """ "we recognize the need to", "we acknowledge the urgency for"."""
    for k in range(j + 1, min(len(s.low), j + 5)):
        if s.low[k] in ("need", "necessity", "urgency") and s.word(k + 1) in ("to", "for"):
            return Decision("recommendation", conf.NOTED_NEED, trigger=j)
    return None


def coordinated_first_person(s: Sentence, i: int) -> Found:
    """A second verb of "we" after a clause boundary: "We recognize …, and call for …",
    "we reaffirm … and will support …"."""
    low = s.low
    if low[i] not in lex.COORDINATED_VERBS or "we" not in low[:i] or not clause_start(low, i):
        return None
    if i > 0 and low[i - 1] == "we":
        return None  # the first verb of "we": first_person reads it
    d = first_person_verb(s, i)
    return [d] if d is not None else []


# ---------------------------------------------------------------- modals and necessity


def deontic_modal(s: Sentence, i: int) -> Found:
    """ "States should …", "must be protected", "ought to"."""
    w = s.low[i]
    if w not in lex.MODAL or (w == "ought" and s.word(i + 1) != "to"):
        return None
    if s.word(i + 1).isalpha():
        return [Decision("recommendation", conf.MODAL, s.reported_before(i), trigger=i)]
    return []


def need_to(s: Sentence, i: int) -> Found:
    """ "X needs to …" (not "the need to"); "needed to", "had to" tell the past."""
    w = s.low[i]
    if w in ("need", "needs") and s.word(i + 1) == "to" and i > 0 and s.low[i - 1] not in ("the", "a"):
        return [Decision("recommendation", conf.NEED_STATED, s.reported_before(i), trigger=i)]
    if w in ("needed", "had") and s.word(i + 1) == "to":
        return [Decision("recommendation", conf.IMPLIED_NEED, True, trigger=i)]
    return None


def there_is_a_need(s: Sentence, i: int) -> Found:
    """ "there is a (pressing) need to", "there remains an urgent need"."""
    low = s.low
    if low[i] != "there" or i + 3 >= len(low) or low[i + 1] not in ("is", "remains", "was"):
        return None
    if low[i + 2] not in ("a", "an", "the"):
        return None
    if low[i + 3] in ("need", "urgent", "pressing", "clear") or s.word(i + 4) == "need":
        reported = low[i + 1] == "was" or s.reported_before(i)
        return [Decision("recommendation", conf.NOTED_NEED, reported, trigger=i)]
    return []


def it_is_essential(s: Sentence, i: int) -> Found:
    """ "it is essential to", "it will be necessary that" (not "it is important to note")."""
    low, n = s.low, len(s.low)
    if low[i] != "it" or i + 2 >= n or low[i + 1] not in ("is", "remains", "will", "would", "was", "becomes"):
        return None
    k = i + 2
    if low[i + 1] in ("will", "would") and low[k] == "be":
        k += 1
    while k < n and low[k] in lex.DEGREE_ADVERBS:
        k += 1
    if k + 1 < n and low[k] in lex.NEED_ADJ and low[k + 1] in ("to", "that", "for"):
        if s.word(k + 2) in ("note", "recall", "recognize", "recognise"):
            return []
        reported = low[i + 1] == "was" or s.reported_before(i)
        return [Decision("recommendation", conf.IMPERSONAL_NEED, reported, trigger=i)]
    return []


def necessity_adjective(s: Sentence, i: int) -> Found:
    """ "X is essential", "action is urgently needed" (weak when it may only qualify)."""
    low, w = s.low, s.low[i]
    if (
        w not in lex.NEED_ADJ
        or i <= 1
        or low[i - 1] not in ("is", "are", "remains", "remain", "be", "was", "were")
    ):
        return None
    strong = w in lex.STRONG_ADJ
    if low[i - 2] in ("it", "this") and not strong:
        return []
    reported = low[i - 1] in ("was", "were") or s.reported_before(i)
    return [Decision("recommendation", conf.STRONG_NEED if strong else conf.WEAK_NEED, reported, trigger=i)]


def necessity_verb(s: Sentence, i: int) -> Found:
    """ "this requires", "the situation calls for"."""
    low, w = s.low, s.low[i]
    if w not in ("requires", "require", "demands", "necessitates", "calls") or i == 0 or low[i - 1] == "we":
        return None
    if w == "calls" and s.word(i + 1) != "for":
        return []
    return [Decision("recommendation", conf.NEED_PREDICATE, s.reported_before(i), trigger=i)]


# ---------------------------------------------------------------- third person


def reported_appeal(s: Sentence, i: int) -> Found:
    """ "Participants called for …": a report of others' appeal."""
    low, w = s.low, s.low[i]
    if w not in ("called", "urged", "recommended", "requested", "appealed") or i == 0:
        return None
    if low[i - 1] in ("is", "are", "was", "were", "be", "been", "being", "we"):
        return None
    if s.word(i + 1) not in ("for", "on", "upon", "to", "that", "the", "all", "governments", "states"):
        return None
    return [Decision("call", conf.REPORTED_CALL, True, trigger=i)]


def third_person_performative(s: Sentence, i: int) -> Found:
    """ "Requests the Secretary-General to …", "The Council urges …", "Decides to …" outside a
    resolution's operative paragraph (those are read clause by clause)."""
    low, w = s.low, s.low[i]
    if w in lex.CALL_3P and (i <= 2 or low[i - 1] in (",", "also", "further", "strongly")):
        kind = "call" if w != "recommends" else "recommendation"
        return [Decision(kind, conf.PERFORMATIVE, s.reported_before(i), trigger=i)]
    if w in lex.DECIDE_3P and i <= 2:
        return [Decision("engagement", conf.PERFORMATIVE, False, trigger=i)]
    return None


def passive_call(s: Sentence, i: int) -> Found:
    """ "Member States are invited to …" (not "to take note")."""
    low, w = s.low, s.low[i]
    if w not in ("invited", "encouraged", "requested", "urged", "called") or i == 0:
        return None
    if low[i - 1] not in ("is", "are"):
        return None
    k = i + 1
    if s.word(k) in ("upon", "on"):
        k += 1
    if s.word(k) == "to" and s.word(k + 1) not in ("note", "take"):
        return [Decision("call", conf.PASSIVE_CALL, s.reported_before(i), trigger=i)]
    return []


def actor_will(s: Sentence, i: int) -> Found:
    """A named actor's own future action: "Japan will host …", "announced that it would host"."""
    low, w = s.low, s.low[i]
    if w not in ("will", "would"):
        return None
    if i > 0 and s.toks[i - 1].text[:1].isupper() and low[i - 1] not in lex.NOT_ACTORS:
        if s.word(i + 1) and s.word(i + 1) not in ("be", "have", "help", "enable", "ensure", "allow"):
            if w == "will" or s.reported_before(i):
                return [Decision("engagement", conf.ANNOUNCEMENT, False, announce=True, trigger=i)]
        return []
    if s.word(i + 1) in lex.HOST and any(t.text[:1].isupper() for t in s.toks[1:i]):
        return [Decision("engagement", conf.ACTOR_SUPPORT, False, announce=True, trigger=i)]
    return None


def actor_offer(s: Sentence, i: int) -> Found:
    """ "X offered to host …", "proposed to fund"."""
    if s.low[i] in ("offered", "proposed") and s.word(i + 1) == "to" and s.word(i + 2) in lex.OFFERED_ACTIONS:
        return [Decision("engagement", conf.ACTOR_OFFER, False, announce=True, trigger=i)]
    return None


_NOMINAL = re.compile(r"(?:tion|ment|ing|ance|ence)$")


def nominal_enabling(s: Sentence, i: int) -> Found:
    """ "Strengthening X will help …", "The establishment of … would enable …"."""
    low = s.low
    if low[i] not in lex.ENABLE or i == 0 or low[i - 1] not in ("will", "would", "can", "could"):
        return None
    if low[0] in lex.NOMINAL_OPENINGS and (low[0] != "the" or _NOMINAL.search(s.word(1))):
        return [Decision("recommendation", conf.NOMINAL_ENABLING, False, trigger=i)]
    return []


# in the order they are tried at each token
CONSTRUCTIONS = (
    first_person,
    coordinated_first_person,
    deontic_modal,
    need_to,
    there_is_a_need,
    it_is_essential,
    necessity_adjective,
    necessity_verb,
    reported_appeal,
    third_person_performative,
    passive_call,
    actor_will,
    actor_offer,
    nominal_enabling,
)
