-- what the warehouse knows under a key that names no loaded document ($key): the records of a .jsonl or
-- WARC file named without its :N, or the quarantine rows of a file that owns no document (a duplicate)
select source_file, 'document' as kind, status as detail
from documents
where starts_with(source_file, $key || ':')
union all
select source_file, 'quarantine', reason || ': ' || detail
from quarantine
where source_file = $key
order by 1
limit 20;
