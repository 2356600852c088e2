"""The cheap prefilter: only sentences that pass it reach spaCy, which makes extraction fast.

Regular expressions on word forms: a sentence with none of these stems cannot be an item
(except a list item opening with a verb, which the pipeline always annotates).
"""

from __future__ import annotations

import re

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
    r"|\bdécid(?:e|ent|é)\b|\bsoutien(?:t|nent)\b|\bappui(?:e|ent)\b|\bexig|\brequi[eè]r|\bfait de\b"
    r"|\b(?:nécessité|importance|besoin|urgence)\s+d|\bcontinue\s+d|\b(?:crée|établit|proroge|institue|convoque)\b"
    r"|\b(?:réitère|renouvelle|lance)\s+(?:son|un|l['’])\s*appel",
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
    r"|\bkey\b|fundamental|\bexhort|\bdirects\b|authori[sz]es|\bmandates\b|\bagrees\b|\bimportance\b"
    r"|\b(?:establishes|creates|launches|convenes|extends|designates|proclaims|institutes)\b",
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
