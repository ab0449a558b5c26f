-- When discover last found a file version's path missing from the inbox (null while present).
-- A removed file keeps its status and its loaded rows: removing a file never erases data.
alter table files add column removed_at timestamp;
