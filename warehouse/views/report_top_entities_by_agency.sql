-- The most mentioned entities in each agency's articles ('unknown' when no agency was found).
create or replace view report_top_entities_by_agency as
with counted as (
    select
        coalesce(agency, 'unknown')   as agency,
        entity_id,
        any_value(name)               as name,
        any_value(label)              as label,
        count(*)                      as mentions,
        count(distinct article_id)    as articles
    from base_entity_mentions
    group by all
)
select
    agency,
    row_number() over (partition by agency order by mentions desc, articles desc, name) as rank,
    entity_id, name, label, mentions, articles
from counted
order by agency, rank;
