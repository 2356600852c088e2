"""Topics of an item: what it is about, judged with its lead-in, paragraph, headings and document.

For each topic the cues of topic_lexicon.py are counted separately in the item, its
lead-in, the rest of its paragraph, its heading path, the document's subject (its title)
and the whole document (the share of its paragraphs that carry a strong cue). A small
linear model per topic weighs these counts; its weights were learned from the hand
annotations (eval/train_topics.py, cross-validated by document) and are stored in
topic_weights.json as numbers over the feature names below — no text.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from .references import References
from .topic_lexicon import TOPIC_CUES

TOPICS = tuple(TOPIC_CUES)
MISSION_TOPICS = ("igf_mandate", "funding", "nri_coordination", "gdc_wsis_alignment")
FEATURES = (
    "item",  # strong cues in the item (with its resolved references)
    "item_weak",  # weak cues in the item
    "negative",  # contexts where a cue does not mean the topic
    "lead",  # strong cues in the lead-in ("Requests the Secretary-General to:")
    "paragraph",  # strong cues in the rest of the item's paragraph
    "heading",  # strong cues in the heading path
    "section",  # strong cues in the heading the item stands under
    "subject",  # strong cues in the document's title
    "document",  # share of the document's paragraphs with a strong cue
    "document_cued",  # the same, when the item or its lead-in has a cue of the topic
    "competition",  # how many other topics have strong cues in the item
)
MAX_TOPICS = 4
SECTION_FLOOR = 0.1  # how likely the model must find a mission topic its section names
_ITEM, _NEGATIVE, _SECTION = FEATURES.index("item"), FEATURES.index("negative"), FEATURES.index("section")
WEIGHTS_FILE = Path(__file__).with_name("topic_weights.json")

_CUE_RE = {
    topic: {
        # one word-start assertion for the whole alternation: repeated per alternative, it
        # (or a \b opening an alternative) keeps the regex engine from skipping positions by their
        # first character (40x slower)
        level: re.compile("(?<![\\w@])(?:" + "|".join(c.removeprefix(r"\b") for c in cues) + ")")
        if cues
        else None
        for level, cues in levels.items()
    }
    for topic, levels in TOPIC_CUES.items()
}
# « Messages du FGI de Lillestrøm », "IGF 2025 Messages": the IGF as the source, not the subject
_SOURCE_LABEL = re.compile(
    r"messages?\s+(?:clés\s+)?(?:du|de l'|of the)?\s*(?:fgi|igf)(?:\s+(?:de|d'|of)\s+[\w'øæå-]+)?"
    r"|(?:fgi|igf)\s+(?:\d{4}\s+)?(?:key\s+)?messages?|(?:fgi|igf)\s+\d{4}"
)
_RESOLUTION_TITLE = re.compile(
    r"^\s*\d{2,3}/\d{1,4}\.\s+(.+?)(?=\n\s*\n|The General Assembly|L'Assemblée générale)", re.M | re.S
)


def normalise(text: str) -> str:
    return text.lower().replace("’", "'").replace("\u2011", "-").replace("\u00ad", "")


def _count(rx: re.Pattern | None, text: str, cap: int = 2) -> int:
    if rx is None or not text.strip():
        return 0
    return min(cap, sum(1 for _ in rx.finditer(text)))


def _strong(text: str, cap: int) -> dict[str, int]:
    return {t: _count(_CUE_RE[t]["strong"], text, cap) for t in TOPICS}


def document_subject(text: str, headings: Sequence[str]) -> str:
    """The document's title: a resolution's "78/265. Title", else its first two headings."""
    m = _RESOLUTION_TITLE.search(text[:6000])
    if m:
        return " ".join(m.group(1).split())
    return " ".join(headings[:2])


@dataclass
class TopicContext:
    item: str
    lead: str = ""
    paragraph: str = ""  # the whole paragraph the item stands in
    heading: str = ""  # the heading path, " > " between levels


class DocumentTopics:
    """What is known of one document (title, profile, named bodies) to decide its items' topics."""

    def __init__(self, model: TopicModel, text: str, paragraphs: Sequence[str], headings: Sequence[str]):
        self.model = model
        self.references = References(text)
        self.subject = normalise(document_subject(text, headings))
        self.subject_cues = _strong(self.subject, 1)
        self._cache: dict[tuple[str, str], dict[str, int]] = {}  # lead-ins, paragraphs, headings recur
        # each paragraph's cues, counted once: for the document's profile and for its items
        counts = [self._paragraph(p) for p in paragraphs if p.strip()]
        self.profile = {t: sum(1 for c in counts if c[t]) / (len(counts) or 1) for t in TOPICS}

    def _paragraph(self, text: str) -> dict[str, int]:
        key = ("paragraph", text)
        if key not in self._cache:
            self._cache[key] = _strong(normalise(text), 99)
        return self._cache[key]

    def _cues(self, kind: str, text: str, cap: int, start: int = 0) -> dict[str, int]:
        key = (kind, text)
        if key not in self._cache:
            norm = normalise(text) + " " + self.references.resolve(text, start) if text.strip() else ""
            if kind == "heading":
                norm = _SOURCE_LABEL.sub(" ", norm)
                self._cache[("section", text)] = _strong(norm.rsplit(" > ", 1)[-1], 1)
            self._cache[key] = _strong(norm, cap)
        return self._cache[key]

    def features(self, ctx: TopicContext, start: int) -> dict[str, list[float]]:
        item = normalise(ctx.item) + " " + self.references.resolve(ctx.item, start)
        strong = _strong(item, 99)
        competition = sum(1 for n in strong.values() if n)
        weak = {t: _count(_CUE_RE[t]["weak"], item) for t in TOPICS}
        lead = self._cues("lead", ctx.lead, 2, start)
        paragraph = self._paragraph(ctx.paragraph)
        heading = self._cues("heading", ctx.heading, 1)
        section = self._cues("section", ctx.heading, 1)
        return {
            t: [
                min(2, strong[t]),
                weak[t],
                _count(_CUE_RE[t]["negative"], item),
                lead[t],
                1 if paragraph[t] > strong[t] else 0,  # a cue elsewhere in the paragraph
                heading[t],
                section[t],
                self.subject_cues[t],
                self.profile[t],
                self.profile[t] if strong[t] or weak[t] or lead[t] else 0.0,
                competition - (1 if strong[t] else 0),
            ]
            for t in TOPICS
        }

    def topics(self, ctx: TopicContext, start: int) -> list[str]:
        return self.model.decide(self.features(ctx, start))


class TopicModel:
    """One logistic model per topic over FEATURES: {topic: {"bias", "weights", "threshold"}}."""

    def __init__(self, weights: dict[str, dict]):
        self.weights = weights

    @classmethod
    def shipped(cls) -> TopicModel:
        return cls(_shipped_weights())

    def document(self, text: str, paragraphs: Sequence[str], headings: Sequence[str]) -> DocumentTopics:
        return DocumentTopics(self, text, paragraphs, headings)

    def probabilities(self, features: dict[str, list[float]]) -> dict[str, float]:
        out = {}
        for topic, x in features.items():
            w = self.weights[topic]
            z = w["bias"] + sum(a * b for a, b in zip(w["weights"], x, strict=True))
            out[topic] = 1 / (1 + math.exp(-max(-30.0, min(30.0, z))))
        return out

    def decide(self, features: dict[str, list[float]]) -> list[str]:
        p = self.probabilities(features)
        ranked = sorted(p, key=lambda topic: p[topic], reverse=True)
        # a mission topic named in the item, or in its section's heading when the model leans
        # that way at all, is never left out: users come for these
        named = [
            t
            for t in MISSION_TOPICS
            if not features[t][_NEGATIVE]
            and (features[t][_ITEM] or (features[t][_SECTION] and p[t] >= SECTION_FLOOR))
        ]
        chosen = named + [t for t in ranked if p[t] >= self.weights[t]["threshold"] and t not in named]
        # no topic clears its threshold: the likeliest one if it is half-way there, else none (a
        # guess that is wrong costs more than a topic left out)
        best = ranked[0]
        chosen = chosen[: max(MAX_TOPICS, len(named))] or (
            [best] if p[best] >= self.weights[best]["threshold"] / 2 else []
        )
        return [t for t in TOPICS if t in chosen]


@cache
def _shipped_weights() -> dict[str, dict]:
    stored = json.loads(WEIGHTS_FILE.read_text(encoding="utf-8"))
    if tuple(stored["features"]) != FEATURES:  # the features changed: eval/train_topics.py --write
        raise RuntimeError(f"{WEIGHTS_FILE.name} was learned over other features than {FEATURES}")
    return stored["topics"]
