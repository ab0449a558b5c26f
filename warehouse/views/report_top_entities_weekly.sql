-- The most mentioned entities of each week, weeks starting on Monday.
create or replace view report_top_entities_weekly as
select period_start as week, rank, entity_id, name, label, mentions, articles, articles_dated_by_run
from base_entity_periods
where period = 'week'
order by week desc, rank;
