"""Actors and topics: controlled vocabularies of ANNOTATION.md, found by word patterns.

Patterns are written on lower-cased text, for French and English together. Topics are
found in the item's text and its lead-in; the four mission topics are also inherited from
the heading the item stands under (a section titled after the IGF speaks of the IGF).
"""

from __future__ import annotations

import re

MISSION_TOPICS = ("igf_mandate", "funding", "nri_coordination", "gdc_wsis_alignment")

_W = r"(?<![\w])"  # word start

TOPIC_PATTERNS: dict[str, str] = {
    "igf_mandate": (
        r"\bfgi\b|\bigf\b|forum sur la gouvernance|internet governance forum|forum multipartite"
        r"|mandat du forum|forum'?s mandate|\bmag\b|groupe consultatif multipartite"
        r"|mandate of the (?:igf|forum)|(?:prorog|renouvel|reconduction|prolong|renew|extend|extension)\w*"
        r"[^.]{0,60}\b(?:forum|fgi|igf|mandat|mandate)\b"
    ),
    "funding": (
        r"financ|\bfund(?:s|ing|ed)?\b|\bdonat|donateur|\bdonor|budg[eé]t|ressources financières"
        r"|financial resources|subvention|subsidi|mod[eè]les? économiques? durables?|business models?"
        r"|investissements? (?:publics?|privés?|dans les infrastructures)|resource mobili[sz]ation"
        r"|mobilisation des ressources|financements?|ressources durables|sustainable resources"
        r"|(?:soutien|soutenir|appui|support)\w*[^.]{0,80}(?:plan opérationnel|qu'opérationnel|operational)"
    ),
    "nri_coordination": (
        r"\bnris?\b|initiatives? (?:nationales?|régionales?)|national,? (?:and |or )?regional"
        r"|(?:fgi|forums?|igfs?) (?:nationaux|régionaux|national|regional|locaux)"
        r"|(?:nationaux|régionaux|national|regional|youth|jeunesse) (?:fgi|igfs?|forums?|initiatives?)"
        r"|niveaux? (?:national|régional)[^.]{0,40}(?:forum|fgi|réunion|pôle|mobilisation)"
        r"|(?:forum|fgi|réunion|pôle|mobilisation|meetings?)[^.]{0,80}niveaux? (?:national|régional|local)"
        r"|gouvernance locale et régionale|initiatives régionales|regional initiatives|forum mondial"
        r"|youth igf|jeunesse du fgi|locale? et régionale?[^.]{0,40}(?:gouvernance|nri)"
    ),
    "gdc_wsis_alignment": (
        r"pacte numérique mondial|global digital compact|\bgdc\b|pacte pour l'avenir|pact for the future"
        r"|chevauchement|doublon|duplicat|double emploi|overlap|redondan|fragmentation des mandats"
        r"|fragmented mandates|lignes? d'action du smsi|grandes orientations du smsi|wsis action lines?"
        r"|forum du smsi[^.]{0,120}(?:fgi|forum sur la gouvernance)|wsis forum[^.]{0,120}igf"
        r"|(?:fgi|igf)[^.]{0,120}(?:forum du smsi|wsis forum)|cohérence[^.]{0,60}nations unies"
        r"|coherence[^.]{0,60}united nations|système des nations unies|un system|unGIS|ungis"
        r"|harmonis\w+[^.]{0,60}smsi|alignment[^.]{0,40}wsis|coordination[^.]{0,80}(?:smsi|wsis)"
        r"|coordination[^.]{0,40}(?:organisations|organizations) (?:internationales|intergouvernementales"
        r"|international|intergovernmental)"
    ),
    "multistakeholder_participation": (
        r"multipartite|multi-parties|multistakeholder|multi-stakeholder|toutes les parties prenantes"
        r"|all stakeholders|parties prenantes|stakeholders|inclusi|participation|société civile"
        r"|civil society|pays du sud|global south|jeunes|youth|pays en développement|developing countries"
    ),
    "connectivity_access": (
        r"connectivit|connect|accès (?:universel|à internet|abordable|équitable)|universal access|affordab"
        r"|abordable|infrastructure|interconnexion|interconnection|points? d'échange|\bixps?\b"
        r"|réseaux communautaires|community networks|haut débit|broadband|terminaux|devices|appareils"
        r"|dernier kilomètre|last mile|câbles? sous-marins|submarine cables?|accès"
    ),
    "critical_internet_resources": (
        r"\bdns\b|zone racine|root zone|serveurs? racines?|root servers?|adress\w* ip|ip address|\bipv6\b"
        r"|cctld|gtld|noms? de domaine|domain names?|ressources internet essentielles"
        r"|critical internet resources|identifiants|identifiers|icann|premier niveau|top-level"
    ),
    "cybersecurity_trust": (
        r"cybers[ée]curit|cybersecurity|cybercrim|cybercriminalit|\bspam|\bcerts?\b|résilien|resilien"
        r"|sécurit|security|secure|sécuris|confiance|\btrust(?! fund)|menaces?|threats?|comportement responsable"
        r"|responsible state behaviour|stabilité|stability|abus|chiffrement|encryption"
    ),
    "human_rights": (
        r"droits? (?:de l'homme|humains?|numériques?|de l'enfant|fondamentaux)|human rights|vie privée"
        r"|privacy|protection des données|data protection|liberté d'expression|freedom of expression"
        r"|surveillance|confidentialité|données personnelles|personal data|droit d'expression"
        r"|libertés|rights"
    ),
    "capacity_building": (
        r"renforcement des capacités|capacity[- ]building|capacités|compétences|skills|formation|training"
        r"|éducation|education|maîtrise du numérique|digital literacy|culture numérique|centres d'expertise"
        r"|sensibilisation|awareness|éduquer|apprentissage"
    ),
    "multilingualism_diversity": (
        r"multilingu|langues? locales?|local languages?|contenus? locaux|local content|diversité culturelle"
        r"|cultural diversity|noms de domaine internationalisés|internationali[sz]ed domain|linguisti"
        r"|propre langue|own language|culturellement"
    ),
    "ai_emerging_tech": (
        r"\bia\b|\bai\b|intelligence artificielle|artificial intelligence|technologies? (?:émergentes?|nouvelles)"
        r"|emerging tech|armes autonomes|autonomous weapons|algorithm|blockchain|chaîne de blocs|quantique"
        r"|quantum|\biot\b|internet des objets|apprentissage automatique|machine learning|\bllms?\b"
    ),
    "environment": (
        r"environnement|environment|climat|climate|énergi|energy|déchets|e-waste|deee|vertes?\b|green"
        r"|durabilité environnementale|empreinte"
    ),
    "online_safety": (
        r"enfants?|child|protection en ligne|online safety|sécurité en ligne|préjudices?|harms?"
        r"|désinformation|disinformation|misinformation|intégrité de l'information|information integrity"
        r"|violences? (?:sexistes|fondées sur le genre)|gender-based violence|discours haineux|hate speech"
        r"|deepfake|abus en ligne|online abuse|terroris|sensibles? au genre|santé mentale|mental health"
    ),
    "digital_public_infrastructure": (
        r"infrastructures? publiques? numériques?|digital public infrastructure|\bdpi\b|\bipn\b"
        r"|biens publics numériques|digital public goods|\bbpn\b|open source|code source ouvert"
        r"|logiciels libres|open-source|localiser"
    ),
    "development_sdgs": (
        r"développement|development|fracture numérique|digital divide|\bodd\b|\bsdgs?\b|objectifs de"
        r" développement|cybergouvernement|e-government|commerce électronique|e-commerce|environnement propice"
        r"|enabling environment|inclusion numérique|digital inclusion|pays en développement|santé numérique"
        r"|consommateur"
    ),
}
_TOPIC_RE = {t: re.compile(p) for t, p in TOPIC_PATTERNS.items()}

# Weak topics are only taken when the text has no more specific one.
_WEAK = {"multistakeholder_participation", "connectivity_access", "cybersecurity_trust", "development_sdgs"}
_STRONG_MISSION = {
    "igf_mandate": re.compile(
        r"(?:mandat|mandate)[^.]{0,40}(?:forum|fgi|igf)|(?:forum|fgi|igf)[^.]{0,60}(?:mandat|mandate)"
        r"|(?:prorog|renouvel|reconduction|renew|extend|extension)\w*[^.]{0,40}(?:forum|fgi|igf)"
    ),
    "funding": re.compile(r"financ|\bfund(?:s|ing)\b|donat|donor|budg"),
    "nri_coordination": _TOPIC_RE["nri_coordination"],
    "gdc_wsis_alignment": re.compile(
        r"pacte numérique mondial|global digital compact|chevauchement|doublon|duplicat|overlap"
    ),
}


_FORUM_ALIAS = re.compile(
    r"\b(?:le|du|au|ce|the) Forum\b(?! (?:du SMSI|de l|des|d'|mondial|régional|national|on|for))"
)


_SOURCE_LABEL = re.compile(
    r"messages?\s+(?:clés\s+)?(?:du|de l'|of the)?\s*(?:fgi|igf)(?:\s+(?:de|d'|of)\s+[\w'øæå-]+)?"
    r"|(?:fgi|igf)\s+(?:\d{4}\s+)?(?:key\s+)?messages?|(?:fgi|igf)\s+\d{4}"
)
# a heading's mission topic passes to an item that speaks of something of that topic
_ANY = re.compile("")
_HEADING_LINK = {
    "gdc_wsis_alignment": re.compile(
        r"smsi|wsis|pacte|compact|nations unies|united nations|mandat|coordination|cohérence|coherence"
        r"|harmonis|alignement|alignment|existant|existing"
    ),
}


def find_topics(text: str, context: str = "", heading: str = "", forum_is_igf: bool = False) -> list[str]:
    low = text.lower().replace("’", "'")
    if forum_is_igf and _FORUM_ALIAS.search(text.replace("’", "'")):
        low += " fgi"
    ctx = context.lower().replace("’", "'")
    found = [t for t, rx in _TOPIC_RE.items() if rx.search(low)]
    if ctx:
        for t in MISSION_TOPICS:
            if t not in found and _TOPIC_RE[t].search(ctx):
                found.append(t)
    if heading:
        # « Messages du FGI de Lillestrøm », "IGF 2025 Messages": the IGF as source, not subject
        h = _SOURCE_LABEL.sub(" ", heading.lower().replace("’", "'"))
        for t in MISSION_TOPICS:
            if t not in found and _TOPIC_RE[t].search(h) and _HEADING_LINK.get(t, _ANY).search(low):
                found.append(t)
    strong = [t for t in found if t not in _WEAK]
    if len(found) > 3:
        # keep the specific ones first, then at most one weak one
        weak = [t for t in found if t in _WEAK]
        found = strong + weak[: max(0, 3 - len(strong))]
    if not found:
        found = (
            ["development_sdgs"]
            if "développ" in low or "develop" in low
            else ["multistakeholder_participation"]
        )
    return _order(found)


def strong_mission_topics(text: str) -> list[str]:
    low = text.lower().replace("’", "'")
    return [t for t, rx in _STRONG_MISSION.items() if rx.search(low)]


def _order(topics: list[str]) -> list[str]:
    order = list(TOPIC_PATTERNS)
    return sorted(dict.fromkeys(topics), key=order.index)


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
