"""Actors of ANNOTATION.md by word patterns, and the mission topics that keep reported speech.

Patterns are written on lower-cased text, for French and English together. An item's
topics are decided in topics.py; `strong_mission_topics` only says whether a statement
reported in a meeting summary is on a mission topic, and so kept.
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


ACTOR_PATTERNS: dict[str, str] = {
    "states": (
        r"\b(?:é|e)tats?\b|gouvernements?|governments?|\bstates?\b|member states|pays\b|countries"
        r"|pouvoirs publics|décideurs|policymakers|policy-makers|législat|legislat|régulateurs|regulators"
        r"|ministre|minister|parlement|parliament"
    ),
    "private_sector": (
        r"secteur privé|private sector|entreprises|companies|businesses|industrie|industry"
        r"|fournisseurs|providers|opérateurs|operators|investisseurs|investors|constructeurs|\bpme\b"
    ),
    "civil_society": r"société civile|civil society|\bong\b|\bngos?\b|organisations de défense",
    "technical_community": (
        r"communauté technique|technical community|communauté internet|internet community|internet society"
        r"|\bietf\b|\bicann\b|registres|registries|développeurs|developers"
    ),
    "academia": r"universit|academi|milieux universitaires|chercheurs|researchers|juristes|scientifiques",
    "intergovernmental_orgs": r"organisations? intergouvernementales?|intergovernmental organi[sz]ations?",
    "international_orgs": r"organisations? internationales?|international organi[sz]ations?|institutions? compétentes",
    "un_system": (
        r"nations unies|united nations|secrétaire général|secretary-general|système des nations|\bun system"
        r"|assemblée générale|general assembly|\bunesco|\bpnud|\bundp|\bdaes|\bdesa\b"
    ),
    "igf": r"\bfgi\b|\bigf\b|forum sur la gouvernance|internet governance forum|\bmag\b",
    "itu": r"\buit\b|\bitu\b|union internationale des télécommunications|international telecommunication union",
    "wsis": r"\bsmsi\b|\bwsis\b|sommet mondial sur la société",
    "donors": r"donateurs?|donors?|bailleurs|mécanismes de financement|funding mechanisms",
    "platforms": r"plateformes?|platforms?|réseaux sociaux|social media|grandes entreprises technologiques|big tech",
    "all_stakeholders": (
        r"toutes les parties prenantes|all stakeholders|parties prenantes|stakeholders|communauté internationale"
        r"|international community|tous les acteurs|all actors|multipartite|multistakeholder|nous devons|we must"
    ),
}
_ACTOR_RE = {a: re.compile(p) for a, p in ACTOR_PATTERNS.items()}


def find_actors(text: str, authors: str | None = None) -> list[str]:
    low = text.lower().replace("’", "'")
    found = [a for a, rx in _ACTOR_RE.items() if rx.search(low)]
    if authors and re.search(r"\bnous\b|\bwe\b", low) and authors not in found:
        found.insert(0, authors)
    if "platforms" in found and "plateformes multipartites" in low:
        found.remove("platforms")
    return found[:4] or ["unspecified"]
