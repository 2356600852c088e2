"""English word lists (lower-case word forms; the English pipeline has no tagger)."""

from __future__ import annotations

import re

# --- resolutions in the third person: "12. Requests the Secretary-General to …"
# Operative verbs that ask others to act, and the kind they give.
OPERATIVE_CALL = {
    "calls": "call",
    "urges": "call",
    "requests": "call",
    "encourages": "call",
    "invites": "call",
    "appeals": "call",
    "asks": "call",
    "exhorts": "call",
    "demands": "call",
    "directs": "call",
    "instructs": "call",
    "authorizes": "call",
    "authorises": "call",
    "mandates": "call",
    "requires": "call",
    "recommends": "recommendation",
}
# The Assembly acting by its own words: "Establishes the Panel", "Extends the mandate".
OPERATIVE_ACT = {
    "establishes",
    "creates",
    "launches",
    "convenes",
    "extends",
    "designates",
    "proclaims",
    "institutes",
}
# Operative verbs by which the Assembly itself acts or commits.
OPERATIVE_ENGAGE = {"decides", "resolves", "commits", "pledges", "undertakes", "agrees", "recommits"}
# Verbs that only note or stress something; with "the need / importance of" they recommend.
OPERATIVE_NOTE = {
    "recognizes",
    "recognises",
    "stresses",
    "emphasizes",
    "emphasises",
    "underlines",
    "underscores",
    "acknowledges",
    "notes",
    "affirms",
    "reaffirms",
    "reiterates",
    "highlights",
    "considers",
}
NEED_NOUNS = {"need", "necessity", "urgency", "importance", "imperative"}
# "reiterates its call / request / appeal": a renewed call is a call
CALL_NOUNS = {"call", "calls", "request", "requests", "appeal", "appeals"}
COMMITMENT_NOUNS = {"commitment", "commitments", "determination", "resolve", "pledge"}
# What may stand between a clause boundary and an operative verb: "…, and also urges",
# "…; further requests", "…, and in this regard calls upon"
CLAUSE_ADVERBS = {
    "also",
    "further",
    "furthermore",
    "strongly",
    "accordingly",
    "therefore",
    "thus",
    "hereby",
    "again",
    "once",
    "moreover",
    "in",
    "this",
    "that",
    "regard",
    "respect",
    "connection",
    "context",
    "particular",
    "addition",
}
CLAUSE_BOUNDARIES = {",", ";", ":", "and"}

# --- preambular paragraphs: "Recalling its resolution …," — not items (ANNOTATION.md)
PREAMBLE_OPENING = re.compile(
    r"^(?:[A-Z][a-z]+ing|Concerned|Conscious|Mindful|Aware|Convinced|Alarmed|Cognizant|Deeply|Gravely"
    r"|Seriously|Desirous|Guided|Encouraged|Appreciative|Determined|Bearing|Having)\b"
)
# Other verbs that open operative paragraphs (they ask nothing by themselves).
OPERATIVE_OTHER = {
    "welcomes",
    "takes",
    "looks",
    "expresses",
    "recalls",
    "regrets",
    "condemns",
    "deplores",
    "declares",
    "approves",
    "endorses",
    "adopts",
    "renews",
    "supports",
    "commends",
    "appreciates",
    "observes",
    "proclaims",
    "reiterates",
    "confirms",
    "continues",
}
OPERATIVE_OPENINGS = (OPERATIVE_CALL, OPERATIVE_ENGAGE, OPERATIVE_ACT, OPERATIVE_NOTE, OPERATIVE_OTHER)
