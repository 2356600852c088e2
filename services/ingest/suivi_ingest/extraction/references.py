"""Which body "the Forum", "the Compact", "the Commission" or "the Panel" means.

A short reference means the body of that family the document named last before it: in a
passage about the WSIS Forum, "the Forum" is the WSIS Forum, not the IGF. `resolve` adds
a token (`@igf`, `@gdc`, `@cstd`, `@wsis`, `@ai_body`) for each reference that points at
a body the topics know; references to other bodies add nothing.
"""

from __future__ import annotations

import re
from bisect import bisect_left

# capitalised words before a name, the article excepted ("The Forum" is a reference, not a name)
_CAPS_WORDS = r"(?:(?!(?:The|Le|La|This|Ce|Cette|Du|Au) )[A-Z][\w-]+ )+"
# family → [(token or "" for another body of that family, pattern of its full name)]
_NAMES: dict[str, list[tuple[str, str]]] = {
    "forum": [
        (
            "",
            r"WSIS Forum|Forum (?:du|of the) (?:SMSI|WSIS)|_CAPSForum(?<!Governance Forum)"
            r"|Forum (?:on|for|of|de|des|du|d'|sur) (?!(?:la )?(?:Internet Governance|gouvernance d))",
        ),
        (
            "@igf",
            r"\bIGF\b|\bFGI\b|Internet Governance Forum|Forum sur la gouvernance d[e’']\s?l?[’']?Internet",
        ),
    ],
    "compact": [
        ("@gdc", r"Global Digital Compact|Pacte numérique mondial|\bGDC\b"),
        ("", r"(?<!Digital )Global Compact|Pacte mondial(?! numérique)"),
    ],
    "commission": [
        (
            "@cstd",
            r"\bCSTD\b|Commission on Science and Technology for Development"
            r"|Commission de la science et de la technique",
        ),
        ("", r"_CAPSCommission|Commission (?:on|for|of|de|des|du|d')(?! ?(?:la )?[Ss]cience)"),
    ],
    "panel": [
        (
            "@ai_body",
            r"(?:Panel|Dialogue) on Artificial Intelligence|Groupe[^.]{0,40}intelligence artificielle",
        ),
        ("", r"_CAPSPanel(?! on Artificial)"),
    ],
    "summit": [
        ("@wsis", r"World Summit on the Information Society|Sommet mondial sur la société de l'information"),
        ("", r"Summit of the Future|Sommet de l'avenir|_CAPSSummit(?! on the Information)"),
    ],
}
_ALIASES: dict[str, str] = {
    "forum": r"\b(?i:the|le|du|au|ce|this) Forum\b(?! (?:du|of|on|for|de|des|sur)\b)",
    "compact": r"\b(?i:the|le|du|au|ce|this) (?:Compact|Pacte)\b(?! (?:mondial|numérique|for|pour))",
    "commission": r"\b(?i:the|la|de la|à la|this|cette) Commission\b(?! (?:on|de|for|des|du)\b)",
    "panel": r"\b(?i:the|le|du|au|this) (?:Panel|Dialogue|Groupe)\b(?! (?:on|de|des|du|sur)\b)",
    "summit": r"\b(?i:the|le|du|au) (?:Summit|Sommet)\b(?! (?:on|of|de|du|sur)\b)",
}
_NAME_RE = {
    family: [(tok, re.compile(p.replace("_CAPS", _CAPS_WORDS))) for tok, p in names]
    for family, names in _NAMES.items()
}
_ALIAS_RE = {family: re.compile(p) for family, p in _ALIASES.items()}


class References:
    """The named bodies of one document, by position, to resolve short references against."""

    def __init__(self, text: str):
        self._mentions: dict[str, tuple[list[int], list[str]]] = {}
        for family, names in _NAME_RE.items():
            found = sorted((m.start(), tok) for tok, rx in names for m in rx.finditer(text))
            self._mentions[family] = ([pos for pos, _ in found], [tok for _, tok in found])

    def resolve(self, item: str, start: int) -> str:
        """Tokens of the bodies the short references of ``item`` (at ``start`` in the text) mean."""
        tokens = []
        for family, alias in _ALIAS_RE.items():
            for m in alias.finditer(item):
                token = self._named_before(family, item[: m.start()], start)
                if token:
                    tokens.append(token)
        return " ".join(dict.fromkeys(tokens))

    def _named_before(self, family: str, item_before: str, start: int) -> str:
        inside = [(m.start(), tok) for tok, rx in _NAME_RE[family] for m in rx.finditer(item_before)]
        if inside:
            return max(inside)[1]
        positions, tokens = self._mentions[family]
        k = bisect_left(positions, start) - 1
        return tokens[k] if k >= 0 else ""
