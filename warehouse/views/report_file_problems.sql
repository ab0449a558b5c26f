-- Current file versions that did not load, loaded ones with a note (text cut for extraction), and
-- inbox entries discover could not take, and why: what a person must look at. A skipped entry has
-- no size, mtime or run of its own (it was never read); its status is 'skipped'.
create or replace view report_file_problems as
select path, status, reason, size_bytes, modified_at, run_id
from (
    select path, status, reason, size_bytes, modified_at, run_id
    from files
    where is_current and removed_at is null
      and (status in ('quarantined', 'rejected', 'duplicate') or (status = 'loaded' and reason is not null))
    union all
    select path, 'skipped', reason, null::bigint, null::timestamp, null::varchar
    from skipped_entries
)
order by status, path;
