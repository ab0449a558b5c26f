-- The most mentioned entities of each day (published_at, else the loading run's day; see base_entity_mentions).
create or replace view report_top_entities_daily as
select period_start as day, rank, entity_id, name, label, mentions, articles, articles_dated_by_run
from base_entity_periods
where period = 'day'
order by day desc, rank;
