-- The rows of the touched entities, rebuilt from the mentions of every key merged into each.
-- name: the target key's own most frequent spelling, else the most frequent one; country and
-- coordinates: only resolved places carry them and those never merge, so any value is the value.
-- Ties are broken by value (names: not all capitals, then the smaller), so that rebuilding some
-- entities gives the same rows as rebuilding all of them.
delete from entities where entity_id in (select entity_id from touched_entities);

insert into entities
with keys as (
    select entity_key, target_key, entity_id
    from entity_keys
    where entity_id in (select entity_id from touched_entities)
),
names as (
    select entity_key, canonical,
           any_value(country_code) as country_code, any_value(latitude) as latitude,
           any_value(longitude) as longitude, any_value(place_status) as place_status,
           list(distinct text) as aliases, count(*) as n
    from mentions
    where entity_key in (select entity_key from keys)
    group by entity_key, canonical
),
articles as (
    select k.entity_id, count(distinct m.article_id) as articles
    from mentions m
    join keys k using (entity_key)
    group by k.entity_id
)
select k.entity_id,
       arg_min(m.canonical, {'other_key': m.entity_key <> k.target_key, 'n': -m.n,
                             'capitals': m.canonical = upper(m.canonical), 'name': m.canonical}) as name,
       split_part(k.target_key, ':', 1) as label,
       any_value(m.country_code) as country_code,
       any_value(m.latitude) as latitude,
       any_value(m.longitude) as longitude,
       arg_min(m.place_status, {'n': -m.n, 'status': m.place_status}) as place_status,
       list_sort(list_distinct(flatten(list(m.aliases)))) as aliases,
       sum(m.n)::integer as mentions,
       any_value(a.articles)::integer as articles
from keys k
join names m using (entity_key)
join articles a using (entity_id)
group by k.entity_id, k.target_key;
