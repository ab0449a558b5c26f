-- The DuckLake snapshot a run's closing transaction committed: `wirehouse sql --as-of RUN_ID`
-- attaches the catalog at this snapshot (time travel). Null for a run that is still running or
-- died before its closing transaction, and for runs migrated from the single-file format.
alter table runs add column snapshot_id bigint;
