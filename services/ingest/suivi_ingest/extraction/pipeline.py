"""The extractor: text → structure → candidate sentences → kinds → commitments."""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass

from . import decision as conf
from . import nlp
from .actors import find_actors
from .deadlines import find_deadline
from .decision import Decision
from .kinds import PREFILTER, classify_en, classify_fr, last_trigger_end
from .language import detect_language, guess_fr_en
from .lexicon import en as lexicon_en
from .lexicon import fr as lexicon_fr
from .model import ExtractedCommitment, UnsupportedLanguage
from .negotiation import ADOPTED_MARK, bracket_spans, overlaps
from .structure import Block, build_blocks, lettered_item_over, split_inline_items, split_sentences
from .topics import TopicContext, TopicModel
from .vocabulary import strong_mission_topics

SUPPORTED = ("fr", "en")
_INF_START = {
    "fr": re.compile(r"^(?:de |d'|d’)?[A-Za-zÀ-ÿœ-]+(?:er|ir|re|oir)\b", re.I),
    "en": re.compile(r"^[A-Za-z]+\b"),
}
_LEAD_STRIP = re.compile(r"^[\s\[«\"“*]+|[\s\]»\"”*]+$")
_TITLE_ZONE = 3000  # the headings of a document's first characters give its subject
_DASH_TITLE = re.compile(r"^([^–—:]{3,90}?)\s+[–—]\s+(?=\S)")


@dataclass
class _Cand:
    block: int
    start: int  # clean-text offsets in the block
    end: int
    role: str  # sent | lead | sub
    first: bool  # opens its block (for priorities)
    label: str = ""
    lead: int = -1  # index of the lead-in candidate for subs
    subject: str = ""  # « Nous » of a lead-in « Nous : » that its sub-items continue
    outer: int = -1  # the paragraph's lead-in, when ``lead`` is a lettered item over roman ones
    toks: list | None = None
    decision: Decision | None = None


class Extractor:
    """Reusable, thread-safe extractor. spaCy is loaded on first use, once per process."""

    def __init__(self, topic_model: TopicModel | None = None) -> None:
        self._lock = threading.Lock()
        self.topic_model = topic_model or TopicModel.shipped()

    def extract(self, text: str, doc: str, language: str | None = None) -> list[ExtractedCommitment]:
        if not text.strip():
            return []
        lang = language or detect_language(text)
        lang = (lang or "und").lower()[:2] if lang != "und" else lang
        if lang == "und":
            lang = guess_fr_en(text) or lang  # short texts: any French or English evidence will do
        if lang not in SUPPORTED:
            raise UnsupportedLanguage(
                f"Commitments can only be extracted from French or English texts; this one is "
                f"{'of unknown language' if lang == 'und' else f'in {lang!r}'}.",
                lang,
            )
        blocks = build_blocks(text)
        cands = self._candidates(blocks, lang)
        todo = [c for c in cands if c.toks is None and self._wanted(c, blocks, lang)]
        # whitespace runs (justified PDF lines) confuse the tagger: fold them first
        annotated = nlp.annotate([" ".join(self._analysed_part(c, blocks, lang).split()) for c in todo], lang)
        for c, toks in zip(todo, annotated, strict=True):
            c.toks = toks
        classify = classify_fr if lang == "fr" else classify_en
        for c in cands:
            if c.toks is not None:
                c.decision = classify(c.toks, c.first)
        return self._items(text, doc, lang, blocks, cands)

    # ------------------------------------------------------------------ candidates
    def _candidates(self, blocks: list[Block], lang: str) -> list[_Cand]:
        cands: list[_Cand] = []
        lead_of_group: dict[int, int] = {}
        for bi, b in enumerate(blocks):
            if b.kind == "heading" or not b.text.strip() or _preambular(b, lang):
                continue
            lead_idx = -1
            if b.kind == "sub" or (b.kind == "bullet" and b.group in lead_of_group and b.group != bi):
                parent = lead_of_group.get(b.group, -1)
                if b.kind == "sub" or blocks[b.group].text.rstrip().endswith(":"):
                    nested = _nested_lead(cands, blocks, bi)
                    lead, outer = (nested, parent) if nested >= 0 else (parent, -1)
                    cands.append(_Cand(bi, 0, len(b.text), "sub", True, b.label, lead, outer=outer))
                    continue
            lead_span, inline = split_inline_items(b.text)
            limit = len(b.text)
            if inline:
                limit = lead_span[1] if lead_span else 0
            sents = split_sentences(b.text[:limit]) if limit else []
            for k, (s, e) in enumerate(sents):
                is_last = k == len(sents) - 1
                role = "sent"
                if (
                    is_last
                    and (inline or b.children)
                    and b.text[s:e].rstrip().endswith(":")
                    or (inline and is_last)
                ):
                    role = "lead"
                cands.append(_Cand(bi, s, e, role, k == 0))
                if role == "lead":
                    lead_idx = len(cands) - 1
            if inline:
                for label, s, e in inline:
                    cands.append(_Cand(bi, s, e, "sub", True, label, lead_idx))
            if b.children or (b.text.rstrip().endswith(":") and lead_idx >= 0):
                lead_of_group[bi] = lead_idx
            if b.kind == "para" or b.kind == "para_text":
                lead_of_group.setdefault(bi, lead_idx)
                if lead_idx >= 0:
                    lead_of_group[bi] = lead_idx
        _give_subjects(cands, blocks)
        return cands

    def _wanted(self, c: _Cand, blocks: list[Block], lang: str) -> bool:
        t = blocks[c.block].text[c.start : c.end]
        if c.role in ("lead", "sub"):
            return True
        if PREFILTER[lang](t):
            return True
        return c.first and bool(_INF_START[lang].match(t.lstrip('*[«" ')))

    @staticmethod
    def _analysed_part(c: _Cand, blocks: list[Block], lang: str) -> str:
        """The part of a sentence the rules need: up to a little after its last trigger.

        Rules look at what precedes a trigger (subject, reporting verb) and at a few words
        after it (the infinitive, the addressee); the tail of a long sentence is not needed,
        and not sending it to spaCy saves a good share of the time.
        """
        t = blocks[c.block].text[c.start : c.end]
        if c.subject:  # « Nous : a) Appelons … » is read « Nous appelons … »
            return f"{c.subject} {t[:1].lower()}{t[1:]}"
        if c.role != "sent" or len(t) < 160:
            return t
        end = last_trigger_end(t, lang)
        if end is None:
            return t
        cut = t.find(" ", min(len(t), end + 80))
        return t if cut < 0 else t[:cut]

    # ------------------------------------------------------------------ items
    def _items(self, text, doc, lang, blocks, cands) -> list[ExtractedCommitment]:
        brackets = bracket_spans(text)
        adopted_groups = {b.group for b in blocks if b.kind != "heading" and ADOPTED_MARK.search(b.text)}
        doc_topics = self.topic_model.document(
            text,
            [b.text for b in blocks if b.kind != "heading"],
            [b.text for b in blocks if b.kind == "heading" and b.orig(0) < _TITLE_ZONE],
        )
        authors = "states" if adopted_groups or any(b.kind == "para" for b in blocks) else "all_stakeholders"
        out: list[ExtractedCommitment] = []
        for c in cands:
            decided = _final_decision(c, cands, blocks, lang)
            if decided is None:
                continue
            d, confidence = decided
            b = blocks[c.block]
            raw = b.text[c.start : c.end]
            lead = cands[c.lead] if c.role == "sub" and c.lead >= 0 else None
            lead_text = blocks[lead.block].text[lead.start : lead.end] if lead else ""
            item_text, s_off, e_off = _clean_span(raw)
            if len(item_text.split()) < 3 and d.kind != "priority":
                continue
            start = b.orig(c.start + s_off)
            end = b.orig(c.start + e_off - 1) + 1 if e_off > s_off else start
            topic_context = TopicContext(item_text, lead_text, b.text, " > ".join(b.heading_path))
            topics = doc_topics.topics(topic_context, start)
            actors = find_actors(item_text, lead_text, d.kind, authors)
            status = "none"
            if overlaps(brackets, start, end) or (b.kind == "sub" and _block_bracketed(b, brackets)):
                status = "bracketed"
            elif b.group in adopted_groups:
                status = "adopted"
            locator = b.locator
            if c.role == "sub" and c.label and b.kind != "sub":
                locator = f"{b.locator} ({c.label})"
            deadline = find_deadline(item_text, future_only_markers=d.kind != "engagement")
            out.append(
                ExtractedCommitment(
                    doc=doc,
                    text=item_text,
                    locator=locator,
                    kind=d.kind,
                    actors=actors,
                    topics=topics,
                    negotiation_status=status,
                    deadline=deadline,
                    confidence=round(confidence, 2),
                    start=start,
                    end=end,
                )
            )
        return out


def _final_decision(
    c: _Cand, cands: list[_Cand], blocks: list[Block], lang: str
) -> tuple[Decision, float] | None:
    """The decision an item is made from, and its confidence; None when it is no item.

    A sub-item inherits its lead-in's kind unless it is a clause of its own; a lead-in is an
    item of its own only when it says more than its trigger; reported speech is kept only
    for an actor's announcement or a mission topic."""
    b, d = blocks[c.block], c.decision
    lead = cands[c.lead] if c.role == "sub" and c.lead >= 0 else None
    if lead is not None and lead.decision is None and c.outer >= 0:
        lead = cands[c.outer]  # "(a) in the field of health: (i) …" asks nothing itself
    if lead is not None:
        lead_text, lead_d = blocks[lead.block].text[lead.start : lead.end], lead.decision
        if _DESCRIPTIVE_LEAD.search(lead_text):
            return None
        if lead_d is not None and not lead_d.reported and lead_d.kind != "priority":
            if d is None or d.kind == "priority" or not _own_clause(c, b):
                d = Decision(lead_d.kind, min(conf.INHERITED, lead_d.confidence), trigger=0)
        elif d is not None and d.kind == "priority" and _narrative(lead.toks):
            d = None
    if d is None:
        return None
    raw = b.text[c.start : c.end]
    if c.role == "lead" or raw.rstrip().endswith(":"):
        if d.reported or d.relative or not _lead_says_more(c.toks, d):
            return None
    if d.kind == "priority" and c.role == "sent" and len(raw.split()) > 60:
        return None
    conditional = bool(c.toks and c.toks[min(d.trigger, len(c.toks) - 1)].mood == "Cnd")
    if d.modal and not d.reported and _narrative_block(b.text, c.start, c.end, lang, conditional):
        d.reported = True  # free indirect speech in a meeting summary
    if d.reported and not d.announce:
        return (d, conf.REPORTED_MISSION) if strong_mission_topics(raw) else None
    return d, d.confidence


_IMPERFECT_FORM = {
    "fr": re.compile(
        r"\b(?:étaient|était|avaient|avait|\w{2,}(?<![rf])aient|\w{3,}(?<![rf])(?<!tr|ll|ai|ou)ait)\b"
    ),
    "en": re.compile(r"\b(?:was|were|had)\b"),
}
_DESCRIPTIVE_LEAD = re.compile(
    r"(?:lequel|laquelle|lesquels|lesquelles|\boù|\bdont|\bwhich|\bwhere|\bwhereby|in which)\s*:?\s*$", re.I
)
_IMPERFECT = {
    "fr": re.compile(
        r"\b(?:étaient|était|avaient|avait|\w{2,}(?<![rf])aient|\w{3,}(?<![rf])(?<!tr|ll|ai|ou)ait)\b"
        r"|\bont (?:\w+ )?(?:souligné|noté|rappelé|estimé|indiqué|fait observer|déclaré|mentionné|ajouté"
        r"|expliqué|évoqué)\b"
    ),
    "en": re.compile(r"\b(?:was|were|had|stressed|noted|said|highlighted|emphasi[sz]ed|observed|recalled)\b"),
}


_FOOTNOTE_MARK_END = re.compile(r"(?<=\D)\s?\d{1,3}$")
_PREAMBLE_OPENING = {"en": lexicon_en.PREAMBLE_OPENING, "fr": lexicon_fr.PREAMBLE_OPENING}


def _nested_lead(cands: list[_Cand], blocks: list[Block], bi: int) -> int:
    """For a roman sub-item under a lettered one that ends with a colon ("(a) Requests … :
    (i) …"), the lettered item is its lead-in; else -1 (the paragraph's lead-in is)."""
    over = lettered_item_over(blocks, bi)
    if over is None:
        return -1
    for k in range(len(cands) - 1, -1, -1):  # the lettered item is a few candidates back
        if blocks[cands[k].block] is over:
            return k
    return -1


_SUBJECT_ONLY = re.compile(  # "We:", « Nous allons : », "We will also:"
    r"^\W*((?:we|nous)(?:\s+(?:also|further|therefore|hereby|all|jointly|également|aussi|donc|tous|ensemble"
    r"|will|shall|must|should|allons|devons|devrons|devrions))*)\s*:\W*$",
    re.I,
)


def _give_subjects(cands: list[_Cand], blocks: list[Block]) -> None:
    """Sub-items of a lead-in that is only the subject ("We:", « Nous : ») continue its
    sentence: each is read with the subject before it."""
    for c in cands:
        if c.role != "sub" or c.lead < 0:
            continue
        lead = cands[c.lead]
        m = _SUBJECT_ONLY.match(blocks[lead.block].text[lead.start : lead.end])
        if m:
            c.subject = m.group(1)[:1].upper() + m.group(1)[1:]


def _preambular(b: Block, lang: str) -> bool:
    """A preambular paragraph of a resolution (« Rappelant …, », "Recalling …,"): it gives the
    grounds of the operative part and asks nothing (ANNOTATION.md)."""
    if b.kind != "para_text" or not _PREAMBLE_OPENING[lang].match(b.text):
        return False
    return _FOOTNOTE_MARK_END.sub("", b.text.rstrip()).rstrip(' ”"»').endswith(",")


def _narrative_block(text: str, start: int, end: int, lang: str, conditional: bool = False) -> bool:
    """Do the other sentences of the block tell what was said (past tenses)?

    A conditional (« devrait ») among past tenses is the future-in-the-past of reported
    speech, so one past verb around it is enough.
    """
    rest = text[:start] + " " + text[end:]
    if conditional and _IMPERFECT_FORM[lang].search(rest):
        return True
    return len(_IMPERFECT[lang].findall(rest)) >= 2


def _own_clause(c: _Cand, b: Block) -> bool:
    """A sub-item that is a full clause with its own subject and verb (not a fragment)."""
    toks = c.toks or []
    if not toks:
        return False
    head = toks[0]
    if head.low in ("de", "d'", "d’", "to") or head.verbform == "Inf":
        return False
    return any(t.verbform == "Fin" for t in toks)


def _narrative(toks) -> bool:
    if not toks:
        return False
    return any(t.verbform == "Fin" and t.tense in ("Imp", "Past") for t in toks) or any(
        t.verbform == "Part" and t.tense == "Past" and i > 0 and toks[i - 1].lemma in ("avoir", "être")
        for i, t in enumerate(toks)
    )


def _lead_says_more(toks, d: Decision) -> bool:
    """Is a lead-in an item of its own, beside its sub-items? Only when it says something
    after its trigger: a call names the action it asks ("Calls upon States to …:"), not
    only who is asked ("Calls upon Member States and other stakeholders:")."""
    if (
        d.kind == "call"
        and toks
        and not any(t.low in ("to", "de", "d'", "d’", "à") for t in toks[d.trigger + 1 :])
    ):
        return False
    return _content_after(toks, d.trigger) >= 5


def _content_after(toks, i: int) -> int:
    if not toks:
        return 0
    return sum(1 for t in toks[i + 1 :] if t.text.isalpha() and len(t.text) > 3)


def _block_bracketed(b: Block, brackets) -> bool:
    s = b.orig(0)
    return overlaps(brackets, s - 2, s + 1)


def _clean_span(raw: str) -> tuple[str, int, int]:
    """Strip markers that are not part of the statement; return text and its bounds in ``raw``."""
    s, e = 0, len(raw)
    m = ADOPTED_MARK.search(raw)
    while m and raw[m.end() :].strip() in ("", ".", ";"):
        e = m.start()
        m = ADOPTED_MARK.search(raw, 0, e) if ADOPTED_MARK.search(raw[:e]) else None
    while s < e and raw[s] in ' \t[«"“*':
        s += 1
    while e > s and raw[e - 1] in ' \t]»"”*;,':
        e -= 1
    if raw[s:e].count("«") < raw[s:e].count("»") and s > 0:
        pass
    text = " ".join(raw[s:e].split())
    return text, s, e
