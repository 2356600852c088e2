"""English word lists (lower-case word forms; the English pipeline has no tagger)."""

from __future__ import annotations

import re

ENGAGE = {
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
ENGAGE_ADJ = {"determined", "committed", "resolved", "ready", "dedicated"}
CALL = {
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
CALL_3P = {
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
DECIDE_3P = {"decides", "resolves", "commits", "pledges", "undertakes", "agrees"}
PERFORMATIVE = {
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
NOTE = {
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
NEED_ADJ = {
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
STRONG_ADJ = {"necessary", "imperative", "urgent", "indispensable", "needed", "required"}
REPORT = {
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
HOST = {"host", "organize", "organise", "fund", "provide", "contribute", "support", "convene", "launch"}
MODAL = {"should", "must", "shall", "ought"}
ENABLE = {
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
VERB_START = set(
    """ensure strengthen promote renew support develop build foster enhance improve increase expand establish
    create adopt implement invest protect reaffirm continue make provide adhere affirm advance accelerate
    address align bridge close combat commit complement connect coordinate deepen deliver design empower
    enable encourage engage enforce evolve facilitate finance fund guarantee harmonize harmonise include
    integrate keep launch leverage maintain maximize mobilize mobilise modernize monitor open preserve
    prevent prioritize prioritise put recognize recognise reduce reform reinforce respect review safeguard
    scale secure set share step streamline sustain tackle uphold update upgrade use work mainstream
    champion consolidate cooperate collaborate defend eliminate end extend grant help identify
    institutionalize involve measure offer place pursue raise reach recommit redouble respond restore
    simplify undertake prevent discuss advise interface publish assist conduct assess submit organize organise
    convene examine elaborate formulate explore consider analyse analyze prepare participate refrain
    seek give take harness advocate call urge request invite report""".split()
)

FIRST_PERSON_ADVERBS = {
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
}
# verbs that "we" may govern after a first clause: "We recognize …, and call for …"
COORDINATED_VERBS = {
    "call",
    "urge",
    "request",
    "encourage",
    "invite",
    "appeal",
    "commit",
    "recommit",
    "pledge",
    "resolve",
    "decide",
    "undertake",
    "reaffirm",
    "will",
    "shall",
    "must",
    "recognize",
    "recognise",
    "acknowledge",
    "stress",
    "emphasize",
    "emphasise",
    "underline",
}
# "it is particularly important to"
DEGREE_ADVERBS = {
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
}
# capitalised words before "will" that are no actor
NOT_ACTORS = {"it", "this", "that", "there", "which", "they", "these", "such"}
OFFERED_ACTIONS = {"host", "organize", "organise", "fund", "provide", "support", "contribute"}
# "Strengthening X will help …": sentences that open on an action
NOMINAL_OPENINGS = {
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
}

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
