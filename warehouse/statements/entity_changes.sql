-- What changed since the last merge, from the new merge (merged_keys), the stored one (entity_keys)
-- and key_counts. A key is touched when it appeared or vanished, moved to another entity, gained
-- mentions (unlinked ones) or lost some (fewer linked than the stored count). Its old and new
-- entity are touched: their rows are rebuilt. Then entity_keys is made current for touched keys.
create or replace temp table touched_keys as
select coalesce(m.entity_key, s.entity_key) as entity_key,
       s.entity_id as old_entity_id,
       m.entity_id as new_entity_id
from merged_keys m
full join entity_keys s on s.entity_key = m.entity_key
left join key_counts c on c.entity_key = coalesce(m.entity_key, s.entity_key)
where m.entity_id is distinct from s.entity_id
   or c.linked < c.mentions
   or c.linked is distinct from s.mentions;

create or replace temp table touched_entities as
select old_entity_id as entity_id from touched_keys where old_entity_id is not null
union
select new_entity_id from touched_keys where new_entity_id is not null;

delete from entity_keys where entity_key in (select entity_key from touched_keys);

insert into entity_keys
select m.entity_key, m.target_key, m.entity_id, c.mentions
from merged_keys m
join key_counts c using (entity_key)
where m.entity_key in (select entity_key from touched_keys);
