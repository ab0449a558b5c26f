-- Near-duplicate detection: one MinHash signature per article (transforms/neardup.py) and its LSH
-- band keys. Two articles sharing a (band, band_key) are candidates; the join on this table is
-- how a new article is compared against the whole warehouse without reading every signature.
create table article_signatures (
    article_id  varchar not null,
    minhash     uinteger[] not null   -- 128 MinHash values of the body's 5-word shingles
);

create table article_signature_bands (
    article_id  varchar  not null,
    band        smallint not null,
    band_key    bigint   not null
);
