-- The most mentioned entities: the one definition the report and a run's top-entities artifact share.
-- Canonical entities of base_entity_mentions (named labels only, near-duplicate copies left out);
-- $run_id null: the whole warehouse, else the articles that run loaded.
select entity_id, any_value(name) as name, any_value(label) as label,
       count(*) as mentions, count(distinct article_id) as articles
from base_entity_mentions
where $run_id::varchar is null or article_id in (select article_id from articles where run_id = $run_id)
group by entity_id
order by mentions desc, articles desc, name
limit $limit;
