-- A re-processed document, or a new version of a file already loaded from the same path, replaces
-- everything derived from the old one: re-runs add no duplicates, and a fixed file leaves quarantine.
create or replace temp table replaced_docs as
select doc_id from stg_documents
union
select d.doc_id
from documents as d
inner join stg_documents as s on d.source_file = s.source_file;

delete from paragraphs where doc_id in (select doc_id from replaced_docs);
delete from captions where doc_id in (select doc_id from replaced_docs);
delete from quotes where doc_id in (select doc_id from replaced_docs);
delete from boilerplate where doc_id in (select doc_id from replaced_docs);
delete from quarantine where doc_id in (select doc_id from replaced_docs);
delete from articles where doc_id in (select doc_id from replaced_docs);
delete from documents where doc_id in (select doc_id from replaced_docs);
drop table replaced_docs;
