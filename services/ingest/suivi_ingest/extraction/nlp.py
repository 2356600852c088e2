"""Linguistic annotation of candidate sentences.

French uses spaCy's ``fr_core_news_sm`` with only the components the rules need
(tok2vec, morphologizer, attribute_ruler, lemmatizer): no parser, no NER, which makes it
several times faster than the full pipeline. It is loaded lazily, once per process.
English has no model on PyPI here: a blank spaCy tokenizer plus a small rule-based
lemmatizer is enough for the English rules, which work on word forms.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass

_LOCK = threading.Lock()
_MODELS: dict[str, object] = {}


@dataclass(slots=True)
class Tok:
    text: str
    low: str
    lemma: str
    pos: str
    tense: str = ""
    mood: str = ""
    verbform: str = ""
    person: str = ""
    number: str = ""
    idx: int = 0  # character offset in the sentence

    @property
    def is_inf(self) -> bool:
        return self.verbform == "Inf"

    @property
    def is_past(self) -> bool:
        return self.tense in ("Imp", "Past") and self.verbform != "Inf"


def get_french():
    with _LOCK:
        nlp = _MODELS.get("fr")
        if nlp is None:
            import spacy

            nlp = spacy.load("fr_core_news_sm", exclude=["parser", "ner", "senter", "attribute_ruler"])
            _MODELS["fr"] = nlp
        return nlp


def get_english():
    with _LOCK:
        nlp = _MODELS.get("en")
        if nlp is None:
            import spacy

            nlp = spacy.blank("en")
            _MODELS["en"] = nlp
        return nlp


_PIPE_LOCK = threading.Lock()


def annotate(sentences: list[str], language: str, batch_size: int = 256) -> list[list[Tok]]:
    """Tokens with lemma and morphology for each sentence (one spaCy call at a time)."""
    if not sentences:
        return []
    with _PIPE_LOCK:
        return _annotate(sentences, language, batch_size)


def _annotate(sentences: list[str], language: str, batch_size: int) -> list[list[Tok]]:
    if language == "fr":
        nlp = get_french()
        out = []
        for doc in nlp.pipe(sentences, batch_size=batch_size):
            toks = []
            for t in doc:
                if t.is_space:
                    continue  # runs of spaces (justified PDF lines) are not words
                pos = t.pos_
                if pos in ("VERB", "AUX"):
                    m = t.morph.to_dict()
                    tok = Tok(
                        t.text,
                        t.lower_,
                        (t.lemma_ or t.lower_).lower(),
                        pos,
                        m.get("Tense", ""),
                        m.get("Mood", ""),
                        m.get("VerbForm", ""),
                        m.get("Person", ""),
                        m.get("Number", ""),
                        t.idx,
                    )
                    if tok.verbform not in ("Inf", "Part", "Ger"):
                        _fr_fix_tense(tok)
                else:
                    low = t.lower_
                    tok = Tok(t.text, low, (t.lemma_ or low).lower(), pos, "", "", "", "", "", t.idx)
                toks.append(tok)
            out.append(toks)
        return out
    nlp = get_english()
    out = []
    for doc in nlp.tokenizer.pipe(sentences, batch_size=batch_size):
        out.append([_en_tok(t.text, t.idx) for t in doc if not t.is_space])
    return out


def _first(values) -> str:
    return values[0] if values else ""


_EN_IRREGULAR = {
    "is": "be",
    "are": "be",
    "was": "be",
    "were": "be",
    "been": "be",
    "being": "be",
    "am": "be",
    "has": "have",
    "had": "have",
    "having": "have",
    "does": "do",
    "did": "do",
    "done": "do",
    "made": "make",
    "took": "take",
    "taken": "take",
    "gave": "give",
    "given": "give",
    "said": "say",
}


def _en_tok(text: str, idx: int) -> Tok:
    low = text.lower()
    lemma = _EN_IRREGULAR.get(low) or _en_lemma(low)
    tense = "Past" if (low.endswith("ed") and len(low) > 4) or low in ("was", "were", "had", "did") else ""
    return Tok(text, low, lemma, "", tense, "", "", "", "", idx)


def _en_lemma(w: str) -> str:
    if len(w) <= 3 or not w.isalpha():
        return w
    for suf, rep in (("ies", "y"), ("sses", "ss"), ("ing", ""), ("ed", ""), ("es", ""), ("s", "")):
        if w.endswith(suf) and len(w) - len(suf) >= 3:
            base = w[: -len(suf)] + rep
            if suf in ("ing", "ed") and re.search(r"(at|iz|is|ag|ur|ud|ov|iv|ng|rc|ag|ens|ov)$", base):
                base += "e"
            if suf == "es" and not re.search(r"(s|x|z|ch|sh)$", base):
                base = w[:-1]
            return base
    return w


_FR_IMPF_END = ("aient", "ait", "ais", "ions", "iez")
_FR_FUT_END = ("ront", "rons", "rez", "rai", "ras", "ra")


def _fr_fix_tense(tok: Tok) -> None:
    """The small model often confuses imperfect and conditional; French endings do not.

    Conditional = future stem + imperfect ending (« continuerait », « faudrait »); the
    imperfect of a verb whose stem ends in r keeps the bare stem (« déclarait »).
    """
    low, lemma = tok.low, tok.lemma
    if not low.isalpha() or len(low) < 4:
        return
    for end in _FR_IMPF_END:
        if low.endswith(end) and len(low) > len(end) + 1:
            base = low[: -len(end)]
            if base.endswith("r") and base != lemma[:-2] and base != lemma[:-3]:
                tok.tense, tok.mood = "Pres", "Cnd"
            else:
                tok.tense, tok.mood = "Imp", "Ind"
            tok.verbform = "Fin"
            return
    for end in _FR_FUT_END:
        if low.endswith(end) and len(low) > len(end) + 1:
            base = low[: -len(end) + 1]  # keeps the r
            if base.endswith("r") and base != lemma[:-1] and low[: -len(end)] != lemma[:-2]:
                tok.tense, tok.mood, tok.verbform = "Fut", "Ind", "Fin"
            return
