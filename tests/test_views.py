"""Reporting views on a warehouse from one real flow run over seeds/."""

from __future__ import annotations

import pytest

from tests.conftest import query, scalar
from tests.report_warehouse import seeds_warehouse


@pytest.fixture(scope="module")
def seeded(prefect_api, tmp_path_factory):
    return seeds_warehouse(tmp_path_factory)


def test_entity_pairs_count_shared_sentences_and_articles_once_per_pair(seeded):
    rows = query(seeded, "select sentences, articles from report_entity_pairs "
                         "where (entity_a, entity_b) in (('Russia', 'Vladimir Putin'), ('Vladimir Putin', 'Russia'))")
    assert len(rows) == 1
    sentences, articles = rows[0]
    assert sentences >= 5 and 5 <= articles <= 13
    assert scalar(seeded, "select count(*) from report_entity_pairs where entity_a_id >= entity_b_id") == 0


def test_top_entities_daily_falls_back_to_the_run_day_for_undated_articles(seeded):
    run_day = scalar(seeded, "select cast(started_at as date) from runs")
    top = query(seeded, "select name, articles_dated_by_run from report_top_entities_daily "
                        "where day = ? and rank = 1", [run_day])
    assert top == [("Russia", top[0][1])] and top[0][1] > 0
    assert scalar(seeded, "select count(*) from report_top_entities_daily where day = date '2017-06-08'") > 0


def test_top_entities_weekly_groups_days_into_monday_weeks(seeded):
    weeks = [row[0] for row in query(seeded, "select distinct week from report_top_entities_weekly")]
    assert weeks and all(week.weekday() == 0 for week in weeks)


def test_top_entities_by_agency_ranks_within_each_agency(seeded):
    rows = query(seeded, "select agency, name from report_top_entities_by_agency where rank = 1 order by agency")
    assert {"AP", "Reuters", "Bloomberg"} <= {agency for agency, _ in rows}
    assert dict(rows)["Reuters"] == "Russia"


def test_entity_timeline_runs_a_total_over_the_days(seeded):
    rows = query(seeded, "select day, mentions, mentions_to_date from report_entity_timeline "
                         "where name = 'Staffan de Mistura' order by day")
    assert len(rows) >= 2
    assert rows[-1][2] == sum(mentions for _, mentions, _ in rows)


def test_quotes_by_speaker_names_peskov_and_de_mistura(seeded):
    quotes = dict(query(seeded, "select speaker, quotes from report_quotes_by_speaker where speaker is not null"))
    assert quotes["Dmitry Peskov"] >= 1 and quotes["Staffan de Mistura"] >= 1


def test_countries_carry_codes_counts_and_city_coordinates(seeded):
    rows = {code: (country, mentions, cities) for code, country, mentions, cities in
            query(seeded, "select country_code, country, mentions, cities from report_countries")}
    assert {"RU", "SY", "CH"} <= set(rows)
    country, mentions, cities = rows["RU"]
    moscow = next(city for city in cities if city["name"] == "Moscow")
    assert country == "Russia" and mentions > 0 and round(moscow["latitude"]) == 56


def test_validation_summary_has_every_suite_of_the_run(seeded):
    suites = {row[0] for row in query(seeded, "select suite from report_validation_summary where errors = 0")}
    assert {"articles", "sentences", "mentions"} <= suites


def test_file_problems_is_empty_when_every_seed_loads(seeded):
    assert query(seeded, "select * from report_file_problems") == []
