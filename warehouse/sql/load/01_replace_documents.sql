-- Everything derived from a replaced document goes, and so do quarantine rows of files read again
-- (a duplicate row carries the owner's doc_id, so it is found by its file): re-runs add no duplicates,
-- and a fixed file leaves quarantine.
delete from paragraphs where doc_id in (select doc_id from replaced_docs);
delete from captions where doc_id in (select doc_id from replaced_docs);
delete from quotes where doc_id in (select doc_id from replaced_docs);
delete from boilerplate where doc_id in (select doc_id from replaced_docs);
delete from quarantine
where doc_id in (select doc_id from replaced_docs)
    or file_of(source_file) in (select path from changed_files);
-- story cluster rows follow their articles (a cluster that loses its first article is re-seated by the next
-- clustering, warehouse/clusters.py)
delete from story_clusters where article_id in (select article_id from articles where doc_id in (select doc_id from replaced_docs));
delete from story_signatures where article_id in (select article_id from articles where doc_id in (select doc_id from replaced_docs));
delete from story_bands where article_id in (select article_id from articles where doc_id in (select doc_id from replaced_docs));
delete from articles where doc_id in (select doc_id from replaced_docs);
delete from documents where doc_id in (select doc_id from replaced_docs);
