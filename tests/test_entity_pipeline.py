"""End to end on seeds/: canonical entities, places and quotes through the real flow."""

from __future__ import annotations

import pytest

from flows.settings import load_settings
from tests.conftest import SEED_FILES, SEEDS, query, scalar, settled_copy
from tests.test_entities import entity_state, rebuilt_state
from warehouse.store import open_writer


@pytest.fixture(scope="module")
def seeded(prefect_api, tmp_path_factory):
    """One real flow run over seeds/ shared by this module's tests (what run_flow does, once), two
    files a batch so that the entity merge runs incrementally."""
    from flows.ingest import ingest

    root = tmp_path_factory.mktemp("entities")
    for name in SEED_FILES:
        settled_copy(SEEDS / name, root / "inbox" / name)
    db = root / "data" / "wirehouse.duckdb"
    ingest(root / "inbox", db, {"settle_seconds": 0, "batch_files": 2})
    return db


def entity(db, name: str) -> tuple:
    rows = query(db, "select entity_id, label, aliases, articles, country_code, latitude from entities "
                     "where name = ?", [name])
    assert len(rows) == 1, rows
    return rows[0]


def test_staffan_de_mistura_is_one_entity_in_five_articles(seeded):
    _, label, aliases, articles, _, _ = entity(seeded, "Staffan de Mistura")
    assert label == "PERSON" and articles >= 5 and "De Mistura" in aliases


def test_putin_resolves_to_vladimir_putin(seeded):
    _, _, aliases, _, _, _ = entity(seeded, "Vladimir Putin")
    assert {"Putin", "Vladimir Putin"} <= set(aliases)
    assert scalar(seeded, "select count(*) from entities where name = 'Putin'") == 0


def test_lavrov_spellings_and_title_are_one_entity(seeded):
    entity_id, _, aliases, _, _, _ = entity(seeded, "Sergei Lavrov")
    assert {"Lavrov", "Sergei Lavrov", "Sergey Lavrov"} <= set(aliases)
    assert scalar(seeded, "select count(distinct entity_id) from mentions where text like '%Lavrov'") == 1
    assert scalar(seeded, "select count(*) from mentions where text = 'Foreign Minister Sergei Lavrov' "
                          "and entity_id <> ?", [entity_id]) == 0


def test_places_resolve_to_countries_and_city_coordinates(seeded):
    assert entity(seeded, "Syria")[4] == "SY" and entity(seeded, "Russia")[4] == "RU"
    assert entity(seeded, "Geneva")[4] == "CH"
    _, _, aliases, _, country, latitude = entity(seeded, "Moscow")
    assert country == "RU" and round(latitude) == 56 and "Moscow" in aliases


def test_demonyms_are_their_country(seeded):
    assert "Russian" in entity(seeded, "Russia")[2]


def test_every_mention_has_an_entity(seeded):
    assert scalar(seeded, "select count(*) from mentions where entity_id is null") == 0
    assert scalar(seeded, "select count(*) from mentions where entity_id not in (select entity_id from entities)") == 0


def test_quotes_carry_their_speakers_entity(seeded):
    rows = query(seeded, "select e.name, q.text from quotes q join entities e on e.entity_id = q.speaker_entity_id")
    speakers = [name for name, _ in rows]
    assert len(rows) >= 8
    assert ("Dmitry Peskov", "It cannot be called anything but an ideal example of cooperation in fighting terrorism,") in rows
    assert "Staffan de Mistura" in speakers and "Vladimir Putin" in speakers


def test_quote_offsets_point_into_the_body(seeded):
    assert scalar(seeded, """select count(*) from quotes q join articles a using (article_id)
                              where substr(a.body, q.start_char + 1, q.end_char - q.start_char) <> q.text""") == 0


def test_entity_counts_equal_its_mentions_and_articles(seeded):
    assert scalar(seeded, """
        select count(*) from entities e join (
            select entity_id, count(*) as n, count(distinct article_id) as a from mentions group by entity_id
        ) m using (entity_id) where e.mentions <> m.n or e.articles <> m.a""") == 0


def test_entities_merged_batch_by_batch_equal_a_rebuild_from_every_mention(seeded):
    with open_writer(load_settings(db=seeded).lake) as con:  # the rebuild is rolled back
        assert entity_state(con) == rebuilt_state(con)


@pytest.mark.parametrize("name", ["Putin Iran", "Syria Staffan de Mistura", "Genevas", "Bashar al-Ja", "JERUSALEM",
                                  "U.S.-Russia", "U.N.-led", "Defence", "congress", "Reuters", "Nebenzia"])
def test_the_seeds_errors_analysts_spotted_are_gone(seeded, name):
    assert scalar(seeded, "select count(*) from entities where name = ?", [name]) == 0


def test_a_city_and_a_supermarket_are_not_people(seeded):
    assert entity(seeded, "Sochi")[1] == "GPE"
    assert entity(seeded, "Perekrestok")[1] == "ORG"


def test_a_person_named_in_full_and_by_surname_is_one_person(seeded):
    _, label, aliases, _, _, _ = entity(seeded, "Vassily Nebenzia")
    assert label == "PERSON" and "Nebenzia" in aliases


def test_acronyms_dotted_forms_and_the_full_name_are_one_organisation(seeded):
    _, label, aliases, _, _, _ = entity(seeded, "United Nations")
    assert label == "ORG" and {"UN", "U.N.", "United Nations"} <= set(aliases)


def test_names_with_and_without_the_al_particle_are_one_person(seeded):
    assert {"Bashar Assad", "Bashar al-Assad"} <= set(entity(seeded, "Bashar al-Assad")[2])


def test_no_mention_crosses_a_line_break(seeded):
    assert scalar(seeded, "select count(*) from mentions where text like '%' || chr(10) || '%'") == 0


def test_quote_speakers_are_people_or_organisations(seeded):
    labels = {row[0] for row in query(seeded, "select e.label from quotes q join entities e on e.entity_id = q.speaker_entity_id")}
    assert labels <= {"PERSON", "ORG"}


def test_no_agency_is_among_the_top_entities_or_the_network(seeded):
    agencies = ["Reuters", "REUTERS", "Reuter", "AP", "AFP"]
    marks = ", ".join("?" * len(agencies))
    assert scalar(seeded, f"select count(*) from report_top_entities_daily where name in ({marks})", agencies) == 0
    assert scalar(seeded, f"select count(*) from report_entity_pairs where entity_a in ({marks}) or entity_b in ({marks})",
                  agencies * 2) == 0
