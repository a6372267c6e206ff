-- Bring warehouses created by earlier versions up to the current schema (no-ops on a new warehouse).
-- Loads insert by name, so the position of an added column does not matter.
alter table documents add column if not exists articles_extracted integer default 0;
alter table articles add column if not exists dateline varchar;
alter table articles add column if not exists domain varchar;
alter table quarantine add column if not exists failed_expectations varchar[];
alter table paragraphs add column if not exists line_first integer;
alter table paragraphs add column if not exists line_last integer;
alter table paragraphs add column if not exists block integer;
