"""Tests for published_at and date_source: a dateline's day and month, the year from the file."""

from datetime import datetime

import duckdb

from transforms.articles import file_articles
from transforms.parse import parse
from warehouse.store import apply_migrations, apply_views

STORY = "GRAIN EXPORTS FALL\n\nCHICAGO, March 3 - Exports of wheat fell sharply last week, traders said.\n"


def test_full_date_inside_a_sentence_is_not_the_story_year():
    text = STORY + "\nShipments in the week to March 3, 1986 were counted for comparison.\n"
    (article,) = parse(text, "story.txt", datetime(2025, 6, 1))
    assert (article.published_at, article.date_source) == (datetime(2025, 3, 3), "inferred")


def test_date_printed_on_a_line_of_its_own_gives_the_year():
    digest = "Grain digest\n\nTuesday, March 10, 1987\n\nThe digest lists the grain news of the week from the wires.\n\n"
    first, second = parse(digest + STORY, "story.txt", datetime(2025, 6, 1))
    assert (first.published_at, first.date_source) == (datetime(1987, 3, 10), "printed")
    assert (second.published_at, second.date_source) == (datetime(1987, 3, 3), "inferred")


def test_dateline_day_takes_the_year_from_the_file_name():
    (article,) = parse(STORY, "wire/reuters-1987-03-04.txt", datetime(2026, 11, 30))
    assert (article.published_at, article.date_source) == (datetime(1987, 3, 3), "inferred")


def test_dateline_day_takes_the_year_of_the_file_modification_time():
    assert parse(STORY, "story.txt", datetime(2025, 6, 1, 12, 0))[0].published_at == datetime(2025, 3, 3)


def test_dateline_day_later_in_the_year_than_the_file_date_is_of_the_year_before():
    text = STORY.replace("March 3", "Dec 30")
    assert parse(text, "inbox/2025-01-02.txt")[0].published_at == datetime(2024, 12, 30)


def test_full_date_printed_in_the_header_is_printed_not_inferred():
    text = "Talks go on\n\n10 January, 2018\n\nGENEVA (Reuters) - The envoy spoke on Wednesday to reporters.\n"
    (article,) = parse(text, "x.txt", datetime(2026, 1, 1))
    assert (article.published_at, article.date_source) == (datetime(2018, 1, 10), "printed")


def test_a_dateline_printing_the_year_gives_a_printed_date_and_its_place():
    text = "Chip maker unveils processor\n\nAustin, Texas, June 3, 2025 - Lumatek Inc. unveiled a processor on Tuesday.\n"
    (article,) = parse(text, "x.txt", datetime(2026, 1, 1))
    assert (article.dateline, article.published_at, article.date_source) == ("Austin", datetime(2025, 6, 3), "printed")


def test_a_dateline_printing_a_day_its_month_lacks_gives_no_printed_date():
    text = "Chip maker unveils processor\n\nAustin, Texas, June 31, 2025 - Lumatek Inc. unveiled a processor.\n"
    (article,) = parse(text)
    assert (article.dateline, article.published_at) == ("Austin", None)


def test_an_agency_dateline_without_a_dash_names_its_place_and_agency():
    (article,) = parse("Ration scheme extended\n\nNew Delhi, Dec 1 (PTI) The Centre on Friday extended the scheme.\n")
    assert (article.dateline, article.agency) == ("New Delhi", "PTI")


def test_a_bracketed_ticker_without_a_dash_is_no_dateline():
    (article,) = parse("Apple shares rise\n\nApple (AAPL) Shares rose on Tuesday after the results came out.\n")
    assert article.dateline is None


def test_a_known_place_in_mixed_case_before_an_em_dash_and_a_sentence_is_a_dateline():
    (article,) = parse("Ontario adds care beds\n\nToronto — The Ontario government says it will fund 3,000 beds.\n")
    assert article.dateline == "Toronto"


def test_a_place_opening_an_aside_in_em_dashes_is_no_dateline():
    (article,) = parse("City of light\n\nParis — the city of light — is busier than ever this summer, officials said.\n")
    assert article.dateline is None


def test_dateline_without_a_date_and_no_header_date_leaves_no_date():
    (article,) = parse("Talks go on\n\nGENEVA (Reuters) - The envoy spoke.\n", "x.txt", datetime(2026, 1, 1))
    assert (article.published_at, article.date_source) == (None, None)


def test_dateline_day_without_any_year_evidence_leaves_no_date():
    (article,) = parse(STORY)
    assert (article.published_at, article.date_source) == (None, None)


def test_file_articles_pass_name_and_modification_time_to_the_date():
    parsed = file_articles(STORY.encode(), "ab" * 32, "a.txt", datetime(2024, 5, 1))
    assert (parsed.articles[0]["published_at"], parsed.articles[0]["date_source"]) == (datetime(2024, 3, 3), "inferred")


def test_entity_views_date_an_inferred_article_by_its_dateline_not_the_run(tmp_path):
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    apply_migrations(con)
    apply_views(con)
    con.execute("insert into runs (run_id, started_at, status) values ('r1', timestamp '2026-11-30 10:00', 'done')")
    con.execute("insert into articles (article_id, file_sha256, ordinal, body, word_count, published_at, date_source, "
                "run_id) values ('a1', 'f', 0, 'Putin spoke.', 2, timestamp '1987-03-03', 'inferred', 'r1'), "
                "('a2', 'g', 0, 'Putin spoke.', 2, null, null, 'r1')")
    con.execute("insert into entities (entity_id, name, label, mentions, articles) values ('e1', 'Vladimir Putin', 'PERSON', 2, 2)")
    con.execute("insert into mentions (article_id, sentence_no, start_char, end_char, text, label, entity_id) "
                "values ('a1', 0, 0, 5, 'Putin', 'PERSON', 'e1'), ('a2', 0, 0, 5, 'Putin', 'PERSON', 'e1')")
    rows = con.execute("select article_id, day, dated_by from base_entity_mentions order by article_id").fetchall()
    assert [(a, str(d), by) for a, d, by in rows] == [("a1", "1987-03-03", "inferred"), ("a2", "2026-11-30", "run")]
