"""Who is expected to act (the actors of ANNOTATION.md), in French and English.

The actor of an item is, in this order: the addressee of its call ("Requests the
Secretary-General to", « invite les États membres à »), or of its lead-in's call for a
sub-item; the subject of its modal or future ("Governments should", "the President of the
General Assembly will"); the authors for an engagement; else the actors it names; else
`unspecified`. Named states come from pycountry's list of countries and its French
translations, not from a hand list.
"""

from __future__ import annotations

import gettext
import re
from functools import cache

import pycountry

from .actor_lexicon import ACTOR_CUES

MAX_ACTORS = 4
_CALL = re.compile(
    r"\b(?:calls? (?:up)?on|urges?|requests?|encourages?|invites?|appeals? to|asks?|recommends? that"
    r"|(?:appel|exhort|pri|invit|encourag|demand|engag)(?:ons|e|ent)(?: instamment)?)\s+"
    r"(?P<who>[^;:]{3,220}?),?\s+(?:to|à|de|d'|d’|in a position to)\s",
    re.I,
)
_SUBJECT = re.compile(
    r"^(?:(?:\w+ )?(?:decides|resolves|agrees|recommends|stresses|emphasi[sz]es|décide|recommande)\s+"
    r"(?:that|que|qu'|qu’)\s+)?(?P<who>[^;:]{3,150}?)\s+"
    r"(?:should|must|shall|will|would|need to|are (?:encouraged|invited|urged|called upon|requested)"
    r"|is (?:encouraged|invited|urged|requested)|devrai(?:en)?t|doi(?:ven)?t|sont (?:invités|encouragés|appelés)"
    r"|est (?:invitée?|encouragée?|appelée?)|continuerai(?:en)?t|s'engage|soutien(?:nen)?t)\b",
    re.I,
)
_FIRST_PLURAL = re.compile(r"\b(?:nous|we)\b", re.I)
# countries named as those helped, not as those who act
_BENEFICIARIES = re.compile(
    r"(?:developing|developed|least developed|landlocked developing|small island developing|middle-income)"
    r" (?:and \w+ )?countries|pays (?:en (?:voie de )?développement|les moins avancés|développés)"
)
# one word-start assertion for the whole alternation, none per alternative: the regex engine
# then skips the positions whose first character no alternative starts with
_CUE_RE = {
    actor: re.compile(r"(?<!\w)(?:" + "|".join(p.removeprefix(r"\b") for p in cues) + ")")
    for actor, cues in ACTOR_CUES.items()
}


@cache
def _countries() -> re.Pattern:
    """Country names in English and French, as written (capitalised), from pycountry."""
    french = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["fr"])
    names: set[str] = set()
    for country in pycountry.countries:
        for name in (
            country.name,
            getattr(country, "common_name", None),
            getattr(country, "official_name", None),
        ):
            if name:
                names |= {name, french.gettext(name)}
    names = {n for n in names if "," not in n and "(" not in n and len(n) > 3}
    alternatives = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    return re.compile(rf"(?<![\w-])(?:{alternatives})(?![\w-])")


def named_actors(text: str) -> list[str]:
    """Every actor a piece of text names, in the order of ACTOR_CUES."""
    low = _BENEFICIARIES.sub(" ", text.lower().replace("’", "'"))
    found = [actor for actor, rx in _CUE_RE.items() if rx.search(low)]
    if "states" not in found and _countries().search(text):
        found.insert(0, "states")
    if "platforms" in found and re.search(r"plate-?formes? multipartites?|multistakeholder platforms?", low):
        found.remove("platforms")
    return found


def _addressees(text: str) -> list[str]:
    found: list[str] = []
    for m in _CALL.finditer(text):
        found += [a for a in named_actors(m.group("who")) if a not in found]
    return found


def _subject(text: str) -> list[str]:
    """Actors of the subject of a modal or future; after a comma, the nearest clause first."""
    m = _SUBJECT.search(text)
    if not m:
        return []
    who = m.group("who")
    return named_actors(who.rsplit(",", 1)[-1]) or named_actors(who)


def find_actors(item: str, lead: str = "", kind: str = "", authors: str | None = None) -> list[str]:
    found = _addressees(item) or _addressees(lead) or _subject(item) or _subject(lead)
    if not found and lead:
        found = named_actors(lead)
    if not found and kind == "engagement" and authors:
        found = [authors]
    if not found:
        found = named_actors(item)
        if authors and _FIRST_PLURAL.search(item) and authors not in found:
            found.insert(0, authors)
    return found[:MAX_ACTORS] or ["unspecified"]
