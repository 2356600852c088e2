"""Negotiation status of draft texts: « (Adopté) » marks and [bracketed] text."""

from __future__ import annotations

import re

ADOPTED_MARK = re.compile(
    r"\(\s*(?:adopt[ée]e?s?|agreed|adopted|approuv[ée]e?s?|convenu|agreed ad ref|ad ref)\s*\)", re.I
)
_MAX_OPEN = 4000  # an unclosed bracket is not followed further than this


def bracket_spans(text: str) -> list[tuple[int, int]]:
    """Spans of text standing in square brackets (markdown links ``[x](y)`` excluded).

    Brackets in drafts do not nest and are sometimes closed only paragraphs later
    (« [61 … » … « …police.] »), so a bracket stays open until the next closing one.
    """
    spans: list[tuple[int, int]] = []
    i = 0
    n = len(text)
    while True:
        i = text.find("[", i)
        if i < 0:
            break
        j = text.find("]", i + 1)
        if j < 0 or j - i > _MAX_OPEN:
            end = text.find("\n\n", i)
            spans.append((i, end if end > 0 else n))
            i += 1
            continue
        nxt = text.find("[", i + 1)
        if j + 1 < n and text[j + 1] == "(":  # markdown link
            i = j + 1
            continue
        content = text[i + 1 : j]
        if any(ch.isalpha() for ch in content):
            spans.append((i, j + 1))
        i = j + 1 if nxt < 0 or nxt > j else j + 1
    return spans


def overlaps(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(s < end and start < e for s, e in spans)
