create table entities (
    entity_id     varchar not null,
    name          varchar not null,
    label         varchar not null,
    country_code  varchar,
    aliases       varchar[]
);

create table quotes (
    article_id         varchar not null,
    quote_no           integer not null,
    speaker_entity_id  varchar,
    speaker            varchar,
    text               varchar not null,
    start_char         integer not null,
    end_char           integer not null
);
