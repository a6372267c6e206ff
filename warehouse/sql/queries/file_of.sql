-- the dump file a row comes from: a .jsonl line 'f.jsonl:3' belongs to 'f.jsonl'
create or replace temp macro file_of(source_file) as regexp_replace(source_file, '(\.jsonl):[0-9]+$', '\1', 'i');
