create table runs (
    run_id             varchar   not null,
    flow_run_id        varchar,
    started_at         timestamp not null,
    finished_at        timestamp,
    status             varchar   not null,   -- completed | failed
    files_seen         integer not null default 0,
    files_new          integer not null default 0,
    files_changed      integer not null default 0,
    files_unchanged    integer not null default 0,
    files_duplicate    integer not null default 0,
    files_rejected     integer not null default 0,
    files_quarantined  integer not null default 0,
    articles           integer not null default 0,
    sentences          integer not null default 0,
    mentions           integer not null default 0,
    stage_seconds      json,
    message            varchar
);

create table validation_results (
    run_id            varchar not null,
    suite             varchar not null,
    expectation       varchar not null,
    "column"          varchar,
    severity          varchar not null,   -- error | warn
    success           boolean not null,
    unexpected_count  bigint  not null default 0,
    details           varchar
);
