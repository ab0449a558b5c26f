"""Canonical names: folding, short forms within an article, merges across articles."""

import pytest

from transforms.resolve import KeyCount, fold_name, merge_keys, person_for


@pytest.mark.parametrize("text, name", [
    ("Foreign Minister Sergei Lavrov", "Sergei Lavrov"),
    ("President Vladimir Putin", "Vladimir Putin"),
    ("Putin’s", "Putin"),
    ("Russia s", "Russia"),
    ("U.S.", "U.S."),
])
def test_titles_and_possessives_are_folded(text, name):
    assert fold_name(text) == name


def test_a_short_form_resolves_to_the_full_name_whatever_its_case():
    people = ["Staffan de Mistura", "Vladimir Putin"]
    assert person_for("De Mistura", people) == "Staffan de Mistura"
    assert person_for("Putin", people) == "Vladimir Putin"
    assert person_for("Lavrov", people) is None


def keys(*rows):
    return [KeyCount(key, key.split(":")[0], key, n) for key, n in rows]


def test_spelling_variants_of_a_first_name_merge_into_the_most_mentioned():
    merged = merge_keys(keys(("PERSON:sergei lavrov", 5), ("PERSON:sergey lavrov", 1)))
    assert merged["PERSON:sergey lavrov"] == "PERSON:sergei lavrov"


def test_ner_label_slips_of_a_known_person_merge_into_the_person():
    merged = merge_keys(keys(("PERSON:staffan de mistura", 3), ("ORG:de mistura", 2), ("GPE:?:de mistura", 1),
                             ("PERSON:de mistura", 2)))
    assert {merged[k] for k in merged} == {"PERSON:staffan de mistura"}


def test_a_short_form_shared_by_two_people_is_left_alone():
    merged = merge_keys(keys(("PERSON:sergei lavrov", 3), ("PERSON:anna lavrov", 3), ("PERSON:lavrov", 1)))
    assert merged["PERSON:lavrov"] == "PERSON:lavrov"


def test_resolved_places_never_become_people():
    merged = merge_keys(keys(("PERSON:michael jordan", 3), ("GPE:JO", 4)))
    assert merged["GPE:JO"] == "GPE:JO"
