-- One entity's mentions day by day, with the running total: filter on entity_id or name.
create or replace view report_entity_timeline as
select
    entity_id, name, label, period_start as day, mentions, articles,
    sum(mentions) over (partition by entity_id order by period_start) as mentions_to_date
from base_entity_periods
where period = 'day'
order by entity_id, day;
