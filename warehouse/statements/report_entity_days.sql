-- Mentions of the given entities per day each article was published; day is null for the
-- mentions in articles that print no date (undated: never put on the day of a run).
select b.entity_id, any_value(b.name) as name, a.published_at::date as day, count(*) as mentions
from base_entity_mentions b
join articles a using (article_id)
where list_contains($entity_ids, b.entity_id)
group by b.entity_id, a.published_at::date
order by name, day;
