-- One row per version of an input file seen in the inbox.
create table files (
    version_id     bigint    not null,   -- 1, 2, ... in load order (warehouse/load.py: DuckLake has no sequences)
    path           varchar   not null,   -- relative to the inbox
    sha256         varchar   not null,
    size_bytes     bigint    not null,
    modified_at    timestamp not null,   -- file mtime (UTC) when discovered
    discovered_at  timestamp not null,
    run_id         varchar   not null,   -- run that recorded this version
    status         varchar   not null,   -- loaded | quarantined | rejected | superseded | duplicate
    reason         varchar,              -- readable reason for any status but loaded
    encoding       varchar,
    article_count  integer   not null default 0,
    is_current     boolean   not null default true  -- the latest version seen at this path
);
