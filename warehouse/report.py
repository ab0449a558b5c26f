"""The queries behind `wirehouse report`, read from the published warehouse's reporting views."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from warehouse.sql import statement
from warehouse.query import QueryResult, file_problems, recent_runs, run_query


@dataclass(frozen=True)
class Report:
    """Everything the terminal tables and the HTML report show, as plain query results."""

    totals: QueryResult
    top_entities: QueryResult
    timeline: QueryResult
    undated: QueryResult
    pairs: QueryResult
    nodes: QueryResult
    examples: QueryResult
    places: QueryResult
    clusters: QueryResult
    quotes: QueryResult
    countries: QueryResult
    agencies: QueryResult
    validation: QueryResult
    file_problems: QueryResult
    newest_run: QueryResult  # what the page can truthfully say about loading depends on it


def top_entities(db: Path, limit: int, run_id: str | None = None) -> QueryResult:
    """The most mentioned entities over the whole warehouse, or in the articles one run loaded: the
    one definition the report and the run's top-entities artifact share."""
    return run_query(db, statement("report_top_entities"), {"run_id": run_id, "limit": limit})


def totals(db: Path) -> QueryResult:
    """Headline figures: articles, sources, the printed date range, undated articles, near-duplicates."""
    return run_query(db, statement("report_totals"))


def entity_days(db: Path, entity_ids: list[str]) -> QueryResult:
    """Mentions per publication day of the given entities; day is null for undated articles."""
    return run_query(db, statement("report_entity_days"), {"entity_ids": entity_ids})


def top_pairs(db: Path, limit: int) -> QueryResult:
    """The entity pairs named together in the most sentences."""
    return run_query(db, "select entity_a, entity_b, sentences, articles from report_entity_pairs "
                         "where sentences > 0 limit ?", [limit])


def pair_nodes(db: Path, limit: int) -> QueryResult:
    """Each entity of the top pairs with its label and mentions: the network's nodes."""
    return run_query(db, statement("report_pair_nodes"), {"limit": limit})


def example_sentences(db: Path, entity_ids: list[str]) -> QueryResult:
    """One sentence naming each given entity, in the order given."""
    return run_query(db, statement("report_example_sentences"), {"entity_ids": entity_ids})


def mentioned_places(db: Path, limit: int) -> QueryResult:
    """Places with stored coordinates by mentions: the map's points."""
    return run_query(db, statement("report_mentioned_places"), {"limit": limit})


def duplicate_clusters(db: Path, limit: int) -> QueryResult:
    """Near-duplicate stories: the original's headline, how many copies and how alike."""
    return run_query(db, "select original_headline as story, articles, min_similarity, max_similarity "
                         "from report_duplicate_clusters limit ?", [limit])


def quotes_by_speaker(db: Path, limit: int) -> QueryResult:
    """Resolved speakers by number of direct quotes, with their first quote."""
    return run_query(db, "select speaker, quotes, articles, first_quote from report_quotes_by_speaker "
                         "where speaker_entity_id is not null limit ?", [limit])


def countries(db: Path, limit: int) -> QueryResult:
    """Countries by mentions, with their most mentioned city."""
    return run_query(db, "select country_code, country, mentions, articles, cities[1].name as top_city, "
                         "cities[1].latitude as latitude, cities[1].longitude as longitude "
                         "from report_countries limit ?", [limit])


def top_entity_per_agency(db: Path) -> QueryResult:
    """Each agency's three most mentioned entities."""
    return run_query(db, "select agency, rank, name, mentions, articles from report_top_entities_by_agency "
                         "where rank <= 3 order by agency, rank")


def validation_summary(db: Path, runs: int) -> QueryResult:
    """Validation per suite for the most recent runs."""
    return run_query(db, "select strftime(r.started_at, '%Y-%m-%d %H:%M') as run, v.suite, v.expectations, "
                         "v.passed, v.errors, v.warnings "
                         "from report_validation_summary v join runs r using (run_id) "
                         "where r.run_id in (select run_id from runs order by started_at desc limit ?) "
                         "order by r.started_at desc, v.suite", [runs])


def without(result: QueryResult, column: str) -> QueryResult:
    """``result`` less one column (internal ids stay out of what people read)."""
    keep = [i for i, name in enumerate(result.columns) if name != column]
    return QueryResult([result.columns[i] for i in keep], [tuple(row[i] for i in keep) for row in result.rows])


def collect_report(db: Path, limit: int = 15, timeline_entities: int = 5) -> Report:
    """Read every section of the report from ``db``."""
    top = top_entities(db, limit)
    leaders = [row[0] for row in top.rows[:timeline_entities]]
    days = without(entity_days(db, leaders), "entity_id")
    return Report(totals=totals(db), top_entities=without(top, "entity_id"),
                  timeline=QueryResult(days.columns, [row for row in days.rows if row[1] is not None]),
                  undated=QueryResult(["name", "mentions"], [(n, m) for n, day, m in days.rows if day is None]),
                  pairs=top_pairs(db, limit * 2), nodes=pair_nodes(db, limit * 2),
                  examples=example_sentences(db, leaders), places=mentioned_places(db, 200),
                  clusters=duplicate_clusters(db, limit),
                  quotes=quotes_by_speaker(db, limit), countries=countries(db, limit),
                  agencies=top_entity_per_agency(db), validation=validation_summary(db, 3),
                  file_problems=file_problems(db), newest_run=recent_runs(db, 1))
