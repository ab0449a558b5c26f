-- Quotes loaded by each run, beside its article, sentence and mention counts.
alter table runs add column quotes integer default 0;
