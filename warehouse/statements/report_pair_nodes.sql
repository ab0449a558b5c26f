-- Each entity of the $limit top pairs with its label and mentions: the nodes of the report's network.
with pairs as (
    select entity_a_id, entity_b_id from report_entity_pairs where sentences > 0 limit $limit
)
select any_value(name) as name, any_value(label) as label, count(*) as mentions
from base_entity_mentions
where entity_id in (select entity_a_id from pairs union select entity_b_id from pairs)
group by entity_id
order by name;
