-- Direct quotes per speaker entity, with the first quote (article order) as an example. Quotes whose
-- speaker could not be resolved are grouped under a null speaker_entity_id and speaker.
create or replace view report_quotes_by_speaker as
select
    q.speaker_entity_id,
    coalesce(any_value(e.name), any_value(q.speaker))          as speaker,
    count(*)                                                   as quotes,
    count(distinct q.article_id)                               as articles,
    arg_min(q.text, (q.article_id, q.quote_no))                as first_quote
from quotes q
join articles a using (article_id)
left join entities e on e.entity_id = q.speaker_entity_id
where a.duplicate_of is null
group by q.speaker_entity_id
order by speaker_entity_id is null, quotes desc, speaker;
