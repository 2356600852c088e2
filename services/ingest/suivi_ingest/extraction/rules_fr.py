"""French constructions, one function each, on tokens with lemma and morphology.

Each construction is tried at every token; it answers ``None`` when it is not there, else
the decisions it makes (possibly none: the token is its, no other construction is tried
on it).
"""

from __future__ import annotations

from . import decision as conf
from .decision import Decision
from .lexicon import fr as lex
from .nlp import Tok

Found = list[Decision] | None


def low(t: Tok) -> str:
    return t.low.replace("’", "'")


# ---------------------------------------------------------------- clause helpers


def next_inf(toks: list[Tok], i: int, window: int = 4) -> int:
    """Index of an infinitive within ``window`` tokens after ``i`` (skipping adverbs, 'pas')."""
    for j in range(i + 1, min(len(toks), i + 1 + window)):
        t = toks[j]
        if t.is_inf or (t.pos in ("VERB", "AUX") and t.verbform == "Inf"):
            return j
        if t.pos in ("VERB", "AUX") and t.low.endswith(lex.INF_ENDINGS) and t.low == t.lemma:
            return j  # infinitive mis-tagged as a participle
        if t.low in (",", ".", ";", ":"):
            return -1
    return -1


def relative_nous(toks: list[Tok], i: int) -> bool:
    """« … que nous utilisons » : 'nous' inside a relative or subordinate clause."""
    return i > 0 and low(toks[i - 1]) in ("que", "qu'", "dont", "où", "qui", "si", "lorsque", "quand")


def has_nous_subject(toks: list[Tok], i: int) -> bool:
    for j in range(i - 1, max(-1, i - 5), -1):
        lw = toks[j].low
        if lw == "nous":
            return True
        if lw in (",", ".", ";", ":") or toks[j].pos in ("NOUN", "PROPN"):
            return False
    return False


def past_verb(toks: list[Tok], i: int) -> bool:
    """Is the finite verb at ``i`` in a past tense (imperfect, simple past, passé composé)?"""
    t = toks[i]
    if t.tense == "Imp" or (t.tense == "Past" and t.verbform == "Fin"):
        return True
    if t.verbform == "Part" and t.tense == "Past":
        for j in range(i - 1, max(-1, i - 4), -1):
            if toks[j].lemma in ("avoir", "être") and toks[j].verbform == "Fin":
                return toks[j].tense in ("Pres", "Imp", "Past")
    return False


def reported_before(toks: list[Tok], i: int) -> bool:
    """A reporting verb in the past (or a participial 'ajoutant que') before ``i``, not by 'nous'."""
    for j in range(0, i):
        t = toks[j]
        if t.lemma not in lex.REPORT and not (t.pos == "VERB" and t.verbform in ("Part",)):
            continue
        if t.verbform == "Part" and t.tense == "Pres" and t.lemma in lex.REPORT:
            return True  # « ajoutant qu'il était important »
        if t.pos in ("VERB", "AUX") and past_verb(toks, j) and not has_nous_subject(toks, j):
            if t.lemma in lex.REPORT or t.lemma in lex.CALL:
                return True
    return False


def subject_is_actor(toks: list[Tok], i: int) -> bool:
    start = 0
    for j in range(i - 1, -1, -1):
        if toks[j].low in (";", ":") or low(toks[j]) in ("qu'", "que"):
            start = j + 1
            break
    for k, t in enumerate(toks[start:i], start):
        if t.pos in ("PROPN", "NOUN") or (t.text[:1].isupper() and k > start and t.text.isalpha()):
            # the head of the subject decides: « la Lituanie », « le Gouvernement du Kenya »
            return (t.text[:1].isupper() and k > 0 and t.text.isalpha()) or bool(lex.ACTOR_HEAD.match(t.low))
        if t.pos == "PRON" and t.low in ("il", "elle", "ils", "elles"):
            return False
    return False


def after_cause(toks: list[Tok], i: int) -> bool:
    """Is token ``i`` inside a causal clause (« car », « parce que », « du fait que »)?"""
    for j in range(i - 1, -1, -1):
        lw = low(toks[j])
        if lw in ("car", "puisque", "parce"):
            return True
        if lw in ("que", "qu'") and j > 0 and toks[j - 1].low in ("fait", "donné", "vu"):
            return True
        if lw in (".", ";", ":"):
            return False
    return False


def after_subordinator(toks: list[Tok], i: int) -> bool:
    for j in range(i - 1, -1, -1):
        if low(toks[j]) in lex.SUBORD or toks[j].low in lex.RELATIVE or toks[j].low == "qui":
            return True
    return False


def in_relative(toks: list[Tok], i: int) -> bool:
    return any(toks[j].low in lex.RELATIVE for j in range(max(0, i - 3), i))


# ---------------------------------------------------------------- sentence-level constructions


def not_a_statement(toks: list[Tok]) -> bool:
    """Too short, a question, or a hypothesis (« Sans collaboration, les pays devraient… »)."""
    if len(toks) < 3 or toks[-1].low == "?" or any(t.low == "?" for t in toks[-3:]):
        return True
    return low(toks[0]) == "sans" and any(t.mood == "Cnd" for t in toks)


def reported_frame(toks: list[Tok]) -> bool:
    """« Selon X, … », « D'après X, … »: the whole sentence reports someone's view."""
    opening = low(toks[0])
    return opening in ("selon", "d'après") or (opening == "d'" and toks[1].low == "après")


def operative_opening(toks: list[Tok], first_in_block: bool) -> Decision | None:
    """Operative paragraphs of resolutions open on a third-person verb with no subject:
    « Prie le Secrétaire général de… », « Engage vivement les États à… », « Décide de… »."""
    if not first_in_block:
        return None
    opening, n = low(toks[0]), len(toks)
    h = 1 if opening in ("également", "en", "aussi", "de", "par") and n > 3 else 0
    if h and opening == "en" and low(toks[1]) == "outre":
        h = 2
    kind = lex.OPERATIVE.get(low(toks[h])) if toks[h].text[:1].isupper() or h else None
    return Decision(kind, conf.PERFORMATIVE, trigger=h) if kind else None


def priority(toks: list[Tok]) -> Decision | None:
    """An infinitive opening a list item or a short paragraph, with no finite main verb:
    « Renouveler le mandat du Forum… »."""
    head = toks[0]
    looks_inf = (
        head.pos in ("VERB", "PROPN", "AUX")
        and head.low.endswith(lex.INF_ENDINGS)
        and head.low == head.lemma
        and len(toks) > 1
        and (toks[1].pos in ("DET", "ADP", "CCONJ", "PRON") or toks[1].low in ("à", "en"))
    )  # « Protéger et entretenir… » tagged as a proper noun by the small model
    if not (head.is_inf or (head.pos == "VERB" and head.verbform == "Inf") or looks_inf):
        return None
    finite = [k for k, t in enumerate(toks[1:], 1) if t.verbform == "Fin" and t.pos == "VERB"]
    if finite and not all(after_subordinator(toks, k) for k in finite):
        return None
    return Decision("priority", conf.PRIORITY)


# ---------------------------------------------------------------- resolutions in the third person


def opens_operative_paragraph(toks: list[Tok]) -> bool:
    """« Prie …», « Se félicite …», « Note également … »: a resolution's operative paragraph
    opens on a capitalised verb in the third person, with no subject."""
    first = toks[0]
    w = low(first)
    return first.text[:1].isupper() and (
        w in lex.OPERATIVE or w in lex.OPERATIVE_NOTE or w in lex.OPERATIVE_ACT
    )


def _clause_start(toks: list[Tok], i: int) -> bool:
    j = i - 1
    while j >= 0 and low(toks[j]) in lex.OPERATIVE_ADVERBS:
        j -= 1
    return j < 0 or toks[j].low in (",", ";", "et", ":")


def operative_clauses(toks: list[Tok]) -> list[Decision]:
    """Each operative verb of a resolution paragraph, in any of its clauses: « Se félicite
    de …, et invite les États Membres à … » (a procedural « et décide d'inscrire … » after
    a call does not make it an engagement)."""
    out: list[Decision] = []
    for i in range(len(toks)):
        if not _clause_start(toks, i):
            continue
        d = _operative_verb(toks, i, conf.PERFORMATIVE if i <= 2 else conf.OPERATIVE_CLAUSE)
        if d is None or (d.kind == "engagement" and any(x.kind == "call" for x in out)):
            continue
        out.append(d)
    return out


def _operative_verb(toks: list[Tok], i: int, certainty: float) -> Decision | None:
    w = low(toks[i])
    after = [low(t) for t in toks[i + 1 : i + 6] if low(t) not in lex.OPERATIVE_ADVERBS]
    if w == "continue" and len(after) > 1 and after[0] in ("de", "d'", "à"):
        w = _third_person_form(after[1])  # « continue d'encourager » asks as « encourage »
    if w in lex.OPERATIVE:
        return Decision(lex.OPERATIVE[w], certainty, trigger=i)
    if i <= 2 and w in lex.OPERATIVE_ACT:
        return Decision("engagement", certainty, trigger=i)
    if w in ("réitère", "renouvelle", "lance") and any(x in lex.CALL_NOUNS for x in after[:3]):
        return Decision("call", certainty, trigger=i)
    if (
        i <= 2
        and w in ("réaffirme", "réitère", "renouvelle")
        and any(x in lex.COMMITMENT_NOUNS for x in after[:3])
    ):
        return Decision("engagement", certainty, trigger=i)
    if w in lex.OPERATIVE_NOTE and any(x in lex.NEED_NOUNS for x in after[:3]):
        return Decision("recommendation", conf.NOTED_NEED, trigger=i)
    return None


def _third_person_form(infinitive: str) -> str:
    return infinitive[:-1] if infinitive.endswith("er") else infinitive


# ---------------------------------------------------------------- first person plural


def first_person(toks: list[Tok], i: int) -> Found:
    """« nous nous engageons à », « nous exhortons », « nous devons », « nous prorogeons »."""
    n = len(toks)
    if low(toks[i]) != "nous" or i + 1 >= n:
        return None
    j = i + 1
    while j < n and toks[j].low in lex.FIRST_PERSON_FILLERS:
        j += 1
    if j >= n:
        return []
    v = toks[j]
    if v.lemma in ("souhaiter", "vouloir", "tenir", "désirer") and v.tense != "Imp":
        k = next_inf(toks, j, 3)
        if k > 0:
            j, v = k, toks[k]
    if v.pos not in ("VERB", "AUX") and v.lemma not in lex.ENGAGE | lex.CALL | lex.NOTE:
        return []
    d = first_person_verb(toks, j, relative=relative_nous(toks, i))
    return [d] if d is not None else []


def first_person_verb(toks: list[Tok], j: int, relative: bool = False) -> Decision | None:
    """The kind a verb in the first person plural gives (« nous » before it, or a lead-in)."""
    v, vl, past = toks[j], toks[j].lemma, past_verb(toks, j)
    n = len(toks)
    if vl == "être" and j + 1 < n and toks[j + 1].low in lex.ENGAGE_ADJ:
        return Decision("engagement", conf.STRONG_PERFORMATIVE, past, trigger=j)
    if vl == "prendre" and j + 2 < n and toks[j + 2].lemma == "engagement":
        return Decision("engagement", conf.STRONG_PERFORMATIVE, past, trigger=j)
    if vl in ("réaffirmer", "réitérer", "renouveler", "confirmer") and any(
        x.lemma in lex.COMMIT_NOUN for x in toks[j + 1 : j + 4]
    ):
        return Decision("engagement", conf.RENEWED_COMMITMENT, past, trigger=j)
    if vl in lex.ENGAGE and not (vl == "engager" and toks[j - 1].low != "nous"):
        if vl in ("continuer", "poursuivre", "mobiliser", "veiller") and past:
            return None
        return Decision("engagement", conf.PERFORMATIVE, past, trigger=j)
    if vl == "aller" and next_inf(toks, j, 2) > 0:
        return Decision("engagement", conf.INTENT, past, trigger=j)
    if v.tense == "Fut" and v.person == "1" and vl not in ("être", "avoir", "pouvoir", "devoir"):
        # « nous appellerons », « nous soutiendrons »: what we will do is an engagement
        return Decision("engagement", conf.FIRST_PERSON_FUTURE, False, trigger=j)
    if vl in lex.CALL:
        return _first_person_call(toks, j, past)
    if vl in lex.RECOMMEND:
        return Decision("recommendation", conf.NOTED_NEED, past, trigger=j)
    if vl == "devoir" or v.low in lex.MODAL_FORMS:
        return Decision("recommendation", conf.MODAL, past or v.low in lex.MODAL_PAST, trigger=j)
    if vl in lex.PERFORMATIVE and not past and not relative:
        return Decision("engagement", conf.PRESENT_ACT, False, trigger=j)  # « nous prorogeons »
    if vl in lex.NOTE:
        return _noted_need(toks, j, past)
    return None


def _first_person_call(toks: list[Tok], j: int, past: bool) -> Decision | None:
    vl = toks[j].lemma
    if vl == "insister" and not any(
        x.lemma in ("nécessité", "importance", "besoin") for x in toks[j + 1 : j + 8]
    ):
        return None
    if vl == "lancer" and not any(x.lemma == "appel" for x in toks[j + 1 : j + 4]):
        return None
    return Decision("call", conf.PERFORMATIVE, past, trigger=j)


def _noted_need(toks: list[Tok], j: int, past: bool) -> Decision | None:
    """« nous reconnaissons la nécessité de », « soulignons l'importance de »."""
    n = len(toks)
    for k in range(j + 1, min(n, j + 6)):
        nxt = low(toks[k + 1]) if k + 1 < n else ""
        if toks[k].lemma in ("nécessité", "besoin", "urgence") and nxt in ("de", "d'"):
            return Decision("recommendation", conf.NOTED_NEED, past, trigger=j)
        if toks[k].lemma == "importance" and nxt in ("de", "d'", "du", "des"):
            return Decision("recommendation", conf.NOTED_IMPORTANCE, past, trigger=j)
    return None


def coordinated_first_person(toks: list[Tok], i: int) -> Found:
    """A second verb of « nous » after a clause boundary: « Nous reconnaissons …, et
    appelons … »."""
    if not repair_first_person_verb(toks[i]):
        return None
    j = i - 1
    while j >= 0 and toks[j].low in lex.CLAUSE_ADVERBS:
        j -= 1
    if j < 0 or toks[j].low not in ("et", ",", ";") or not any(x.low == "nous" for x in toks[:j]):
        return None
    d = first_person_verb(toks, i)
    return [d] if d is not None else []


def repair_first_person_verb(t: Tok) -> bool:
    """Is ``t`` a verb in the first person plural? Without « nous » right before it, the
    small model takes « appelons » for a noun: the lemma is then found from the ending
    (« appel-ons » → appeler, « renforcer-ons » → renforcer) among the verbs the rules know."""
    if not t.low.endswith("ons") or t.low == "nous" or len(t.low) < 6:
        return False
    if t.pos in ("VERB", "AUX") and t.lemma != t.low:
        return True
    stem = t.low[:-3]
    future = stem.endswith(("er", "ir", "r"))
    lemma = lex.FIRST_PERSON_IRREGULAR.get(t.low) or next(
        (c for c in (stem, stem + "er", stem + "ir", stem + "re") if c in lex.FIRST_PERSON_LEMMAS), None
    )
    if lemma is None:
        return False
    t.pos, t.lemma, t.verbform, t.person = "VERB", lemma, "Fin", "1"
    t.tense = "Fut" if future and lemma == stem else "Pres"
    return True


# ---------------------------------------------------------------- deontic and impersonal


def deontic_modal(toks: list[Tok], i: int) -> Found:
    """« Les États devraient protéger… », « doit être renforcé »."""
    t = toks[i]
    if not (t.lemma == "devoir" or t.low in lex.MODAL_FORMS or t.low in ("devait", "devaient")):
        return None
    if t.pos == "NOUN" or next_inf(toks, i, 4) < 0:
        return []
    past = t.low in ("devait", "devaient") or t.tense == "Imp" or past_verb(toks, i)
    return [_need(toks, i, conf.MODAL, past, i)]


def falloir(toks: list[Tok], i: int) -> Found:
    """« il faut », « il faudrait »."""
    t = toks[i]
    if not (t.lemma == "falloir" or t.low in ("faut", "faudrait", "faudra", "fallait")):
        return None
    past = t.low == "fallait" or t.tense == "Imp"
    return [_need(toks, i, conf.MODAL, past, i)]


def _need(toks: list[Tok], i: int, certainty: float, past: bool, trigger: int) -> Decision:
    return Decision(
        "recommendation",
        certainty,
        past or reported_before(toks, i),
        trigger=trigger,
        relative=in_relative(toks, i),
    )


def impersonal(toks: list[Tok], i: int) -> Found:
    """« il importe de », « il convient de », « il s'agit de + infinitif », « il y a lieu de »,
    « il est essentiel de » (but not « il est important de noter que »)."""
    n = len(toks)
    if low(toks[i]) != "il" or i + 1 >= n:
        return None
    v = toks[i + 1]
    if v.low in ("ne", "n'"):
        return []
    if v.low in ("convient", "conviendrait", "conviendra", "convenait", "importe", "importerait"):
        v.lemma = "convenir" if v.low.startswith("conv") else "importer"
    k = i + 2
    while v.lemma in ("importer", "convenir") and k < n and toks[k].pos == "ADV":
        k += 1
    if v.lemma in ("importer", "convenir") and k < n and low(toks[k]) in ("de", "d'", "que", "qu'"):
        past = v.tense == "Imp" or v.low in ("importait", "convenait")
        return [_need(toks, i, conf.MODAL, past, i + 1)]
    if v.low in ("s'", "s’") and k < n and toks[k].lemma == "agir" and k + 2 < n and toks[k + 2].is_inf:
        return [Decision("recommendation", conf.IMPLIED_NEED, toks[k].tense == "Imp", trigger=k)]
    if v.lemma == "y" and k + 1 < n and toks[k + 1].lemma == "lieu":
        return [Decision("recommendation", conf.STRONG_NEED, False, trigger=k)]
    if v.lemma in lex.COPULA or v.low in ("est", "sera", "serait", "était", "demeure", "reste"):
        return _impersonal_adjective(toks, i, k)
    return None


def _impersonal_adjective(toks: list[Tok], i: int, k: int) -> list[Decision]:
    n, v = len(toks), toks[i + 1]
    need_adj = lex.NEED_ADJ_STRONG | lex.NEED_ADJ_WEAK
    while k < n and toks[k].pos == "ADV" and toks[k].low not in need_adj:
        k += 1
    if k >= n or toks[k].low not in need_adj:
        return []
    if k + 1 >= n or low(toks[k + 1]) not in ("de", "d'", "que", "qu'"):
        return []
    if k + 2 < n and toks[k + 2].lemma in ("noter", "rappeler", "souligner", "signaler"):
        return []  # « il est important de noter que » introduces a fact
    past = v.tense == "Imp" or v.low == "était" or past_verb(toks, i + 1)
    return [_need(toks, i, conf.IMPERSONAL_NEED, past, i + 1)]


def necessity_adjective(toks: list[Tok], i: int) -> Found:
    """Noun subject + copula + necessity adjective: « une analyse … est nécessaire »."""
    t = toks[i]
    if t.low not in lex.NEED_ADJ_STRONG and t.low not in lex.NEED_ADJ_WEAK:
        return None
    if t.low in ("temps", "bon", "utile", "opportun", "préférable", "souhaitable") or i == 0:
        return []
    k = i - 1
    if toks[k].low in ("plus", "moins", "aussi", "si", "trop"):
        return []  # a comparison describes a trend, it asks nothing
    while k >= 0 and toks[k].pos == "ADV":
        k -= 1
    if k < 0 or toks[k].lemma not in lex.COPULA:
        return []
    strong = t.low in lex.NEED_ADJ_STRONG
    if k > 0 and toks[k - 1].low in ("qui", "que", "qu'") and not strong:
        return []  # « …, ce qui est essentiel pour … » qualifies, it asks nothing
    if k > 0 and low(toks[k - 1]) == "il":
        return []
    past = past_verb(toks, k) or toks[k].low in ("était", "étaient")
    return [_need(toks, k, conf.STRONG_NEED if strong else conf.WEAK_NEED, past, k)]


def necessity_verb(toks: list[Tok], i: int) -> Found:
    """« cela nécessite », « exige »."""
    t = toks[i]
    if t.low not in lex.NEED_FORMS and not (
        t.lemma in lex.NEED_VERB and t.pos == "VERB" and t.verbform == "Fin"
    ):
        return None
    past = past_verb(toks, i)
    return [Decision("recommendation", conf.NEED_PREDICATE, past or reported_before(toks, i), trigger=i)]


# ---------------------------------------------------------------- third person


def third_person_call(toks: list[Tok], i: int) -> Found:
    """A passive « est invitée à », « sont encouragés à », or a call of a named actor
    « le Conseil invite les membres à » (not a call to take note)."""
    t, lem = toks[i], toks[i].lemma
    if lem not in lex.CALL or t.pos != "VERB" or lem in ("soutenir", "appuyer", "insister", "lancer"):
        return None
    if t.verbform == "Part" and i > 0 and toks[i - 1].lemma == "être":
        inf = next_inf(toks, i, 3)
        if inf > 0 and toks[inf].lemma not in lex.NOTING_INF and toks[i - 1].tense == "Pres":
            return [Decision("call", conf.PASSIVE_CALL, reported_before(toks, i - 1), trigger=i)]
        return []
    if t.verbform == "Fin" and t.person == "3" and t.tense == "Pres" and not has_nous_subject(toks, i):
        inf = next_inf(toks, i, 8)
        if inf > 0 and toks[inf].lemma not in lex.NOTING_INF and (i <= 1 or subject_is_actor(toks, i)):
            certainty = conf.SUBJECT_CALL if i > 0 else conf.PERFORMATIVE
            return [Decision("call", certainty, reported_before(toks, i), trigger=i)]
        return []
    return None


def decides(toks: list[Tok], i: int) -> Found:
    """« Décide de … » near the start of a sentence."""
    t = toks[i]
    if t.lemma == "décider" and t.verbform == "Fin" and t.tense == "Pres" and i <= 2:
        return [Decision("engagement", conf.DECISION, False, trigger=i)]
    return None


def actor_support(toks: list[Tok], i: int) -> Found:
    """A named actor supports a future action (present): « X soutient la prorogation »."""
    t = toks[i]
    if t.lemma not in ("soutenir", "appuyer") or t.verbform != "Fin" or t.tense != "Pres":
        return None
    obj = next((x for x in toks[i + 1 : i + 5] if x.pos == "NOUN"), None)
    if obj is None or obj.lemma not in lex.ACTION_NOUNS:
        return []
    if subject_is_actor(toks, i) and not reported_before(toks, i):
        return [Decision("call", conf.ACTOR_SUPPORT, False, trigger=i)]
    return []


def actor_offer(toks: list[Tok], i: int) -> Found:
    """An actor announces its own action: « X a proposé d'accueillir »."""
    n, lem = len(toks), toks[i].lemma
    if lem != "proposer" or i + 2 >= n or low(toks[i + 1]) not in ("de", "d'"):
        return None
    if toks[i + 2].lemma not in lex.HOST_INF:
        return None
    if subject_is_actor(toks, i):
        return [Decision("engagement", conf.ACTOR_OFFER, False, announce=True, trigger=i)]
    return []


def actor_commitment(toks: list[Tok], i: int) -> Found:
    """« X s'engage à », « X s'est engagé à »."""
    if toks[i].lemma != "engager":
        return None
    reflexive = i > 0 and low(toks[i - 1]) in ("s'", "se")
    compound = i > 1 and toks[i - 1].lemma == "être" and low(toks[i - 2]) == "s'"
    if not (reflexive or compound):
        return None
    if subject_is_actor(toks, i):
        return [Decision("engagement", conf.ACTOR_COMMITMENT, False, announce=True, trigger=i)]
    return []


def actor_future(toks: list[Tok], i: int) -> Found:
    """Future or future-in-the-past of a named actor's own action: « X accueillera »."""
    t, lem = toks[i], toks[i].lemma
    if not (
        t.pos == "VERB"
        and t.verbform == "Fin"
        and (t.tense == "Fut" or t.mood == "Cnd")
        and lem not in ("être", "avoir", "pouvoir", "devoir", "falloir", "sembler", "valoir")
        and lem not in lex.ENABLE
        and t.person != "1"
        and t.text.isalpha()
        and len(t.text) > 3
    ):
        return None
    if subject_is_actor(toks, i):
        return [Decision("engagement", conf.ANNOUNCEMENT, False, announce=True, trigger=i)]
    return None


def nominal_enabling(toks: list[Tok], i: int) -> Found:
    """A nominalised action with an enabling verb in the future: « le renforcement … permettra »,
    « Le fait de renforcer … permettra », « l'amélioration de … peut permettre »."""
    t, n = toks[i], len(toks)
    enabling = t.lemma in lex.ENABLE and t.pos == "VERB" and t.verbform == "Fin"
    via_modal = t.lemma == "pouvoir" and t.verbform == "Fin" and i + 1 < n and toks[i + 1].lemma in lex.ENABLE
    if not (enabling or via_modal):
        return None
    fut = t.tense == "Fut" or t.mood == "Cnd" or via_modal or (i > 0 and toks[i - 1].lemma == "pouvoir")
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
        and (lex.NOMINAL_SUFFIX.search(nxt.low) or nxt.low in ("fait", "mise", "prise"))
    ) or (head.low == "en" and nxt.verbform == "Part")
    fait_de = nxt.low == "fait" and h + 2 < n and low(toks[h + 2]) in ("de", "d'")
    if starts_nominal and (fut or fait_de) and not past_verb(toks, i):
        return [Decision("recommendation", conf.NOMINAL_ENABLING, False, trigger=i)]
    return []


# in the order they are tried at each token
CONSTRUCTIONS = (
    first_person,
    coordinated_first_person,
    deontic_modal,
    falloir,
    impersonal,
    necessity_adjective,
    necessity_verb,
    third_person_call,
    decides,
    actor_support,
    actor_offer,
    actor_commitment,
    actor_future,
    nominal_enabling,
)
