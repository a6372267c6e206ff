-- the lines the cleaning removed from one document ($doc), with their reasons
select position, text, reason
from boilerplate
where doc_id = $doc
order by position;
