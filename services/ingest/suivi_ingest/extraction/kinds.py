"""Kind detection: is a sentence an actionable statement, and of which kind?

Rules work on annotated tokens (lemma, morphology) and look for constructions, not for
phrases: a performative verb in the first person plural (« nous exhortons », "we urge"),
a third-person performative of resolutions (« Prie le Secrétaire général de »,
"Requests"), passives of the same verbs (« est invitée à »), deontic modals (« devrait »,
« il faut », "should", "must"), impersonal necessity (« il est essentiel de », "it is
necessary to"), necessity predicates (« X est nécessaire », « nécessite »), nominalised
actions with an enabling verb in the future (« Le fait de renforcer … permettra »),
infinitive or imperative list items (priorities). Reported speech (a reporting verb in the
past, imperfect modals: « ont souligné qu'il était essentiel », "stressed that … was
needed") marks the statement as *reported*; the pipeline drops those unless an actor
announces its own action or a mission topic is at stake.
"""

from __future__ import annotations

import re

from . import rules_en
from .decision import Decision, rank
from .nlp import Tok

# ---------------------------------------------------------------- French lexicon (lemmas)
FR_ENGAGE = {
    "engager",
    "efforcer",
    "chercher",
    "décider",
    "promettre",
    "résoudre",
    "attacher",
    "employer",
    "atteler",
    "œuvrer",
    "oeuvrer",
    "veiller",
    "entendre",
    "redoubler",
    "intensifier",
    "continuer",
    "poursuivre",
    "mobiliser",
}
FR_ENGAGE_ADJ = {"résolu", "déterminé", "décidé", "prêt", "attaché", "résolus", "déterminés", "décidés"}
FR_COMMIT_NOUN = {"engagement", "volonté", "attachement", "détermination", "soutien", "appui", "résolution"}
FR_CALL = {
    "appeler",
    "exhorter",
    "demander",
    "inviter",
    "encourager",
    "préconiser",
    "prôner",
    "plaider",
    "prier",
    "inciter",
    "engager",
    "insister",
    "soutenir",
    "appuyer",
    "lancer",
    "enjoindre",
    "solliciter",
}
FR_RECOMMEND = {"recommander", "suggérer", "proposer_reco"}
FR_OPERATIVE = {
    "décide": "engagement",
    "adopte": "engagement",
    "approuve": "engagement",
    "proclame": "engagement",
    "prie": "call",
    "invite": "call",
    "engage": "call",
    "exhorte": "call",
    "demande": "call",
    "encourage": "call",
    "appelle": "call",
    "préconise": "call",
    "incite": "call",
    "charge": "call",
    "autorise": "call",
    "enjoint": "call",
    "recommande": "recommendation",
}
FR_ACTION_NOUNS = {
    "poursuite",
    "prorogation",
    "prolongation",
    "renouvellement",
    "reconduction",
    "création",
    "mise",
    "adoption",
    "renforcement",
    "élaboration",
    "extension",
    "lancement",
    "établissement",
    "candidature",
    "proposition",
    "réforme",
    "financement",
    "organisation",
    "tenue",
}
FR_PERFORMATIVE = {
    "proroger",
    "prolonger",
    "renouveler",
    "créer",
    "établir",
    "instituer",
    "adopter",
    "lancer",
    "approuver",
    "convoquer",
    "désigner",
    "charger",
    "confier",
    "étendre",
    "entériner",
    "mandater",
}
FR_NOTE = {
    "reconnaître",
    "noter",
    "constater",
    "souligner",
    "affirmer",
    "réaffirmer",
    "convenir",
    "rappeler",
    "estimer",
    "considérer",
    "penser",
    "croire",
    "observer",
    "relever",
    "prendre",
    "être",
    "avoir",
    "savoir",
    "accueillir",
    "saluer",
    "féliciter",
    "remercier",
    "réitérer",
    "souhaiter",
    "juger",
    "déclarer",
    "exprimer",
    "insister",
    "mettre",
}
FR_REPORT = {
    "noter",
    "souligner",
    "rappeler",
    "indiquer",
    "déclarer",
    "estimer",
    "observer",
    "affirmer",
    "ajouter",
    "mentionner",
    "insister",
    "considérer",
    "expliquer",
    "dire",
    "penser",
    "juger",
    "évoquer",
    "reconnaître",
    "convenir",
    "relever",
    "signaler",
    "suggérer",
    "préciser",
    "faire",
    "proposer",
    "recommander",
    "demander",
    "appeler",
    "exprimer",
    "réaffirmer",
    "conclure",
    "fair",
    "montrer",
    "mettre",
    "décrire",
    "craindre",
    "espérer",
    "plaider",
    "avertir",
    "prévenir",
    "constater",
    "admettre",
}
FR_NEED_ADJ_STRONG = {
    "nécessaire",
    "nécessaires",
    "indispensable",
    "indispensables",
    "impératif",
    "impérative",
    "impératifs",
    "urgent",
    "urgente",
    "requis",
    "requise",
    "impérieux",
    "impérieuse",
    "prioritaire",
    "prioritaires",
}
FR_NEED_ADJ_WEAK = {
    "essentiel",
    "essentielle",
    "essentiels",
    "essentielles",
    "crucial",
    "cruciale",
    "cruciaux",
    "cruciales",
    "primordial",
    "primordiale",
    "primordiaux",
    "important",
    "importante",
    "importants",
    "importantes",
    "vital",
    "vitale",
    "vitaux",
    "fondamental",
    "fondamentale",
    "capital",
    "capitale",
    "souhaitable",
    "opportun",
    "utile",
    "temps",
    "bon",
    "préférable",
}
FR_COPULA = {"être", "demeurer", "rester", "devenir", "sembler", "paraître", "apparaître"}
FR_NEED_VERB = {"nécessiter", "exiger", "requérir", "imposer"}
_NEED_FORMS = {
    "nécessite",
    "nécessitent",
    "nécessitera",
    "nécessiteront",
    "exige",
    "exigent",
    "exigera",
    "exigeront",
    "requiert",
    "requièrent",
    "requerra",
    "impose",
    "imposent",
}
FR_ENABLE = {
    "permettre",
    "garantir",
    "aider",
    "contribuer",
    "favoriser",
    "assurer",
    "renforcer",
    "améliorer",
    "faciliter",
    "offrir",
    "réduire",
    "accroître",
    "stimuler",
}
FR_NOMINAL_SUFFIX = re.compile(r"(?:tion|tions|ment|ments|ure|age|ence|ance|ise|ation)$")
FR_NOTING_INF = {"noter", "reconnaître", "constater", "rappeler", "prendre", "souligner"}
FR_HOST_INF = {
    "accueillir",
    "organiser",
    "héberger",
    "fournir",
    "financer",
    "contribuer",
    "apporter",
    "lancer",
    "créer",
    "mettre",
    "verser",
    "tenir",
    "offrir",
    "soutenir",
}
FR_MODAL_FORMS = {
    "doit",
    "doivent",
    "devons",
    "devez",
    "devrait",
    "devraient",
    "devrions",
    "devriez",
    "devra",
    "devront",
    "devrons",
    "devrez",
}
FR_MODAL_PAST = {"devait", "devaient", "dut", "durent", "aurait dû", "fallait", "fallut", "importait"}
FR_SUBORD = {"que", "qu'", "qu’", "si", "lorsque", "quand", "comme", "puisque", "parce"}
FR_RELATIVE = {"lequel", "laquelle", "lesquels", "lesquelles", "auxquels", "auxquelles", "dont", "où"}
FR_ACTOR_HEAD = re.compile(
    r"^(?:gouvernement|état|etat|ministre|ministère|pays|union|organisation|forum|fgi|uit|secrétariat"
    r"|président|présidente|représentant|délégation|commission|conseil|comité|agence|programme|fonds"
    r"|banque|unesco|icann|société|association|secrétaire|région|groupe|communauté|entreprise|ville)s?$"
)


def _low(t: Tok) -> str:
    return t.low.replace("’", "'")


_INF_ENDINGS = ("er", "ir", "re", "oir")


def _next_inf(toks: list[Tok], i: int, window: int = 4) -> int:
    """Index of an infinitive within ``window`` tokens after ``i`` (skipping adverbs, 'pas')."""
    for j in range(i + 1, min(len(toks), i + 1 + window)):
        t = toks[j]
        if t.is_inf or (t.pos in ("VERB", "AUX") and t.verbform == "Inf"):
            return j
        if t.pos in ("VERB", "AUX") and t.low.endswith(_INF_ENDINGS) and t.low == t.lemma:
            return j  # infinitive mis-tagged as a participle
        if t.low in (",", ".", ";", ":"):
            return -1
    return -1


def _relative_nous(toks: list[Tok], i: int) -> bool:
    """« … que nous utilisons » : 'nous' inside a relative or subordinate clause."""
    return i > 0 and _low(toks[i - 1]) in ("que", "qu'", "dont", "où", "qui", "si", "lorsque", "quand")


def _has_nous_subject(toks: list[Tok], i: int) -> bool:
    for j in range(i - 1, max(-1, i - 5), -1):
        lw = toks[j].low
        if lw == "nous":
            return True
        if lw in (",", ".", ";", ":") or toks[j].pos in ("NOUN", "PROPN"):
            return False
    return False


def _past_verb(toks: list[Tok], i: int) -> bool:
    """Is the finite verb at ``i`` in a past tense (imperfect, simple past, passé composé)?"""
    t = toks[i]
    if t.tense == "Imp" or (t.tense == "Past" and t.verbform == "Fin"):
        return True
    if t.verbform == "Part" and t.tense == "Past":
        for j in range(i - 1, max(-1, i - 4), -1):
            if toks[j].lemma in ("avoir", "être") and toks[j].verbform == "Fin":
                return toks[j].tense in ("Pres", "Imp", "Past")
    return False


def _reported_before(toks: list[Tok], i: int) -> bool:
    """A reporting verb in the past (or a participial 'ajoutant que') before ``i``, not by 'nous'."""
    for j in range(0, i):
        t = toks[j]
        if t.lemma not in FR_REPORT and not (t.pos == "VERB" and t.verbform in ("Part",)):
            continue
        if t.verbform == "Part" and t.tense == "Pres" and t.lemma in FR_REPORT:
            return True  # « ajoutant qu'il était important »
        if t.pos in ("VERB", "AUX") and _past_verb(toks, j) and not _has_nous_subject(toks, j):
            if t.lemma in FR_REPORT or t.lemma in FR_CALL:
                return True
    return False


def _subject_is_actor(toks: list[Tok], i: int) -> bool:
    start = 0
    for j in range(i - 1, -1, -1):
        if toks[j].low in (";", ":") or _low(toks[j]) in ("qu'", "que"):
            start = j + 1
            break
    for k, t in enumerate(toks[start:i], start):
        if t.pos in ("PROPN", "NOUN") or (t.text[:1].isupper() and k > start and t.text.isalpha()):
            # the head of the subject decides: « la Lituanie », « le Gouvernement du Kenya »
            return (t.text[:1].isupper() and k > 0 and t.text.isalpha()) or bool(FR_ACTOR_HEAD.match(t.low))
        if t.pos == "PRON" and t.low in ("il", "elle", "ils", "elles"):
            return False
    return False


def classify_fr(toks: list[Tok], first_in_block: bool = False) -> Decision | None:
    n = len(toks)
    if n < 3:
        return None
    if toks[-1].low == "?" or any(t.low == "?" for t in toks[-3:]):
        return None
    opening = _low(toks[0])
    if opening in ("sans",) and any(t.mood == "Cnd" for t in toks):
        return None  # « Sans collaboration, les pays devraient affronter seuls… » is a hypothesis
    reported_frame = opening in ("selon", "d'après") or (opening == "d'" and toks[1].low == "après")
    best: Decision | None = None
    # operative paragraphs of resolutions open on a third-person verb with no subject:
    # « Prie le Secrétaire général de… », « Engage vivement les États à… », « Décide de… »
    h = 1 if opening in ("également", "en", "aussi", "de", "par") and n > 3 else 0
    if h and opening == "en" and _low(toks[1]) == "outre":
        h = 2
    op = FR_OPERATIVE.get(_low(toks[h])) if toks[h].text[:1].isupper() or h else None
    if op and first_in_block:
        best = Decision(op, 0.85, trigger=h)

    def offer(d: Decision) -> None:
        nonlocal best
        if d.kind == "recommendation" and not _has_nous_subject(toks, d.trigger):
            d.modal = True
        if best is None or rank(d) > rank(best):
            best = d

    for i, t in enumerate(toks):
        lw = _low(t)
        lem = t.lemma
        # ---- first person plural performatives
        if lw == "nous" and i + 1 < n:
            j = i + 1
            while j < n and toks[j].low in (
                "nous",
                "ne",
                "n'",
                "en",
                "y",
                "également",
                "aussi",
                "donc",
                "outre",
                "par",
                "ailleurs",
                "conséquent",
                "ensemble",
                "tous",
                "toutes",
                "pleinement",
                "fermement",
                "résolument",
                "vivement",
                "instamment",
                "à",
                "nouveau",
                "encore",
                "solennellement",
            ):
                j += 1
            if j >= n:
                continue
            v = toks[j]
            if v.lemma in ("souhaiter", "vouloir", "tenir", "désirer") and v.tense != "Imp":
                k2 = _next_inf(toks, j, 3)
                if k2 > 0:
                    j, v = k2, toks[k2]
            if v.pos not in ("VERB", "AUX") and v.lemma not in FR_ENGAGE | FR_CALL | FR_NOTE:
                continue
            past = _past_verb(toks, j)
            vl = v.lemma
            if vl in ("être",) and j + 1 < n and toks[j + 1].low in FR_ENGAGE_ADJ:
                offer(Decision("engagement", 0.9, past, trigger=j))
            elif vl == "prendre" and j + 2 < n and toks[j + 2].lemma == "engagement":
                offer(Decision("engagement", 0.9, past, trigger=j))
            elif vl in ("réaffirmer", "réitérer", "renouveler", "confirmer") and any(
                x.lemma in FR_COMMIT_NOUN for x in toks[j + 1 : j + 4]
            ):
                offer(Decision("engagement", 0.8, past, trigger=j))
            elif vl in FR_ENGAGE and not (vl == "engager" and toks[j - 1].low != "nous"):
                if vl in ("continuer", "poursuivre", "mobiliser", "veiller") and past:
                    continue
                offer(Decision("engagement", 0.85, past, trigger=j))
            elif vl == "aller" and _next_inf(toks, j, 2) > 0:
                offer(Decision("engagement", 0.8, past, trigger=j))
            elif vl in FR_CALL:
                if vl == "insister" and not any(
                    x.lemma in ("nécessité", "importance", "besoin") for x in toks[j + 1 : j + 8]
                ):
                    continue
                if vl == "lancer" and not any(x.lemma == "appel" for x in toks[j + 1 : j + 4]):
                    continue
                offer(Decision("call", 0.85, past, trigger=j))
            elif vl in FR_RECOMMEND:
                offer(Decision("recommendation", 0.75, past, trigger=j))
            elif vl == "devoir" or v.low in FR_MODAL_FORMS:
                offer(Decision("recommendation", 0.8, past or v.low in FR_MODAL_PAST, trigger=j))
            elif v.tense == "Fut" and v.person == "1" and vl not in ("être", "avoir", "pouvoir"):
                offer(Decision("engagement", 0.75, False, trigger=j))
            elif vl in FR_PERFORMATIVE and not past and not _relative_nous(toks, i):
                offer(Decision("engagement", 0.6, False, trigger=j))
            elif vl in FR_NOTE:
                # « nous reconnaissons la nécessité de », « soulignons l'importance de »
                for k in range(j + 1, min(n, j + 6)):
                    if (
                        toks[k].lemma in ("nécessité", "besoin", "urgence")
                        and k + 1 < n
                        and _low(toks[k + 1]) in ("de", "d'")
                    ):
                        offer(Decision("recommendation", 0.75, past, trigger=j))
                        break
                    if (
                        toks[k].lemma == "importance"
                        and k + 1 < n
                        and _low(toks[k + 1]) in ("de", "d'", "du", "des")
                    ):
                        offer(Decision("recommendation", 0.55, past, trigger=j))
                        break
            continue
        # ---- deontic modals
        if lem == "devoir" or t.low in FR_MODAL_FORMS or t.low in ("devait", "devaient"):
            if t.pos == "NOUN":
                continue
            if _next_inf(toks, i, 4) < 0:
                continue
            past = t.low in ("devait", "devaient") or t.tense == "Imp" or _past_verb(toks, i)
            offer(
                Decision(
                    "recommendation",
                    0.8,
                    past or _reported_before(toks, i),
                    trigger=i,
                    relative=_in_relative(toks, i),
                )
            )
            continue
        if lem == "falloir" or t.low in ("faut", "faudrait", "faudra", "fallait"):
            past = t.low == "fallait" or t.tense == "Imp"
            offer(
                Decision(
                    "recommendation",
                    0.8,
                    past or _reported_before(toks, i),
                    trigger=i,
                    relative=_in_relative(toks, i),
                )
            )
            continue
        # ---- impersonal necessity: il est essentiel de / il importe de / il convient de
        if lw == "il" and i + 1 < n:
            v = toks[i + 1]
            k = i + 2
            if v.low in ("ne", "n'"):
                continue
            if v.low in ("convient", "conviendrait", "conviendra", "convenait", "importe", "importerait"):
                v.lemma = "convenir" if v.low.startswith("conv") else "importer"
            while v.lemma in ("importer", "convenir") and k < n and toks[k].pos == "ADV":
                k += 1
            if v.lemma in ("importer", "convenir") and k < n and _low(toks[k]) in ("de", "d'", "que", "qu'"):
                past = v.tense == "Imp" or v.low in ("importait", "convenait")
                offer(
                    Decision(
                        "recommendation",
                        0.8,
                        past or _reported_before(toks, i),
                        trigger=i + 1,
                        relative=_in_relative(toks, i),
                    )
                )
                continue
            if (
                v.low in ("s'", "s’")
                and k < n
                and toks[k].lemma == "agir"
                and k + 2 < n
                and toks[k + 2].is_inf
            ):
                offer(Decision("recommendation", 0.6, toks[k].tense == "Imp", trigger=k))
                continue
            if v.lemma == "y" and k + 1 < n and toks[k + 1].lemma == "lieu":
                offer(Decision("recommendation", 0.7, False, trigger=k))
                continue
            if v.lemma in FR_COPULA or v.low in ("est", "sera", "serait", "était", "demeure", "reste"):
                while (
                    k < n
                    and toks[k].pos == "ADV"
                    and toks[k].low not in FR_NEED_ADJ_STRONG | FR_NEED_ADJ_WEAK
                ):
                    k += 1
                if k < n and (toks[k].low in FR_NEED_ADJ_STRONG or toks[k].low in FR_NEED_ADJ_WEAK):
                    if k + 1 < n and _low(toks[k + 1]) in ("de", "d'", "que", "qu'"):
                        if k + 2 < n and toks[k + 2].lemma in ("noter", "rappeler", "souligner", "signaler"):
                            continue  # « il est important de noter que » introduces a fact
                        past = v.tense == "Imp" or v.low == "était" or _past_verb(toks, i + 1)
                        offer(
                            Decision(
                                "recommendation",
                                0.85,
                                past or _reported_before(toks, i),
                                trigger=i + 1,
                                relative=_in_relative(toks, i),
                            )
                        )
                continue
        # ---- noun subject + copula + necessity adjective: « une analyse … est nécessaire »
        if t.low in FR_NEED_ADJ_STRONG or t.low in FR_NEED_ADJ_WEAK:
            if t.low in ("temps", "bon", "utile", "opportun", "préférable", "souhaitable") or i == 0:
                continue
            k = i - 1
            if k >= 0 and toks[k].low in ("plus", "moins", "aussi", "si", "trop"):
                continue  # a comparison describes a trend, it asks nothing
            while k >= 0 and toks[k].pos == "ADV":
                k -= 1
            if k < 0 or toks[k].lemma not in FR_COPULA:
                continue
            if k > 0 and toks[k - 1].low in ("qui", "que", "qu'") and t.low not in FR_NEED_ADJ_STRONG:
                continue  # « …, ce qui est essentiel pour … » qualifies, it asks nothing
            if k > 0 and _low(toks[k - 1]) in ("il", "ce", "c'", "cela"):
                if _low(toks[k - 1]) == "il":
                    continue
            past = _past_verb(toks, k) or toks[k].low in ("était", "étaient")
            strong = t.low in FR_NEED_ADJ_STRONG
            offer(
                Decision(
                    "recommendation",
                    0.7 if strong else 0.45,
                    past or _reported_before(toks, k),
                    trigger=k,
                    relative=_in_relative(toks, k),
                )
            )
            continue
        # ---- necessity verbs: « cela nécessite », « exige »
        if t.low in _NEED_FORMS or (lem in FR_NEED_VERB and t.pos == "VERB" and t.verbform == "Fin"):
            past = _past_verb(toks, i)
            offer(Decision("recommendation", 0.55, past or _reported_before(toks, i), trigger=i))
            continue
        # ---- third-person performatives and passives
        if lem in FR_CALL and t.pos == "VERB" and lem not in ("soutenir", "appuyer", "insister", "lancer"):
            # passive « est invitée à », « sont encouragés à »
            if t.verbform == "Part" and i > 0 and toks[i - 1].lemma == "être":
                aux = toks[i - 1]
                inf = _next_inf(toks, i, 3)
                if inf > 0 and toks[inf].lemma not in FR_NOTING_INF and aux.tense == "Pres":
                    offer(Decision("call", 0.75, _reported_before(toks, i - 1), trigger=i))
                continue
            if (
                t.verbform == "Fin"
                and t.person == "3"
                and t.tense == "Pres"
                and not _has_nous_subject(toks, i)
            ):
                inf = _next_inf(toks, i, 8)
                if (
                    inf > 0
                    and toks[inf].lemma not in FR_NOTING_INF
                    and (i <= 1 or _subject_is_actor(toks, i))
                ):
                    offer(Decision("call", 0.7 if i > 0 else 0.85, _reported_before(toks, i), trigger=i))
                continue
        if lem == "décider" and t.verbform == "Fin" and t.tense == "Pres" and i <= 2:
            offer(Decision("engagement", 0.8, False, trigger=i))
            continue
        # ---- support for a future action by a named actor (present): « X soutient la prorogation »
        if lem in ("soutenir", "appuyer") and t.verbform == "Fin" and t.tense == "Pres":
            obj = next((x for x in toks[i + 1 : i + 5] if x.pos == "NOUN"), None)
            if obj is None or obj.lemma not in FR_ACTION_NOUNS:
                continue
            if _subject_is_actor(toks, i) and not _reported_before(toks, i):
                offer(Decision("call", 0.55, False, trigger=i))
            continue
        # ---- an actor announces its own action: « X a proposé d'accueillir », « s'est engagé à »
        if (
            lem == "proposer"
            and i + 2 < n
            and _low(toks[i + 1]) in ("de", "d'")
            and toks[i + 2].lemma in FR_HOST_INF
        ):
            if _subject_is_actor(toks, i):
                offer(Decision("engagement", 0.6, False, announce=True, trigger=i))
            continue
        if (
            lem == "engager"
            and i > 0
            and _low(toks[i - 1]) in ("s'", "s’", "se")
            or (
                lem == "engager"
                and i > 1
                and toks[i - 1].lemma == "être"
                and _low(toks[i - 2]) in ("s'", "s’")
            )
        ):
            if _subject_is_actor(toks, i):
                offer(Decision("engagement", 0.65, False, announce=True, trigger=i))
            continue
        # ---- future / future-in-the-past of an actor's own action
        if (
            t.pos == "VERB"
            and t.verbform == "Fin"
            and (t.tense == "Fut" or t.mood == "Cnd")
            and lem not in ("être", "avoir", "pouvoir", "devoir", "falloir", "sembler", "valoir")
            and lem not in FR_ENABLE
            and t.person != "1"
            and t.text.isalpha()
            and len(t.text) > 3
        ):
            if _subject_is_actor(toks, i):
                offer(Decision("engagement", 0.45, False, announce=True, trigger=i))
                continue
        # ---- nominalised action + enabling verb in the future: « le renforcement … permettra »
        enabling = lem in FR_ENABLE and t.pos == "VERB" and t.verbform == "Fin"
        via_modal = lem == "pouvoir" and t.verbform == "Fin" and i + 1 < n and toks[i + 1].lemma in FR_ENABLE
        if enabling or via_modal:
            fut = (
                t.tense == "Fut" or t.mood == "Cnd" or via_modal or (i > 0 and toks[i - 1].lemma == "pouvoir")
            )
            h = next((x + 1 for x in range(min(n - 1, i)) if toks[x].low in ("–", "—", ":")), 0)
            while (
                h < n - 1
                and (toks[h].pos in ("ADV", "PUNCT", "CCONJ") or toks[h].low in ("en", "outre"))
                and not (toks[h].low == "en" and toks[h + 1].verbform == "Part")
            ):
                h += 1
            head = toks[h]
            nxt = toks[h + 1] if h + 1 < n else head
            starts_nominal = (
                head.low in ("le", "la", "l'", "l’")
                and (FR_NOMINAL_SUFFIX.search(nxt.low) or nxt.low in ("fait", "mise", "prise"))
            ) or (head.low == "en" and nxt.verbform == "Part")
            fait_de = nxt.low == "fait" and h + 2 < n and _low(toks[h + 2]) in ("de", "d'")
            if starts_nominal and (fut or fait_de) and not _past_verb(toks, i):
                offer(Decision("recommendation", 0.5, False, trigger=i))
            continue
    if best is not None and reported_frame:
        best.reported = True
    if best is not None and best.modal and _after_cause(toks, best.trigger):
        return None  # « … du fait que les appareils doivent passer par le nuage » gives a reason
    # ---- priorities: an infinitive opening a list item or a short paragraph
    if best is None and first_in_block:
        head = toks[0]
        looks_inf = (
            head.pos in ("VERB", "PROPN", "AUX")
            and head.low.endswith(_INF_ENDINGS)
            and head.low == head.lemma
            and len(toks) > 1
            and (toks[1].pos in ("DET", "ADP", "CCONJ", "PRON") or toks[1].low in ("à", "en"))
        )  # « Protéger et entretenir… » tagged as a proper noun by the small model
        if head.is_inf or (head.pos == "VERB" and head.verbform == "Inf") or looks_inf:
            finite = [t for t in toks[1:] if t.verbform == "Fin" and t.pos in ("VERB",)]
            if not finite or all(_after_subordinator(toks, toks.index(f)) for f in finite):
                best = Decision("priority", 0.7)
    return best


def _after_cause(toks: list[Tok], i: int) -> bool:
    """Is token ``i`` inside a causal clause (« car », « parce que », « du fait que »)?"""
    for j in range(i - 1, -1, -1):
        lw = _low(toks[j])
        if lw in ("car", "puisque", "parce"):
            return True
        if lw in ("que", "qu'") and j > 0 and toks[j - 1].low in ("fait", "donné", "vu"):
            return True
        if lw in (".", ";", ":"):
            return False
    return False


def _after_subordinator(toks: list[Tok], i: int) -> bool:
    for j in range(i - 1, -1, -1):
        if _low(toks[j]) in FR_SUBORD or toks[j].low in FR_RELATIVE or toks[j].low == "qui":
            return True
    return False


def _in_relative(toks: list[Tok], i: int) -> bool:
    for j in range(max(0, i - 3), i):
        if toks[j].low in FR_RELATIVE:
            return True
    return False


# ---------------------------------------------------------------- English
EN_ENGAGE = {
    "commit",
    "pledge",
    "resolve",
    "undertake",
    "decide",
    "will",
    "shall",
    "strive",
    "endeavour",
    "endeavor",
    "seek",
    "aim",
    "intend",
    "continue",
    "work",
    "promise",
    "vow",
    "dedicate",
}
EN_ENGAGE_ADJ = {"determined", "committed", "resolved", "ready", "dedicated"}
EN_CALL = {
    "call",
    "urge",
    "request",
    "encourage",
    "invite",
    "appeal",
    "ask",
    "exhort",
    "support",
    "advocate",
    "recommend",
    "demand",
    "stress",
    "emphasize",
    "emphasise",
    "underline",
    "underscore",
}
EN_CALL_3P = {
    "calls",
    "urges",
    "requests",
    "encourages",
    "invites",
    "appeals",
    "asks",
    "exhorts",
    "recommends",
    "demands",
    "directs",
    "instructs",
    "authorizes",
    "authorises",
    "mandates",
}
EN_DECIDE_3P = {"decides", "resolves", "commits", "pledges", "undertakes", "agrees"}
EN_PERFORMATIVE = {
    "extend",
    "establish",
    "adopt",
    "launch",
    "renew",
    "create",
    "agree",
    "endorse",
    "approve",
    "convene",
    "designate",
    "entrust",
    "mandate",
}
EN_NOTE = {
    "recognize",
    "recognise",
    "note",
    "acknowledge",
    "reaffirm",
    "affirm",
    "recall",
    "welcome",
    "consider",
    "believe",
    "agree",
    "stress",
    "emphasize",
    "emphasise",
    "underline",
    "underscore",
    "reiterate",
    "highlight",
    "observe",
    "take",
    "express",
    "share",
}
EN_NEED_ADJ = {
    "necessary",
    "essential",
    "important",
    "crucial",
    "critical",
    "vital",
    "imperative",
    "urgent",
    "indispensable",
    "paramount",
    "key",
    "fundamental",
    "needed",
    "required",
    "time",
}
EN_STRONG_ADJ = {"necessary", "imperative", "urgent", "indispensable", "needed", "required"}
EN_REPORT = {
    "stressed",
    "noted",
    "said",
    "highlighted",
    "emphasized",
    "emphasised",
    "underlined",
    "observed",
    "argued",
    "suggested",
    "recalled",
    "added",
    "agreed",
    "felt",
    "expressed",
    "stated",
    "pointed",
    "mentioned",
    "indicated",
    "explained",
    "believed",
    "considered",
    "called",
    "urged",
    "recommended",
    "proposed",
    "warned",
    "underscored",
    "remarked",
    "concluded",
    "cautioned",
    "reiterated",
    "insisted",
    "acknowledged",
    "recognized",
    "recognised",
    "asked",
    "thought",
    "adding",
    "noting",
    "stressing",
}
EN_HOST = {"host", "organize", "organise", "fund", "provide", "contribute", "support", "convene", "launch"}
EN_MODAL = {"should", "must", "shall", "ought"}
EN_ENABLE = {
    "help",
    "enable",
    "ensure",
    "allow",
    "contribute",
    "strengthen",
    "improve",
    "facilitate",
    "foster",
}
EN_PAST_NEED = {"needed", "had", "was", "were"}
EN_VERB_START = set(
    """ensure strengthen promote renew support develop build foster enhance improve increase expand establish
    create adopt implement invest protect reaffirm continue make provide adhere affirm advance accelerate
    address align bridge close combat commit complement connect coordinate deepen deliver design empower
    enable encourage engage enforce evolve facilitate finance fund guarantee harmonize harmonise include
    integrate keep launch leverage maintain maximize mobilize mobilise modernize monitor open preserve
    prevent prioritize prioritise put recognize recognise reduce reform reinforce respect review safeguard
    scale secure set share step streamline sustain tackle uphold update upgrade use work mainstream
    champion consolidate cooperate collaborate defend eliminate end extend grant help identify
    institutionalize involve measure offer place pursue raise reach recommit redouble respond restore
    simplify undertake prevent""".split()
)


def classify_en(toks: list[Tok], first_in_block: bool = False) -> Decision | None:
    n = len(toks)
    if n < 3 or any(t.low == "?" for t in toks[-2:]):
        return None
    best: Decision | None = None

    def offer(d: Decision) -> None:
        nonlocal best
        if d.kind == "recommendation" and not (d.trigger > 0 and toks[d.trigger - 1].low == "we"):
            d.modal = True
        if best is None or rank(d) > rank(best):
            best = d

    low = [t.low.replace("’", "'") for t in toks]
    operative = rules_en.opens_operative_paragraph(low)
    if operative:
        for d in [*rules_en.operative_clauses(low), rules_en.need_in_operative(low)]:
            if d is not None:
                offer(d)

    def reported_before(i: int) -> bool:
        for j in range(0, i):
            if low[j] in EN_REPORT and not (j > 0 and low[j - 1] in ("we", "i")):
                return True
        return False

    for i, w in enumerate(low):
        if w == "we" and i + 1 < n:
            j = i + 1
            while j < n and low[j] in (
                "also",
                "further",
                "hereby",
                "therefore",
                "all",
                "jointly",
                "strongly",
                "firmly",
                "fully",
                "once",
                "again",
                "together",
                "collectively",
                "thus",
            ):
                j += 1
            if j >= n:
                continue
            v, lem = low[j], toks[j].lemma
            if v in ("are", "remain") and j + 1 < n and low[j + 1] in EN_ENGAGE_ADJ:
                offer(Decision("engagement", 0.9, trigger=j))
            elif v in ("will", "shall"):
                offer(Decision("engagement", 0.85, trigger=j))
            elif v in ("must", "should", "need", "have") and (
                v != "have" or (j + 1 < n and low[j + 1] == "to")
            ):
                offer(Decision("recommendation", 0.8, trigger=j))
            elif lem in ("reaffirm", "reiterate", "renew") and any(
                low[k] in ("commitment", "commitments", "determination", "resolve", "support", "pledge")
                for k in range(j + 1, min(n, j + 7))
            ):
                offer(Decision("engagement", 0.8, trigger=j))
            elif lem in EN_ENGAGE and not v.endswith("ed"):
                offer(Decision("engagement", 0.85, trigger=j))
            elif lem in EN_CALL and not v.endswith("ed"):
                if lem in ("stress", "emphasize", "emphasise", "underline", "underscore"):
                    if any(
                        low[k] in ("need", "importance", "necessity", "urgency")
                        for k in range(j + 1, min(n, j + 4))
                    ):
                        offer(Decision("recommendation", 0.7, trigger=j))
                    continue
                kind = "recommendation" if lem == "recommend" else "call"
                offer(Decision(kind, 0.85, trigger=j))
            elif lem in EN_NOTE:
                for k in range(j + 1, min(n, j + 5)):
                    if (
                        low[k] in ("need", "necessity", "urgency")
                        and k + 1 < n
                        and low[k + 1] in ("to", "for")
                    ):
                        offer(Decision("recommendation", 0.75, trigger=j))
                        break
            elif (
                lem in EN_PERFORMATIVE
                and not v.endswith("ed")
                and not (i > 0 and low[i - 1] in ("that", "which", "who", "where", "as", "if", "when"))
            ):
                # a present-tense act of the authors: "We extend the mandate of the Forum"
                offer(Decision("engagement", 0.6, trigger=j))
            continue
        if w in EN_MODAL and (w != "ought" or (i + 1 < n and low[i + 1] == "to")):
            if (
                i + 1 < n
                and low[i + 1] in ("be", "not", "also", "continue", "further")
                or (i + 1 < n and low[i + 1].isalpha())
            ):
                offer(Decision("recommendation", 0.8, reported_before(i), trigger=i))
            continue
        if (
            w in ("need", "needs")
            and i + 1 < n
            and low[i + 1] == "to"
            and i > 0
            and low[i - 1] not in ("the", "a")
        ):
            offer(Decision("recommendation", 0.7, reported_before(i), trigger=i))
            continue
        if w in ("needed", "had") and i + 1 < n and low[i + 1] == "to":
            offer(Decision("recommendation", 0.6, True, trigger=i))
            continue
        if (
            w == "there"
            and i + 3 < n
            and low[i + 1] in ("is", "remains", "was")
            and low[i + 2] in ("a", "an", "the", "an")
        ):
            if low[i + 3] in ("need", "urgent", "pressing", "clear") or (i + 4 < n and low[i + 4] == "need"):
                offer(Decision("recommendation", 0.75, low[i + 1] == "was" or reported_before(i), trigger=i))
            continue
        if w == "it" and i + 2 < n and low[i + 1] in ("is", "remains", "will", "would", "was", "becomes"):
            k = i + 2
            if low[i + 1] in ("will", "would") and k < n and low[k] == "be":
                k += 1
            while k < n and low[k] in (
                "also",
                "therefore",
                "particularly",
                "especially",
                "equally",
                "more",
                "most",
                "increasingly",
                "critically",
                "absolutely",
                "highly",
            ):
                k += 1
            if k + 1 < n and low[k] in EN_NEED_ADJ and low[k + 1] in ("to", "that", "for"):
                if k + 2 < n and low[k + 2] in ("note", "recall", "recognize", "recognise"):
                    continue
                offer(Decision("recommendation", 0.85, low[i + 1] == "was" or reported_before(i), trigger=i))
            continue
        if (
            w in EN_NEED_ADJ
            and i > 1
            and low[i - 1] in ("is", "are", "remains", "remain", "be", "was", "were")
        ):
            if low[i - 2] in ("it", "this") and w not in EN_STRONG_ADJ:
                continue
            strong = w in EN_STRONG_ADJ
            offer(
                Decision(
                    "recommendation",
                    0.7 if strong else 0.45,
                    low[i - 1] in ("was", "were") or reported_before(i),
                    trigger=i,
                )
            )
            continue
        if (
            w in ("requires", "require", "demands", "necessitates", "calls")
            and i > 0
            and low[i - 1] not in ("we",)
        ):
            if w == "calls" and not (i + 1 < n and low[i + 1] == "for"):
                pass
            elif w == "calls" and i == 0:
                pass
            else:
                offer(Decision("recommendation", 0.55, reported_before(i), trigger=i))
            continue
        # third-person performatives of resolutions: "Requests the Secretary-General to"
        if (
            w in ("called", "urged", "recommended", "requested", "appealed")
            and 0 < i
            and low[i - 1] not in ("is", "are", "was", "were", "be", "been", "being", "we")
            and i + 1 < n
            and low[i + 1] in ("for", "on", "upon", "to", "that", "the", "all", "governments", "states")
        ):
            # "Participants called for…": a report of others' appeal
            offer(Decision("call", 0.6, True, trigger=i))
            continue
        if operative and (w in EN_CALL_3P or w in EN_DECIDE_3P):
            continue  # offered above, clause by clause
        if w in EN_CALL_3P and (i <= 2 or low[i - 1] in (",", "also", "further", "strongly")):
            offer(
                Decision(
                    "call" if w != "recommends" else "recommendation", 0.85, reported_before(i), trigger=i
                )
            )
            continue
        if w in EN_DECIDE_3P and i <= 2:
            offer(Decision("engagement", 0.85, False, trigger=i))
            continue
        if (
            w in ("invited", "encouraged", "requested", "urged", "called")
            and i > 0
            and low[i - 1] in ("is", "are")
        ):
            k = i + 1
            if k < n and low[k] in ("upon", "on"):
                k += 1
            if k < n and low[k] == "to" and not (k + 1 < n and low[k + 1] in ("note", "take")):
                offer(Decision("call", 0.75, reported_before(i), trigger=i))
            continue
        if (
            w in ("will", "would")
            and i > 0
            and toks[i - 1].text[:1].isupper()
            and low[i - 1] not in ("it", "this", "that", "there", "which", "they", "these", "such")
        ):
            if i + 1 < n and low[i + 1] not in ("be", "have", "help", "enable", "ensure", "allow"):
                if w == "will" or reported_before(i):
                    offer(Decision("engagement", 0.45, False, announce=True, trigger=i))
            continue
        if (
            w in ("will", "would")
            and i + 1 < n
            and low[i + 1] in EN_HOST
            and any(t.text[:1].isupper() for t in toks[1:i])
        ):
            offer(Decision("engagement", 0.55, False, announce=True, trigger=i))
            continue
        if (
            w in ("offered", "proposed")
            and i + 2 < n
            and low[i + 1] == "to"
            and low[i + 2] in ("host", "organize", "organise", "fund", "provide", "support", "contribute")
        ):
            offer(Decision("engagement", 0.6, False, announce=True, trigger=i))
            continue
        if w in EN_ENABLE and i > 0 and low[i - 1] in ("will", "would", "can", "could"):
            if low[0] in (
                "the",
                "strengthening",
                "improving",
                "enhancing",
                "ensuring",
                "establishing",
                "promoting",
                "investing",
                "developing",
                "by",
                "increasing",
                "building",
            ):
                if low[0] != "the" or (n > 1 and re.search(r"(?:tion|ment|ing|ance|ence)$", low[1])):
                    offer(Decision("recommendation", 0.5, False, trigger=i))
            continue
    if best is not None and best.modal and any(w in ("because", "since") for w in low[: best.trigger]):
        return None  # "…, because devices must rely on the cloud" gives a reason
    if best is not None and low[0] in ("without",) and "would" in low:
        return None  # a hypothesis
    if best is None and first_in_block:
        w0 = low[0]
        if w0 in EN_VERB_START and (n < 2 or low[1] not in ("is", "are", "was", "were", "has", "have", "of")):
            best = Decision("priority", 0.7)
    return best


# cheap prefilter: a sentence without any of these stems cannot be an item (except a list
# item opening with a verb, which the pipeline always annotates)
_ADJ_FR = (
    r"(?:nécessaire|indispensable|impérati|urgent|requis|impérieu|prioritaire|essentiel|crucia|primordia"
    r"|important|vita|fondamenta|capita|souhaitable|opportun|temps|bon|préférable)"
)
_COPULA_FR = (
    r"(?:est|sont|soit|soient|sera|seront|serait|seraient|demeure\w*|reste\w*|devien\w*|était|étaient)"
)
_PREFILTER_FR = re.compile(
    r"^(?:également,?\s+|en outre,?\s+)?(?:décide|prie|invite|engage|exhorte|demande|encourage|appelle|préconise"
    r"|incite|charge|autorise|enjoint|recommande|adopte|approuve|proclame)\b"
    r"|\bnous\s+(?:(?:ne|n['’]|nous|en|y|également|aussi|donc|ensemble|tous|toutes|[a-zé]+ment|à|de|nouveau)\s+){0,3}"
    r"(?:\w+ons|sommes)\b|\bdoi[tv]|\bdev(?:r|on|ez|ai)|\bfau[td]|\bfallait|\bimport(?:e|ait|erait)\b|\bnécessit(?:e|ent)\b"
    rf"|\b{_COPULA_FR}\s+(?:\w+\s+){{0,2}}{_ADJ_FR}"
    r"|\bconvien|\bconvenait|\bs['’]agi(?:t|ssait)\s+d|\by a(?:vait)? lieu\b|\bs['’]engag|\bengag\w*\s+(?:\w+\s+){0,4}?à"
    r"|\b(?:invit|encourag|exhort|pri|demand|appell|incit|enjoin|sollicit)(?:e|ent|é|ée|és|ées)\b"
    r"|\bpréconis|\bprôn|\bplaid|\brecommand|\bpropos\w*\s+d['’e]|\brésolu|\bdéterminé|\befforc"
    r"|\bdécid(?:e|ent|é)\b|\bsoutien(?:t|nent)\b|\bappui(?:e|ent)\b|\bexig|\brequi[eè]r|\bfait de\b",
    re.I,
)
_FUTURE_FR = re.compile(r"\b\w{3,}(?:erait|irait|drait|trait|ra|ront)\b")
_CAPITAL = re.compile(r"(?<=\s)[A-ZÀ-Ý][\w-]+")
_NOMINAL_START_FR = re.compile(
    r"^(?:[«\"*\[]\s*)?(?:(?:enfin|en outre|de plus|par ailleurs|ainsi|également|en effet|aussi),?\s+)?"
    r"(?:(?:le|la|l['’]|les)\s*(?:\w+(?:tion|tions|ment|ments|ure|age|ence|ance|ise)\b|mise|prise)|en \w+ant\b"
    r"|le fait d)",
    re.I,
)
_ENABLE_FR = re.compile(
    r"\b(?:permet|permett|garanti|aider|aide|contribu|favoris|assur|renforc|amélior|facilit)"
)


def prefilter_fr(text: str) -> bool:
    if _PREFILTER_FR.search(text):
        return True
    m = _FUTURE_FR.search(text)
    if m and _CAPITAL.search(text, 0, m.start()):
        return True  # a named actor's future (or future-in-the-past) action
    return bool(_NOMINAL_START_FR.match(text) and _ENABLE_FR.search(text))


_PREFILTER_EN = re.compile(
    r"\bwe\b|\bshould|\bmust\b|\bshall\b|\bneed|\bought\b|essential|necessary|important|crucial|critical"
    r"|vital|imperative|urgent|indispensable|\bcall|\burge|request|encourag|invit|appeal|recommend|commit"
    r"|pledge|resolv|decide|determined|\brequire|\bdemand|\bwill\b|\bwould\b|offered|proposed|paramount"
    r"|\bkey\b|fundamental|\bexhort|\bdirects\b|authori[sz]es|\bmandates\b|\bagrees\b",
    re.I,
)


def prefilter_en(text: str) -> bool:
    return bool(_PREFILTER_EN.search(text))


PREFILTER = {"fr": prefilter_fr, "en": prefilter_en}


def last_trigger_end(text: str, lang: str) -> int | None:
    """End offset of the last prefilter match in ``text`` (None when there is none)."""
    rx = _PREFILTER_FR if lang == "fr" else _PREFILTER_EN
    end = None
    for m in rx.finditer(text):
        end = m.end()
    if lang == "fr":
        for m in _FUTURE_FR.finditer(text):
            end = max(end or 0, m.end())
        if _NOMINAL_START_FR.match(text):
            for m in _ENABLE_FR.finditer(text):
                end = max(end or 0, m.end())
    return end
