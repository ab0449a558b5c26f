-- Entity resolution: per-mention canonical names and places, quote speakers, and a rebuilt
-- entities table. entities is re-derived from mentions once per run, in the run's closing
-- transaction (flows/loading.py settle_entities; SQL in warehouse/entities.py and
-- warehouse/statements/); it drops the primary key because a delete-then-insert of the same keys
-- in one transaction trips DuckDB's constraint check (duckdb#16604). It was never filled before.
alter table mentions add column canonical varchar;
alter table mentions add column entity_key varchar;
alter table mentions add column place_status varchar;
alter table mentions add column country_code varchar;
alter table mentions add column latitude double;
alter table mentions add column longitude double;

alter table quotes add column speaker_key varchar;

drop table entities;
create table entities (
    entity_id     varchar not null,
    name          varchar not null,
    label         varchar not null,
    country_code  varchar,
    latitude      double,
    longitude     double,
    place_status  varchar,
    aliases       varchar[],
    mentions      integer not null,
    articles      integer not null
);
