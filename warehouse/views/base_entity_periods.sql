-- Mentions and articles per entity per day and per week (weeks start on Monday), ranked within the
-- period; the one source of report_top_entities_daily, _weekly and report_entity_timeline.
create or replace view base_entity_periods as
with dated as (
    select 'day' as period, day as period_start, * exclude (day) from base_entity_mentions
    union all
    select 'week' as period, cast(date_trunc('week', day) as date) as period_start, * exclude (day)
    from base_entity_mentions
),
counted as (
    select
        period, period_start, entity_id,
        any_value(name)                                          as name,
        any_value(label)                                         as label,
        count(*)                                                 as mentions,
        count(distinct article_id)                               as articles,
        count(distinct article_id) filter (where dated_by = 'run') as articles_dated_by_run
    from dated
    group by period, period_start, entity_id
)
select
    *,
    row_number() over (partition by period, period_start order by mentions desc, articles desc, name) as rank
from counted;
