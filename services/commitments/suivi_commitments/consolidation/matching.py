"""Recognising the same commitment in several documents, and deriving fields from text."""

from __future__ import annotations

import hashlib
import re
import unicodedata

_WORD = re.compile(r"\w+", re.UNICODE)
# Function words of French and English: they say nothing about which commitment it is.
_STOPWORDS = frozenset(
    """
    a à au aux avec ce ces cet cette d de des du elle en et il ils la le les leur leurs l n ne nos notre nous
    on ou où par pas pour qu que qui sa se ses son sur un une vos votre vous y s est sont été être ainsi afin
    dans entre plus très tous toutes tout toute compris notamment
    the of and to in for on by with as at an be is are that this these those it its their our we which or
    from into such also all any other including
    """.split()
)
SAME_COMMITMENT = 0.72  # containment at or above this: one commitment, another source
RELATED = 0.5


def content_tokens(text: str) -> set[str]:
    folded = unicodedata.normalize("NFKD", text.lower().replace("’", "'"))
    folded = "".join(ch for ch in folded if not unicodedata.combining(ch))
    return {word for word in _WORD.findall(folded) if word not in _STOPWORDS and not word.isdigit()}


def fingerprint(text: str) -> str:
    return hashlib.sha256(" ".join(sorted(content_tokens(text))).encode()).hexdigest()


def similarity(a: set[str], b: set[str]) -> float:
    """Overlap relative to the shorter text: a sub-item quoted in a longer paragraph still matches."""
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b)) if min(len(a), len(b)) >= 6 else len(a & b) / len(a | b)


def title_from_text(text: str, limit: int = 120) -> str:
    text = " ".join(text.split())
    text = re.sub(r"^(\(?[a-z0-9ivx]{1,4}[.)]\s+)", "", text, flags=re.IGNORECASE)
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0].rstrip(",;:")
    return cut + "…"
