-- The entity merge as of the last run's merge (once per run, in its closing transaction): every
-- entity key of the mentions, the key it was merged into, that key's entity_id, and how many
-- mentions the key had. The next run's merge compares with this table to rebuild only the entities whose keys changed (warehouse/entities.py). No
-- primary key, for the same reason as entities (a delete-then-insert in one transaction, duckdb#16604).
-- Empty here: the first load after this migration finds every key new and rebuilds every entity.
create table entity_keys (
    entity_key  varchar not null,
    target_key  varchar not null,
    entity_id   varchar not null,
    mentions    bigint  not null
);
