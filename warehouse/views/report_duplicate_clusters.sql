-- Near-duplicate clusters: the article kept as the original and every article marked as its copy.
create or replace view report_duplicate_clusters as
select
    original.article_id                                   as original_id,
    original.headline                                     as original_headline,
    count(*) + 1                                          as articles,
    list(copy.article_id order by copy.article_id)        as duplicate_ids,
    round(min(copy.similarity), 3)                        as min_similarity,
    round(max(copy.similarity), 3)                        as max_similarity
from articles copy
join articles original on original.article_id = copy.duplicate_of
group by original.article_id, original.headline
order by articles desc, original_id;
