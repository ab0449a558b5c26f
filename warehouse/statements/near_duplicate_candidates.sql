-- Near-duplicate candidates of the articles in the registered table pending_articles: (pending
-- article, other article) pairs sharing an LSH band key (a bucket), the other article among the
-- $per_bucket best-ranked members of that bucket. Ranked as transforms.neardup.Candidate.rank
-- ranks originals: stored before pending, with a headline first, then the longest, then the
-- smallest id (tests/test_neardup.py pins that the two orders agree, ties included). A pending
-- article's best original is only missed when $per_bucket better-ranked members of every bucket
-- it shares with it are all unlike the article, so marks stay as a full comparison makes them,
-- while a cluster of n copies gives n x $per_bucket pairs, not n².
with buckets as (
    select distinct bands.band, bands.band_key
    from article_signature_bands bands
    join pending_articles pending on pending.article_id = bands.article_id
),
ranked as (
    select bands.band, bands.band_key, bands.article_id,
           row_number() over (
               partition by bands.band, bands.band_key
               order by pending.article_id is not null, a.headline is null, a.word_count desc, bands.article_id
           ) as place
    from article_signature_bands bands
    join buckets on buckets.band = bands.band and buckets.band_key = bands.band_key
    join articles a on a.article_id = bands.article_id
    left join pending_articles pending on pending.article_id = bands.article_id
)
select distinct mine.article_id, other.article_id
from article_signature_bands mine
join pending_articles pending on pending.article_id = mine.article_id
join ranked other on other.band = mine.band and other.band_key = mine.band_key
where other.place <= $per_bucket and other.article_id <> mine.article_id
order by all
