-- Runs, newest first, with what each added and how long it took.
create or replace view report_recent_runs as
select
    run_id,
    started_at,
    status,
    round(epoch(finished_at - started_at), 1) as seconds,
    files_new, files_changed, files_unchanged, files_duplicate, files_rejected, files_quarantined,
    coalesce(files_skipped, 0) as files_skipped,
    articles, mentions,
    message
from runs
order by started_at desc;
