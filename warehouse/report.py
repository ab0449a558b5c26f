"""The queries behind `wirehouse report`, read from the published warehouse's reporting views."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from warehouse.query import QueryResult, file_problems, run_query


@dataclass(frozen=True)
class Report:
    """Everything the terminal tables and the HTML report show, as plain query results."""

    top_entities: QueryResult
    timeline: QueryResult
    pairs: QueryResult
    quotes: QueryResult
    countries: QueryResult
    agencies: QueryResult
    validation: QueryResult
    file_problems: QueryResult


def top_entities(db: Path, limit: int, run_id: str | None = None) -> QueryResult:
    """The most mentioned entities over the whole warehouse, or in the articles one run loaded: the
    one definition of "top entities" (canonical entities of base_entity_mentions, named labels
    only, near-duplicate copies left out) that the report and the run's artifact share."""
    return run_query(db, "select entity_id, any_value(name) as name, any_value(label) as label, "
                         "count(*) as mentions, count(distinct article_id) as articles "
                         "from base_entity_mentions b "
                         "where ?::varchar is null or article_id in (select article_id from articles where run_id = ?) "
                         "group by entity_id order by mentions desc, articles desc, name limit ?",
                     [run_id, run_id, limit])


def timeline(db: Path, entity_ids: list[str]) -> QueryResult:
    """Mentions per day of the given entities."""
    return run_query(db, "select entity_id, name, day, mentions from report_entity_timeline "
                         "where list_contains(?, entity_id) order by name, day", [entity_ids])


def top_pairs(db: Path, limit: int) -> QueryResult:
    """The entity pairs named together in the most sentences."""
    return run_query(db, "select entity_a, entity_b, sentences, articles from report_entity_pairs "
                         "where sentences > 0 limit ?", [limit])


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
    return run_query(db, "select v.run_id, v.suite, v.expectations, v.passed, v.errors, v.warnings "
                         "from report_validation_summary v join runs r using (run_id) "
                         "where r.run_id in (select run_id from runs order by started_at desc limit ?) "
                         "order by r.started_at desc, v.suite", [runs])


def collect_report(db: Path, limit: int = 15, timeline_entities: int = 5) -> Report:
    """Read every section of the report from ``db``."""
    top = top_entities(db, limit)
    leaders = [row[0] for row in top.rows[:timeline_entities]]
    return Report(top_entities=top, timeline=timeline(db, leaders), pairs=top_pairs(db, limit * 2),
                  quotes=quotes_by_speaker(db, limit), countries=countries(db, limit),
                  agencies=top_entity_per_agency(db), validation=validation_summary(db, 3),
                  file_problems=file_problems(db))


def mentions_in_context(db: Path, context_chars: int = 40) -> QueryResult:
    """Every mention with its file path, entity and the body text just before it (for bench/entity_quality.py)."""
    return run_query(db, "select f.path, m.text, m.entity_id, "
                         "substr(a.body, greatest(m.start_char - ?, 0) + 1, m.end_char - greatest(m.start_char - ?, 0)) "
                         "from mentions m join articles a using (article_id) "
                         "join files f on f.sha256 = a.file_sha256 and f.is_current and f.status = 'loaded'",
                     [context_chars, context_chars])
