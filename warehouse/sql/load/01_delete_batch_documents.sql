-- a re-processed document replaces everything derived from it (idempotent re-runs, no duplicates)
delete from paragraphs where doc_id in (select doc_id from stg_documents);
delete from captions where doc_id in (select doc_id from stg_documents);
delete from boilerplate where doc_id in (select doc_id from stg_documents);
delete from quarantine where doc_id in (select doc_id from stg_documents);
delete from articles where doc_id in (select doc_id from stg_documents);
delete from documents where doc_id in (select doc_id from stg_documents);
