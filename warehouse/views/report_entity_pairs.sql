-- Co-occurrence: every pair of entities named in the same article, with how many articles and how
-- many sentences name both. entity_a is the pair's lower entity_id, so each pair appears once.
create or replace view report_entity_pairs as
with in_articles as (
    select distinct article_id, entity_id, name, label from base_entity_mentions
),
in_sentences as (
    select distinct article_id, sentence_no, entity_id from base_entity_mentions where sentence_no is not null
),
article_pairs as (
    select a.entity_id as entity_a_id, b.entity_id as entity_b_id,
           any_value(a.name) as entity_a, any_value(a.label) as label_a,
           any_value(b.name) as entity_b, any_value(b.label) as label_b,
           count(*) as articles
    from in_articles a
    join in_articles b on b.article_id = a.article_id and a.entity_id < b.entity_id
    group by a.entity_id, b.entity_id
),
sentence_pairs as (
    select a.entity_id as entity_a_id, b.entity_id as entity_b_id, count(*) as sentences
    from in_sentences a
    join in_sentences b
      on b.article_id = a.article_id and b.sentence_no = a.sentence_no and a.entity_id < b.entity_id
    group by a.entity_id, b.entity_id
)
select
    p.entity_a_id, p.entity_a, p.label_a,
    p.entity_b_id, p.entity_b, p.label_b,
    coalesce(s.sentences, 0) as sentences,
    p.articles
from article_pairs p
left join sentence_pairs s using (entity_a_id, entity_b_id)
order by sentences desc, articles desc, entity_a, entity_b;
