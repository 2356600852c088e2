"""Rules on small hand-written texts of the family (English and French), one behaviour a test."""

from __future__ import annotations

import pytest
from suivi_ingest.extraction import Extractor


@pytest.fixture(scope="module")
def ex() -> Extractor:
    return Extractor()


def _kinds(ex, text, lang):
    return [(i.kind, i.text) for i in ex.extract(text, "t.txt", lang)]


RESOLUTION_EN = """I. Internet governance

5. We recognize the need to promote greater participation of developing countries in Internet governance.

6. We extend the existing mandate of the Internet Governance Forum for another 10 years.

8. Requests the Secretary-General to submit annually to the General Assembly a report on the progress made;

9. Decides to convene a high-level meeting on the overall review in 2025;

11. The Forum was held in Joao Pessoa in 2015 and attracted 2,400 participants.
"""


def test_english_resolution(ex):
    items = ex.extract(RESOLUTION_EN, "res.txt", "en")
    assert [(i.locator, i.kind) for i in items] == [
        ("§5", "recommendation"),
        ("§6", "engagement"),
        ("§8", "call"),
        ("§9", "engagement"),
    ]
    assert "igf_mandate" in items[1].topics
    assert items[3].deadline == "2025"


def test_english_reported_speech_is_not_an_item(ex):
    text = (
        "12. Participants stressed that cloud services should be regulated. The session was well attended. "
        "The Government of Japan announced that it would host the 2023 meeting of the Forum in Kyoto.\n"
    )
    items = ex.extract(text, "summary.txt", "en")
    assert [i.kind for i in items] == ["engagement"]
    assert items[0].deadline == "2023"


def test_french_reported_speech_and_announcement(ex):
    text = (
        "10. Plusieurs intervenants ont souligné qu'il était essentiel de protéger la vie privée. "
        "Le Gouvernement du Kenya a proposé d'accueillir la sixième réunion du Forum en 2011.\n"
    )
    items = ex.extract(text, "resume.txt", "fr")
    assert [i.kind for i in items] == ["engagement"]
    assert items[0].deadline == "2011"


def test_french_performatives(ex):
    text = (
        "1. Nous exhortons les États à adopter des lois sur la protection des données.\n\n"
        "2. Nous nous engageons à réduire la fracture numérique d'ici 2030.\n\n"
        "3. Nous notons que le commerce électronique augmente.\n\n"
        "4. Il est essentiel de renforcer les capacités des pays en développement.\n\n"
        "5. Le Conseil est invité à prendre note du présent document.\n\n"
        "6. Il est important de noter que le SMSI a adopté une définition.\n"
    )
    assert [k for k, _ in _kinds(ex, text, "fr")] == ["call", "engagement", "recommendation"]


def test_lead_in_sub_items_inherit_kind(ex):
    text = (
        "74. Nous prenons l'engagement d'oeuvrer en faveur du multilinguisme. "
        "De ce fait, nous souhaitons insister sur la nécessité:\n"
        "a) de faire progresser l'adoption du multilinguisme;\n"
        "b) de mettre en oeuvre des programmes de noms de domaine multilingues. (Adopté)\n"
    )
    items = ex.extract(text, "t.txt", "fr")
    assert [(i.locator, i.kind, i.negotiation_status) for i in items] == [
        ("§74", "engagement", "adopted"),
        ("§74 a)", "call", "adopted"),
        ("§74 b)", "call", "adopted"),
    ]


def test_inline_roman_sub_items(ex):
    text = (
        "- Certains aspects sur lesquels il faut travailler pour renforcer le FGI incluent (i) la nécessité "
        "d'une coordination avec d'autres espaces ; (ii) obtenir un financement plus robuste ; (iii) établir "
        "un mandat plus long.\n"
    )
    items = ex.extract(text, "t.txt", "fr")
    assert [i.locator.rsplit(" ", 1)[-1] for i in items] == ["(i)", "(ii)", "(iii)"]
    assert "funding" in items[1].topics and all("igf_mandate" in i.topics for i in items)


def test_priorities_need_an_action_lead_in(ex):
    text = (
        "Chaque article visait trois objectifs :\n\n"
        "a) Mettre en lumière la progression du dialogue;\n\n"
        "b) Évaluer les progrès accomplis.\n\n"
        "# Nos objectifs\n\n"
        "- Renouveler le mandat du Forum sur la gouvernance de l'Internet avec un financement durable\n"
    )
    items = ex.extract(text, "t.txt", "fr")
    assert [i.kind for i in items] == ["priority"]
    assert set(items[0].topics) >= {"igf_mandate", "funding"}


RESOLUTION_FR = """L'Assemblée générale,

Rappelant sa résolution 68/302 du 31 juillet 2014,

Notant avec préoccupation que la fracture numérique persiste,

1. Décide de proroger de dix ans le mandat du Forum sur la gouvernance d'Internet;

2. Prie le Secrétaire général de lui présenter chaque année un rapport sur les progrès accomplis;

3. Engage vivement toutes les parties prenantes à renforcer la participation des pays en développement;

4. Prend note du rapport du Secrétaire général;

5. Se félicite de la tenue de la dixième réunion du Forum à João Pessoa (Brésil) en 2015;

6. Exhorte les États à combler la fracture numérique entre les sexes d'ici à 2030;
"""


def test_french_resolution_operative_paragraphs(ex):
    items = ex.extract(RESOLUTION_FR, "res.txt", "fr")
    assert [(i.locator, i.kind) for i in items] == [
        ("§1", "engagement"),
        ("§2", "call"),
        ("§3", "call"),
        ("§6", "call"),
    ]
    assert "igf_mandate" in items[0].topics
    assert items[3].deadline == "2030"


MESSAGES_EN = """# Digital Trust and Resilience

## IGF Messages

- Digital public infrastructure (DPI) should be designed with privacy by default.
- The IGF has proven to be a valuable platform for dialogue.
- Participants called for a permanent mandate for the IGF.
- Stakeholders are encouraged to contribute to the IGF Trust Fund.
- It is important to note that several national IGFs were created in 2024.
"""


def test_english_messages(ex):
    items = ex.extract(MESSAGES_EN, "messages.txt", "en")
    assert [i.kind for i in items] == ["recommendation", "call", "call"]
    # the heading names the IGF as the source of the messages, not as their subject
    assert "igf_mandate" not in items[0].topics
    # a reported appeal is kept because it bears on a mission topic, with low confidence
    assert items[1].confidence < 0.5 and "igf_mandate" in items[1].topics
    assert {"igf_mandate", "funding"} <= set(items[2].topics)


def test_empty_and_short_texts(ex):
    assert ex.extract("", "empty.txt") == []
    assert [i.kind for i in ex.extract("States should act.", "short.txt")] == ["recommendation"]
    assert [i.kind for i in ex.extract("Les États devraient agir.", "court.txt")] == ["recommendation"]


def test_one_extractor_shared_by_threads(ex):
    from concurrent.futures import ThreadPoolExecutor

    texts = [RESOLUTION_EN, RESOLUTION_FR, MESSAGES_EN] * 2
    langs = ["en", "fr", "en"] * 2
    expected = [[i.to_dict() for i in ex.extract(t, "t", lang)] for t, lang in zip(texts, langs, strict=True)]
    with ThreadPoolExecutor(max_workers=3) as pool:
        got = list(
            pool.map(
                lambda tl: [i.to_dict() for i in ex.extract(tl[0], "t", tl[1])],
                zip(texts, langs, strict=True),
            )
        )
    assert got == expected


# A third-person resolution as a PDF's text layer gives it: paragraph numbers and sub-item
# letters alone on their line, page furniture (symbol, job number, page "n/m", a running
# title over two lines) and footnotes in the middle of a paragraph.
PDF_RESOLUTION_EN = """United Nations
A/RES/99/7

General Assembly
Distr.: General
3 March 2031
31-01234 (E)

The General Assembly,

Recalling its earlier resolutions on open data for development,1

1.
Requests the Secretary-General to publish an annual inventory of public data
portals that serve the Sustainable Development Goals 2 and to make it available to
_______________

1 Resolutions 90/1 and 91/2.

2 Resolution 70/1.

A/RES/99/7
Open data for
sustainable development

31-01234
2/3

all Member States;

2.
Calls upon Member States to:

(a)
Publishing the data sets that their ministries
hold in open formats;

(b)
Training civil servants in the management of open data;

A/RES/99/7
Open data for
sustainable development

31-01234
3/3

3.
Decides to remain seized of the matter.
"""


def test_pdf_resolution_layout(ex):
    items = ex.extract(PDF_RESOLUTION_EN, "res.txt", "en")
    assert [(i.locator, i.kind) for i in items] == [
        ("§1", "call"),
        ("§2 (a)", "call"),
        ("§2 (b)", "call"),
        ("§3", "engagement"),
    ]
    assert items[0].text.endswith("to make it available to all Member States")
    assert "Resolutions 90/1" not in items[0].text and "31-01234" not in items[0].text
    assert items[1].text == "Publishing the data sets that their ministries hold in open formats"


THIRD_PERSON_EN = """The General Assembly,

Recalling its resolution on rural broadband adopted last year,

Stressing the need to connect every school to the Internet,

1. Welcomes the progress made by the regional commissions, and invites Member States to share their national broadband plans;

2. Notes that three new submarine cables were laid in the region this year;

3. Recognizes the need to train teachers in digital skills;

4. Reaffirms its commitment to universal connectivity, and requests the Secretary-General to report on its progress;

5. Also calls upon donors to fund community networks in rural areas;

6. Recognizes the role of the regional commissions in the follow-up of the summit;

7. Emphasizes, in this regard, the vital importance of local content in local languages;

8. Reiterates its call for open standards in public procurement;
"""


def test_third_person_operative_paragraphs(ex):
    items = ex.extract(THIRD_PERSON_EN, "res.txt", "en")
    assert [(i.locator, i.kind) for i in items] == [
        ("§1", "call"),  # one item, the strongest of its verbs: welcomes, and invites
        ("§3", "recommendation"),
        ("§4", "engagement"),
        ("§5", "call"),
        ("§7", "recommendation"),
        ("§8", "call"),
    ]
    assert items[0].text.startswith("Welcomes the progress") and items[0].text.endswith("broadband plans")


ESTABLISHING_EN = """The General Assembly,

1. Establishes an advisory board on open data, composed of twelve experts, with the following functions:

(a) To review the national open data plans every two years;

(b) To advise the regional commissions on data standards;

2. Calls upon Member States and other stakeholders:

(a) To publish their budgets in open formats;

(b) To protect personal data in public registers;

3. Continues to encourage the regional commissions to share good practices;

4. Requests the Secretary-General to report on the board, and decides to include the item in its next agenda;
"""


def test_operative_acts_lead_ins_and_procedural_decisions(ex):
    items = ex.extract(ESTABLISHING_EN, "res.txt", "en")
    assert [(i.locator, i.kind) for i in items] == [
        ("§1", "engagement"),
        ("§1 (a)", "engagement"),
        ("§1 (b)", "engagement"),
        # the lead-in that only names who is asked is not an item of its own
        ("§2 (a)", "call"),
        ("§2 (b)", "call"),
        ("§3", "call"),
        ("§4", "call"),  # a closing procedural decision does not outrank the request
    ]


FIRST_PERSON_LISTS_EN = """Objective 3. Open data

20. We will:

(a) Call on digital platforms to publish yearly transparency reports;

(b) Support community networks in rural and remote areas;

21. We recognize the role of libraries in digital literacy, and call for their inclusion in national plans.

22. We:

(a) Encourage donors to fund open data portals;

(b) Commit to publish our own budgets in open formats.
"""

FIRST_PERSON_LISTS_FR = """Objectif 3. Données ouvertes

20. Nous :

a) Appellerons les plateformes numériques à publier chaque année un rapport de transparence ;

b) Soutiendrons les réseaux communautaires dans les zones rurales ;

21. Nous reconnaissons le rôle des bibliothèques dans l'éducation au numérique, et appelons à leur inclusion dans les plans nationaux.
"""


def test_first_person_lead_ins_and_coordinated_verbs(ex):
    items = ex.extract(FIRST_PERSON_LISTS_EN, "gdc.txt", "en")
    assert [(i.locator, i.kind) for i in items] == [
        ("§20 (a)", "engagement"),  # "We will: (a) Call on …" inherits the lead-in's kind
        ("§20 (b)", "engagement"),
        ("§21", "call"),  # the strongest of "we recognize …, and call for …"
        ("§22 (a)", "call"),  # "We: (a) Encourage …" reads "We encourage …"
        ("§22 (b)", "engagement"),
    ]
    assert "platforms" in items[0].actors  # the addressee of the call
    items = ex.extract(FIRST_PERSON_LISTS_FR, "pacte.txt", "fr")
    assert [(i.locator, i.kind) for i in items] == [
        ("§20 a)", "engagement"),  # « Nous : a) Appellerons … »: what we will do
        ("§20 b)", "engagement"),
        ("§21", "call"),
    ]
    assert items[2].text.endswith("dans les plans nationaux.")


THIRD_PERSON_FR = """L'Assemblée générale,

Rappelant sa résolution sur le haut débit rural adoptée l'an dernier,

Soulignant la nécessité de connecter chaque école à Internet,

1. Se félicite des progrès accomplis par les commissions régionales, et invite les États Membres à partager leurs plans nationaux pour le haut débit ;

2. Note que trois nouveaux câbles sous-marins ont été posés dans la région cette année ;

3. Souligne la nécessité de former les enseignants aux compétences numériques ;

4. Réaffirme son engagement en faveur de la connectivité universelle, et prie le Secrétaire général de lui faire rapport sur les progrès accomplis ;

5. Demande également aux donateurs de financer les réseaux communautaires dans les zones rurales ;

6. Reconnaît le rôle des commissions régionales dans le suivi du Sommet ;

7. Continue d'encourager les commissions régionales à partager leurs bonnes pratiques ;

8. Prie le Secrétaire général de lui présenter un rapport, et décide d'inscrire la question à l'ordre du jour de sa prochaine session ;
"""


def test_french_third_person_operative_paragraphs(ex):
    items = ex.extract(THIRD_PERSON_FR, "res.txt", "fr")
    assert [(i.locator, i.kind) for i in items] == [
        ("§1", "call"),  # « Se félicite …, et invite … »: one item, its strongest verb
        ("§3", "recommendation"),
        ("§4", "engagement"),
        ("§5", "call"),
        ("§7", "call"),
        ("§8", "call"),  # the closing « et décide d'inscrire … » is procedural
    ]


def test_recurring_marker_lines_are_not_running_titles(ex):
    # « (a) » alone on its line in every list of a long resolution is a marker, not page furniture
    paragraphs = []
    for n in range(1, 5):
        paragraphs.append(
            f"{n}.\nCalls upon Member States, in area {n}:\n\n(a)\nTo publish open data on topic {n};\n"
        )
    items = ex.extract("The General Assembly,\n\n" + "\n".join(paragraphs), "res.txt", "en")
    assert [i.locator for i in items] == ["§1 (a)", "§2 (a)", "§3 (a)", "§4 (a)"]


def test_mandate_list_items_are_priorities(ex):
    text = (
        "15. We ask the Secretary-General to convene a new forum on open data.\n\n"
        "16. The mandate of the forum is to:\n\n"
        "(a) Discuss public policy issues of open data;\n\n"
        "(b) Advise all stakeholders on ways to publish data;\n"
    )
    items = ex.extract(text, "agenda.txt", "en")
    assert [(i.locator, i.kind) for i in items] == [
        ("§15", "call"),
        ("§16 (a)", "priority"),
        ("§16 (b)", "priority"),
    ]


def test_preambular_paragraphs_are_not_items(ex):
    fr = (
        "L'Assemblée générale,\n\n"
        "Se félicitant de l'engagement des États Membres, qui devraient renforcer leur coopération,\n\n"
        "Profondément préoccupée par la fracture numérique, qu'il faut réduire d'urgence,\n\n"
        "1. Prie le Secrétaire général de lui faire rapport à sa prochaine session ;\n"
    )
    en = (
        "The General Assembly,\n\n"
        "Stressing that Member States should strengthen their cooperation,\n\n"
        "Deeply concerned that the digital divide must be narrowed urgently,\n\n"
        "1. Requests the Secretary-General to report to it at its next session;\n"
    )
    assert [i.locator for i in ex.extract(fr, "res.txt", "fr")] == ["§1"]
    assert [i.locator for i in ex.extract(en, "res.txt", "en")] == ["§1"]


def test_a_relative_clause_is_no_operative_clause(ex):
    text = (
        "The General Assembly,\n\n"
        "1. Recognizes the growth of community networks, that will help to connect rural areas;\n\n"
        "2. Welcomes the new regional centres, and in that regard invites donors to support them;\n"
    )
    assert [(i.locator, i.kind) for i in ex.extract(text, "res.txt", "en")] == [("§2", "call")]


def test_roman_items_under_a_lettered_lead_in(ex):
    text = (
        "The General Assembly,\n\n"
        "1. Decides to take the following measures:\n\n"
        "(a) Requests the Secretary-General to act as follows:\n\n"
        "(i) To publish a report on open data;\n\n"
        "(ii) To convene a meeting of experts;\n\n"
        "(b) To review the matter in 2030;\n\n"
        "(c) In the field of health:\n\n"
        "(i) To share medical data;\n"
    )
    assert [(i.locator, i.kind) for i in ex.extract(text, "res.txt", "en")] == [
        ("§1 (a) (i)", "call"),  # the lettered item's request, not the paragraph's decision
        ("§1 (a) (ii)", "call"),
        ("§1 (b)", "engagement"),
        ("§1 (c) (i)", "engagement"),  # (c) asks nothing itself: the paragraph's lead-in holds
    ]


def test_subject_and_auxiliary_lead_ins(ex):
    fr = (
        "Objectif 4. Coopération\n\n30. Nous allons :\n\n"
        "a) Renforcer la coopération entre les commissions régionales ;\n\n"
        "b) Soutenir les réseaux communautaires.\n"
    )
    en = (
        "Objective 4. Cooperation\n\n30. We will also:\n\n"
        "(a) Strengthen cooperation among the regional commissions;\n\n"
        "(b) Call on donors to fund community networks.\n"
    )
    # « Nous allons : a) Renforcer … » reads « Nous allons renforcer … »: what we will do
    assert [i.kind for i in ex.extract(fr, "x.txt", "fr")] == ["engagement", "engagement"]
    assert [i.kind for i in ex.extract(en, "x.txt", "en")] == ["engagement", "engagement"]
