-- Where an article's published_at came from: 'printed' (a full date printed in its header or byline),
-- 'inferred' (the dateline's day and month, the year from the file's evidence), null (no date).
alter table articles add column date_source varchar;
update articles set date_source = 'printed' where published_at is not null;
