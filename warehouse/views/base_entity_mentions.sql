-- Named-entity mentions joined to their entity and article, the shared input of the entity reports.
-- Counting rules: numeric and time labels (DATE, CARDINAL, ...) are not entities an analyst ranks, and
-- an article marked as a near-duplicate copy (articles.duplicate_of) is left out so one story told
-- twice is counted once. An article's day is its published_at, printed or inferred from its dateline
-- (dated_by = articles.date_source); only an article with no date at all takes the started_at of the
-- run that loaded it (dated_by = 'run'), so undated news still shows up.
create or replace view base_entity_mentions as
select
    m.article_id,
    m.sentence_no,
    e.entity_id,
    e.name,
    e.label,
    e.country_code,
    e.place_status,
    e.latitude,
    e.longitude,
    a.agency,
    cast(coalesce(a.published_at, r.started_at) as date)        as day,
    if(a.published_at is null, 'run', coalesce(a.date_source, 'printed')) as dated_by
from mentions m
join entities e using (entity_id)
join articles a using (article_id)
left join runs r on r.run_id = a.run_id
where a.duplicate_of is null
  and e.label not in ('DATE', 'TIME', 'CARDINAL', 'ORDINAL', 'QUANTITY', 'MONEY', 'PERCENT');
