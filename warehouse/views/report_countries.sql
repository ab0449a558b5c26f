-- Countries mentioned: every resolved place, demonym and city counted under its ISO 3166 country
-- code, with the country's cities and their coordinates. Ambiguous and unknown places have no code.
create or replace view report_countries as
with places as (
    select country_code, entity_id, any_value(name) as name, any_value(place_status) as place_status,
           any_value(latitude) as latitude, any_value(longitude) as longitude,
           count(*) as mentions, count(distinct article_id) as articles
    from base_entity_mentions
    where country_code is not null
    group by country_code, entity_id
),
countries as (
    select country_code,
           arg_max(name, mentions) filter (where place_status = 'country')      as country,
           sum(mentions)::bigint                                                as mentions,
           list({'name': name, 'latitude': latitude, 'longitude': longitude, 'mentions': mentions}
                order by mentions desc, name) filter (where place_status = 'city') as cities
    from places
    group by country_code
),
article_counts as (
    select country_code, count(distinct article_id) as articles
    from base_entity_mentions where country_code is not null group by country_code
)
select c.country_code, c.country, c.mentions, a.articles, coalesce(c.cities, []) as cities
from countries c
join article_counts a using (country_code)
order by mentions desc, country_code;
