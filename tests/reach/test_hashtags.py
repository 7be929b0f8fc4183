"""Hashtag normalisation and matching: case, accents, Unicode forms, full-width ＃, whole tags."""

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from advocacy.reach import hashtags

WANTED = {hashtags.normalize("AvecPôleEmploi")}


@pytest.mark.parametrize(
    "text",
    [
        "Fiers de notre équipe #AvecPôleEmploi",
        "#avecpoleemploi en Bretagne",
        "#AVECPÔLEEMPLOI !",
        "#AvecPoleEmploi, #emploi",
        "Bravo ＃AvecPôleEmploi",  # full-width number sign
        "Bravo ＃ＡｖｅｃＰôｌｅＥｍｐｌｏｉ",  # full-width letters
        unicodedata.normalize("NFD", "#AvecPôleEmploi décomposé"),
        "(#AvecPôleEmploi)",
        "#AvecPôleEmploi's team",
        "fin de phrase.#AvecPôleEmploi",
        "ligne\n#AvecPôleEmploi\nsuite",
    ],
)
def test_spellings_of_the_tag_match(text):
    assert hashtags.match(text, WANTED) == ["avecpoleemploi"]


@pytest.mark.parametrize(
    "text",
    [
        "#AvecPôleEmploiRecrute",
        "#AvecPôleEmploi2026",
        "#AvecPôleEmploi_Bzh",
        "AvecPôleEmploi sans dièse",
        "mot#AvecPôleEmploi",
        "https://exemple.fr/page#AvecPôleEmploi",
        "&#AvecPôleEmploi",
        "#Avec PôleEmploi",
        "##AvecPôleEmploi",
    ],
)
def test_other_tags_and_non_tags_do_not_match(text):
    assert hashtags.match(text, WANTED) == []


def test_tags_given_apart_from_the_text_match_the_same_way():
    assert hashtags.match("", WANTED, extra_tags=["AVECPOLEEMPLOI"]) == ["avecpoleemploi"]
    assert hashtags.match("", WANTED, extra_tags=["AvecPoleEmploiRecrute"]) == []


def test_result_is_sorted_and_unique():
    wanted = {"avecpoleemploi", "tweetecommepoleemploi"}
    text = "#TweeteCommePoleEmploi #AvecPôleEmploi #avecpoleemploi"
    assert hashtags.match(text, wanted) == ["avecpoleemploi", "tweetecommepoleemploi"]


def test_a_run_of_digits_is_not_a_tag():
    assert hashtags.extract("#1 #2026 #a1") == ["a1"]


def test_spelling_variants_for_search():
    assert hashtags.spelling_variants("#AvecPôleEmploi") == ["AvecPôleEmploi", "AvecPoleEmploi"]
    assert hashtags.spelling_variants("TweeteCommePoleEmploi") == ["TweeteCommePoleEmploi"]


def test_field_form_finds_whole_tags():
    stored = hashtags.to_field(["b", "a", "a"])
    assert stored == " a b "
    assert " a " in stored and " ab " not in stored
    assert hashtags.from_field(stored) == ["a", "b"]
    assert hashtags.to_field([]) == ""


tag_text = st.text(
    alphabet=st.characters(categories=["Lu", "Ll", "Nd"], max_codepoint=0x17F), min_size=1, max_size=20
).filter(lambda s: hashtags.extract(f"#{s}") == [unicodedata.normalize("NFKC", s)])


@given(tag_text)
def test_normalize_is_idempotent(tag):
    once = hashtags.normalize(tag)
    assert hashtags.normalize(once) == once


@given(tag_text)
def test_case_accents_and_unicode_form_do_not_matter(tag):
    key = hashtags.normalize(tag)
    assert hashtags.normalize(unicodedata.normalize("NFD", tag)) == key
    assert hashtags.normalize(unicodedata.normalize("NFKD", tag)) == key
    swapped = tag.swapcase()
    if swapped.casefold() == tag.casefold():  # a few letters change length when their case changes
        assert hashtags.normalize(swapped) == key


@given(tag_text)
def test_a_written_tag_is_found_whatever_its_spelling(tag):
    key = hashtags.normalize(tag)
    assert hashtags.match(f"du texte #{tag} encore", {key}) == [key]
    assert hashtags.match(f"du texte ＃{unicodedata.normalize('NFD', tag)}", {key}) == [key]


@given(tag_text, st.text(alphabet=st.characters(categories=["Lu", "Ll", "Nd"]), min_size=1, max_size=5))
def test_a_longer_tag_is_another_tag(tag, suffix):
    key = hashtags.normalize(tag)
    longer = hashtags.normalize(tag + suffix)
    found = hashtags.match(f"#{tag}{suffix}", {key})
    assert found == ([key] if longer == key else [])


@given(st.text(max_size=200))
def test_match_never_fails_and_returns_followed_tags_only(text):
    assert set(hashtags.match(text, WANTED)) <= WANTED


BATCH = [
    "Fiers de notre équipe #AvecPôleEmploi",
    "#avecpoleemploi en Bretagne #AvecPoleEmploi #emploi",
    "#emploi seulement",
    "#123",
    "#123 #AvecPôleEmploi",
    "",
    "pas de tag",
    "ligne\n#AvecPôleEmploi\nsuite",
    "abc#AvecPôleEmploi &#39;",
    "#AvecPôleEmploiRecrute",
    "Fiers de notre équipe #AvecPôleEmploi",
]


@pytest.mark.parametrize(
    "texts",
    [
        BATCH,
        BATCH + ["Bravo ＃AvecPôleEmploi"],  # one text out of NFKC: each is matched alone
        [unicodedata.normalize("NFD", "#AvecPôleEmploi décomposé"), *BATCH],
        [],
    ],
)
def test_a_batch_of_texts_matches_as_each_text_alone(texts):
    wanted = WANTED | {"emploi"}
    assert hashtags.match_fields(texts, wanted) == [hashtags.match_field(text, wanted) for text in texts]


@given(st.lists(st.text(alphabet="#＃aAéE1 \n_&/ô\u0301", max_size=30), max_size=20))
def test_match_fields_is_match_field_on_each_text(texts):
    wanted = WANTED | {"a", "e1", "ae"}
    assert hashtags.match_fields(texts, wanted) == [hashtags.match_field(text, wanted) for text in texts]
