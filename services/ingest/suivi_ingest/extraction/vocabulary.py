"""The mission topics that keep a statement reported in a meeting summary.

Patterns are written on lower-cased text, for French and English together. An item's
topics are decided in topics.py and its actors in actors.py; this only says whether a
reported statement is on a mission topic (renewing the IGF mandate, funding, NRIs, the
Compact), and so kept.
"""

from __future__ import annotations

import re

_STRONG_MISSION = {
    "igf_mandate": re.compile(
        r"(?:mandat|mandate)[^.]{0,40}(?:forum|fgi|igf)|(?:forum|fgi|igf)[^.]{0,60}(?:mandat|mandate)"
        r"|(?:prorog|renouvel|reconduction|renew|extend|extension)\w*[^.]{0,40}(?:forum|fgi|igf)"
    ),
    "funding": re.compile(r"financ|\bfund(?:s|ing)\b|donat|donor|budg"),
    "nri_coordination": re.compile(
        r"\bnris?\b|initiatives? (?:nationales?|régionales?)|national,? (?:and |or )?regional"
        r"|(?:fgi|forums?|igfs?) (?:nationaux|régionaux|national|regional|locaux)"
        r"|(?:nationaux|régionaux|national|regional|youth|jeunesse) (?:fgi|igfs?|forums?|initiatives?)"
        r"|niveaux? (?:national|régional)[^.]{0,40}(?:forum|fgi|réunion|pôle|mobilisation)"
        r"|(?:forum|fgi|réunion|pôle|mobilisation|meetings?)[^.]{0,80}niveaux? (?:national|régional|local)"
        r"|gouvernance locale et régionale|initiatives régionales|regional initiatives|forum mondial"
        r"|youth igf|jeunesse du fgi|locale? et régionale?[^.]{0,40}(?:gouvernance|nri)"
    ),
    "gdc_wsis_alignment": re.compile(
        r"pacte numérique mondial|global digital compact|chevauchement|doublon|duplicat|overlap"
    ),
}


def strong_mission_topics(text: str) -> list[str]:
    low = text.lower().replace("’", "'")
    return [t for t, rx in _STRONG_MISSION.items() if rx.search(low)]
