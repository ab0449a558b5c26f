-- One sentence naming each given entity, in the order given: the first of readable length
-- (40-300 characters), else the first.
with named as (
    select b.entity_id, b.name, b.article_id, b.sentence_no, a.headline,
           substr(a.body, s.start_char + 1, s.end_char - s.start_char) as sentence
    from base_entity_mentions b
    join sentences s using (article_id, sentence_no)
    join articles a using (article_id)
    where list_contains($entity_ids, b.entity_id)
)
select name, trim(sentence) as sentence, headline
from named
qualify row_number() over (partition by entity_id
                           order by (length(sentence) between 40 and 300) desc, article_id, sentence_no) = 1
order by list_position($entity_ids, entity_id);
