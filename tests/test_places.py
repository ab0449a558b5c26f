"""Place resolution against the offline GeoNames gazetteer."""

from transforms.places import is_generic_institution, resolve_demonym, resolve_place, story_country


def test_country_names_and_aliases_resolve_to_iso_codes():
    assert resolve_place("Syria").country_code == "SY"
    assert resolve_place("U.S.").country_code == "US"
    assert resolve_place("Britain").country_code == "GB"


def test_a_dominant_city_gets_its_country_and_coordinates():
    moscow = resolve_place("Moscow")
    assert (moscow.status, moscow.country_code) == ("city", "RU")
    assert round(moscow.latitude) == 56 and round(moscow.longitude) == 38


def test_a_city_name_without_a_clear_bearer_is_ambiguous_not_guessed():
    springfield = resolve_place("Springfield")
    assert (springfield.status, springfield.country_code, springfield.latitude) == ("ambiguous", None, None)


def test_unknown_names_are_kept_and_marked():
    assert resolve_place("Kremlin").status == "unknown"


def test_continents_are_regions_of_no_country():
    assert (resolve_place("Asia").status, resolve_place("Asia").country_code) == ("region", None)


def test_demonyms_link_to_their_country():
    assert resolve_demonym("Russian").key == resolve_place("Russia").key == "GPE:RU"


def test_every_country_s_demonym_and_its_plural_link_to_it():
    assert [resolve_demonym(name).country_code for name in ("Nigerian", "Kenyans", "Czechs", "Emirati")] == [
        "NG", "KE", "CZ", "AE"]


def test_a_demonym_several_countries_share_links_to_the_most_populous():
    assert resolve_demonym("Indian").country_code == "IN" and resolve_demonym("Dominican").country_code == "DO"


def test_a_demonym_the_project_marks_ambiguous_links_to_no_country():
    assert resolve_demonym("Kurdish") is None


def test_a_translated_alternate_name_is_not_the_city():
    assert resolve_place("White House").status == "unknown"  # GeoNames lists it for Casablanca


def test_a_rating_code_is_not_a_city():
    assert resolve_place("BB").status == "unknown"


def test_a_us_state_is_a_region_not_its_namesake_city():
    assert resolve_place("Oklahoma").status == "region" and resolve_place("New York").name == "New York City"


def test_a_name_made_only_of_institution_words_is_generic():
    assert is_generic_institution("Finance Ministry") and is_generic_institution("Central Bank")
    assert not is_generic_institution("Bank of Japan") and not is_generic_institution("Bundesbank")


def test_a_storys_country_is_its_datelines_before_the_most_mentioned():
    assert story_country("TOKYO", ["US", "US", "JP"]) == "JP"


def test_without_a_dateline_a_storys_country_is_the_most_mentioned_first_on_a_tie():
    assert story_country(None, ["BR", "US", "US", "BR"]) == "BR"
    assert story_country(None, []) is None


def test_a_renamed_country_resolves_under_its_old_name():
    assert resolve_place("Burma").country_code == "MM"
