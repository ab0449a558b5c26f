-- Every entity key of the warehouse with its mentions, and how many of them the last merge linked
-- to an entity (the mentions a batch inserts have no entity_id yet).
create or replace temp table key_counts as
select entity_key, count(*) as mentions, count(entity_id) as linked
from mentions
where entity_key is not null
group by entity_key;
