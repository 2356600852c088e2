"""Cheap language identification from function words (no model, no dependency).

Counts how many of the text's tokens are frequent function words of each language and
picks the best-scoring one. Good enough to tell French from English and from the other
UN languages written in Latin script; texts in other scripts are classified by script.
"""

from __future__ import annotations

import re

_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)

_STOPWORDS = {
    "fr": "le la les de des du un une et est à au aux en dans pour par sur que qui ne pas nous vous "
    "il elle ils sont ont été cette ces leur leurs avec ainsi entre être doit devrait sa son ses",
    "en": "the of and to in a is that for on with as by are be this which it from or an at not "
    "we should must their its have has been will all these such",
    "es": "el la los las de del y en que por para con una un es se su sus al como más o lo "
    "debe deberían también entre sobre",
    "de": "der die das und in den von zu mit sich des auf für ist im dem nicht ein eine als "
    "auch es an werden aus er hat dass sie",
    "pt": "o a os as de do da dos das e em um uma para com não por que se na no ao mais como "
    "deve também pelo pela",
    "it": "il lo la i gli le di del della e in un una per con non che si è sono dei delle anche come più",
    "nl": "de het een en van in is dat op te zijn met voor niet aan er als ook door worden",
}
_SETS = {lang: frozenset(words.split()) for lang, words in _STOPWORDS.items()}

_SCRIPTS = (
    ("ar", re.compile(r"[\u0600-\u06FF]")),
    ("ru", re.compile(r"[\u0400-\u04FF]")),
    ("zh", re.compile(r"[\u4E00-\u9FFF]")),
    ("ja", re.compile(r"[\u3040-\u30FF]")),
    ("ko", re.compile(r"[\uAC00-\uD7AF]")),
    ("el", re.compile(r"[\u0370-\u03FF]")),
    ("he", re.compile(r"[\u0590-\u05FF]")),
)


def detect_language(text: str, sample_chars: int = 20000) -> str:
    """Return an ISO 639-1 code, or 'und' when the text is too short or unclear."""
    sample = text[:sample_chars]
    letters = sum(1 for ch in sample if ch.isalpha())
    if letters < 20:
        return "und"
    for code, script in _SCRIPTS:
        if len(script.findall(sample)) > letters * 0.3:
            return code
    words = [w.lower() for w in _WORD.findall(sample)]
    if len(words) < 5:
        return "und"
    scores = {lang: sum(1 for w in words if w in stop) for lang, stop in _SETS.items()}
    best = max(scores, key=lambda lang: scores[lang])
    ranked = sorted(scores.values(), reverse=True)
    if ranked[0] < max(2, len(words) * 0.08) or ranked[0] == ranked[1]:
        return "und"
    return best


def guess_fr_en(text: str) -> str | None:
    """For texts too short to detect: 'fr' or 'en' when their function words say so."""
    words = [w.lower() for w in _WORD.findall(text[:5000])]
    fr = sum(1 for w in words if w in _SETS["fr"])
    en = sum(1 for w in words if w in _SETS["en"])
    if fr == en:
        return None
    return "fr" if fr > en else "en"
