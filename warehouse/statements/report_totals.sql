-- Headline figures: articles, sources, the printed date range, undated articles, near-duplicate copies.
select count(*)                                          as articles,
       count(distinct agency)                            as sources,
       min(published_at)::date                           as first_day,
       max(published_at)::date                           as last_day,
       count(*) filter (where published_at is null)      as undated,
       count(*) filter (where duplicate_of is not null)  as near_duplicates
from articles;
