-- the document to explain: by its source_file, its doc_id or the id of one of its articles ($key)
select d.doc_id, d.source_file, d.format, d.file_sha256, d.status, d.run_id, r.inbox
from documents as d
left join runs as r on d.run_id = r.run_id
where d.source_file = $key
    or d.doc_id = $key
    or d.doc_id in (select doc_id from articles where article_id = $key)
    or d.doc_id in (select doc_id from quarantine where article_id = $key and stage = 'validate')
order by d.source_file;
