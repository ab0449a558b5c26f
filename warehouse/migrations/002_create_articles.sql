-- One row per article. Articles belong to content (files.sha256), so identical content is stored once.
create table articles (
    article_id    varchar   not null,     -- '<first 16 hex of sha256>-<ordinal>'
    file_sha256   varchar   not null,
    ordinal       integer   not null,
    headline      varchar,
    dek           varchar,
    byline        varchar,
    authors       varchar[],
    dateline      varchar,
    agency        varchar,
    published_at  timestamp,
    body          varchar   not null,
    captions      varchar[],
    credits       varchar,
    boilerplate   varchar[],
    subheadings   varchar[],
    language      varchar,
    word_count    integer   not null,
    duplicate_of  varchar,
    similarity    double,
    run_id        varchar   not null
);
