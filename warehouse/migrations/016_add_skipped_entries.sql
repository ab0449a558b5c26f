-- Inbox entries that discover could not take, as the newest discover found them: names that are
-- not UTF-8, files and folders it cannot read, FIFOs, devices, sockets, broken links, link loops,
-- links out of the inbox and links to folders. Discover keeps the table equal to what it just
-- skipped (warehouse/load.py: record_skipped): an entry that becomes loadable leaves it, one that
-- stays keeps its row. Hidden, temporary and not-yet-settled files are not recorded here (they
-- are skipped on purpose, or load next run); runs.files_skipped counts every skip of a run.
create table skipped_entries (
    path           varchar   not null,   -- relative to the inbox; bytes that are not UTF-8 shown as \xNN
    reason         varchar   not null,
    skipped_since  timestamp not null    -- when discover first skipped it for this reason
);

alter table runs add column files_skipped integer default 0;
