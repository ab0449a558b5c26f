"""The queries behind `wirehouse report`, read from the published warehouse's reporting views."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from warehouse.query import QueryResult, file_problems, run_query


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


def totals(db: Path) -> QueryResult:
    """Headline figures: articles, sources, the printed date range, undated articles, near-duplicates."""
    return run_query(db, "select count(*) as articles, count(distinct agency) as sources, "
                         "min(published_at)::date as first_day, max(published_at)::date as last_day, "
                         "count(*) filter (where published_at is null) as undated, "
                         "count(*) filter (where duplicate_of is not null) as near_duplicates from articles")


def timeline(db: Path, entity_ids: list[str]) -> QueryResult:
    """Mentions per day of the given entities, on the day each article was published (articles
    without a published_at are left out here: see ``undated``)."""
    return run_query(db, "select b.entity_id, any_value(b.name) as name, a.published_at::date as day, "
                         "count(*) as mentions from base_entity_mentions b join articles a using (article_id) "
                         "where a.published_at is not null and list_contains(?, b.entity_id) "
                         "group by b.entity_id, a.published_at::date order by name, day", [entity_ids])


def undated(db: Path, entity_ids: list[str]) -> QueryResult:
    """Mentions of the given entities in articles with no published_at."""
    return run_query(db, "select b.entity_id, any_value(b.name) as name, count(*) as mentions "
                         "from base_entity_mentions b join articles a using (article_id) "
                         "where a.published_at is null and list_contains(?, b.entity_id) "
                         "group by b.entity_id order by name", [entity_ids])


def top_pairs(db: Path, limit: int) -> QueryResult:
    """The entity pairs named together in the most sentences."""
    return run_query(db, "select entity_a, entity_b, sentences, articles from report_entity_pairs "
                         "where sentences > 0 limit ?", [limit])


def pair_nodes(db: Path, limit: int) -> QueryResult:
    """Each entity of the top pairs with its label and mentions: the network's nodes."""
    return run_query(db, "with pairs as (select entity_a_id, entity_b_id from report_entity_pairs "
                         "where sentences > 0 limit ?) "
                         "select any_value(name) as name, any_value(label) as label, count(*) as mentions "
                         "from base_entity_mentions where entity_id in "
                         "(select entity_a_id from pairs union select entity_b_id from pairs) "
                         "group by entity_id order by name", [limit])


def example_sentences(db: Path, entity_ids: list[str]) -> QueryResult:
    """One sentence naming each given entity: the first of readable length (40-300 characters)."""
    return run_query(db, "with named as (select b.entity_id, b.name, "
                         "substr(a.body, s.start_char + 1, s.end_char - s.start_char) as sentence, "
                         "a.headline, b.article_id, b.sentence_no from base_entity_mentions b "
                         "join sentences s using (article_id, sentence_no) join articles a using (article_id) "
                         "where list_contains(?, b.entity_id)) "
                         "select name, trim(sentence) as sentence, headline from named "
                         "qualify row_number() over (partition by entity_id order by "
                         "(length(sentence) between 40 and 300) desc, article_id, sentence_no) = 1 "
                         "order by list_position(?, entity_id)", [entity_ids, entity_ids])


def mentioned_places(db: Path, limit: int) -> QueryResult:
    """Places with stored coordinates by mentions: the map's points."""
    return run_query(db, "select any_value(name) as name, any_value(latitude) as latitude, "
                         "any_value(longitude) as longitude, count(*) as mentions from base_entity_mentions "
                         "where latitude is not null and longitude is not null "
                         "group by entity_id order by mentions desc, name limit ?", [limit])


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
    return Report(totals=totals(db), top_entities=without(top, "entity_id"),
                  timeline=without(timeline(db, leaders), "entity_id"),
                  undated=without(undated(db, leaders), "entity_id"),
                  pairs=top_pairs(db, limit * 2), nodes=pair_nodes(db, limit * 2),
                  examples=example_sentences(db, leaders), places=mentioned_places(db, 200),
                  clusters=duplicate_clusters(db, limit),
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
