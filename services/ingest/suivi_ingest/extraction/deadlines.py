"""Deadlines named in a commitment: « d'ici 2026 », "by 2030", « avant le 31 décembre 2025 »."""

from __future__ import annotations

import re

_MONTHS = {
    "janvier": 1,
    "février": 2,
    "fevrier": 2,
    "mars": 3,
    "avril": 4,
    "mai": 5,
    "juin": 6,
    "juillet": 7,
    "août": 8,
    "aout": 8,
    "septembre": 9,
    "octobre": 10,
    "novembre": 11,
    "décembre": 12,
    "decembre": 12,
    "january": 1,
    "february": 2,
    "march": 3,
    "april": 4,
    "may": 5,
    "june": 6,
    "july": 7,
    "august": 8,
    "september": 9,
    "october": 10,
    "november": 11,
    "december": 12,
}
_MONTH_RE = "|".join(sorted(_MONTHS, key=len, reverse=True))
_DATE = rf"(?:(?:le\s+|the\s+)?(\d{{1,2}})(?:er)?\s+({_MONTH_RE})\s+|({_MONTH_RE})\s+(\d{{1,2}}),?\s+)?((?:19|20)\d\d)\b"
_MARKER = (
    r"(?:d'ici|d’ici|avant|au plus tard|jusqu'en|jusqu’en|à l'horizon|à l’horizon|en|pour|dès|by|before"
    r"|no later than|until|in|from|at the latest by|through|horizon)"
)
_DEADLINE = re.compile(
    rf"\b{_MARKER}\s+(?:(?:à|au|la fin de|fin|l'année|the end of|end of|à la fin de)\s+)*{_DATE}", re.I
)
_FORUM_YEAR = re.compile(
    r"\b(?:réunion|forum|session|sommet|summit|meeting|fgi|igf)\s+(?:du\s+forum\s+)?((?:20)\d\d)\b"
    r"|\b((?:20)\d\d)\s+(?:meeting|session|summit|forum|igf)\b",
    re.I,
)
_STRONG = re.compile(r"d'ici|d’ici|avant|au plus tard|jusqu|horizon|by|before|no later|until|through", re.I)


def find_deadline(text: str, future_only_markers: bool = False) -> str | None:
    best = None
    for m in _DEADLINE.finditer(text):
        marker = m.group(0).split()[0]
        strong = bool(_STRONG.match(marker))
        if future_only_markers and not strong:
            continue
        if not strong and re.search(
            r"(?:adopt|depuis|since|en date|dated|résolution|resolution)\S*\s*$",
            text[max(0, m.start() - 25) : m.start()],
            re.I,
        ):
            continue
        year = m.group(5)
        day, month = m.group(1) or m.group(4), m.group(2) or m.group(3)
        value = year
        if day and month:
            value = f"{year}-{_MONTHS[month.lower()]:02d}-{int(day):02d}"
        if strong:
            return value
        best = best or value
    if best is None and not future_only_markers:
        forum = _FORUM_YEAR.search(text)
        if forum:
            best = forum.group(1) or forum.group(2)
    return best
