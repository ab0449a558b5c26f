-- Places with stored coordinates, by mentions: the points of the report's map.
select any_value(name) as name, any_value(latitude) as latitude, any_value(longitude) as longitude,
       count(*) as mentions
from base_entity_mentions
where latitude is not null and longitude is not null
group by entity_id
order by mentions desc, name
limit $limit;
