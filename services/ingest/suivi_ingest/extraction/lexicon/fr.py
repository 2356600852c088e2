"""French word lists (lemmas unless said otherwise)."""

from __future__ import annotations

import re

# --- preambular paragraphs of resolutions: « Rappelant sa résolution …, » — not items
PREAMBLE_OPENING = re.compile(
    r"^(?:[A-ZÉ][a-zéèêîôû]+ant|Consciente?s?|Préoccupée?s?|Convaincue?s?|Profondément|Gravement"
    r"|Résolue?s?|Soucieuse?s?|Sachant|Ayant|Guidée?s?|Alarmée?s?|Inquiète?s?)\b"
)
