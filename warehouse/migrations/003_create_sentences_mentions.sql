-- Offsets are character offsets into articles.body; end is exclusive.
create table sentences (
    article_id   varchar not null,
    sentence_no  integer not null,
    start_char   integer not null,
    end_char     integer not null
);

create table mentions (
    article_id   varchar not null,
    sentence_no  integer,
    start_char   integer not null,
    end_char     integer not null,
    text         varchar not null,
    label        varchar not null,
    entity_id    varchar
);
