-- Current file versions that did not load, and why, and loaded ones with a note (text cut for
-- extraction): what a person must look at.
create or replace view report_file_problems as
select path, status, reason, size_bytes, modified_at, run_id
from files
where is_current and removed_at is null
  and (status in ('quarantined', 'rejected', 'duplicate') or (status = 'loaded' and reason is not null))
order by status, path;
