-- --prune, before a run reads anything: files the warehouse knows that the inbox no longer has (deleted, or
-- renamed away) take their documents and everything derived from them along; `seen_paths` lists every path
-- the run discovered.
create or replace temp table gone_files as
with known as (
    select file_of(source_file) as path from documents
    union
    select file_of(source_file) from quarantine
    union
    select path from inbox_files
)

select distinct path from known
where path not in (select path from seen_paths);

create or replace temp table gone_docs as
select doc_id from documents where file_of(source_file) in (select path from gone_files);

-- a copy elsewhere in the inbox whose bytes were loaded under a gone file (a rename): forget it was seen, so this
-- run reads it again and it becomes the owner of those bytes
delete from inbox_files
where path in (
    select file_of(source_file) from quarantine
    where reason = getvariable('duplicate_reason') and doc_id in (select doc_id from gone_docs)
);

delete from paragraphs where doc_id in (select doc_id from gone_docs);
delete from captions where doc_id in (select doc_id from gone_docs);
delete from quotes where doc_id in (select doc_id from gone_docs);
delete from boilerplate where doc_id in (select doc_id from gone_docs);
delete from quarantine
where doc_id in (select doc_id from gone_docs) or file_of(source_file) in (select path from gone_files);
-- story cluster rows follow their articles (a cluster that loses its first article is re-seated by the next
-- clustering, warehouse/clusters.py)
delete from story_clusters where article_id in (select article_id from articles where doc_id in (select doc_id from gone_docs));
delete from story_signatures where article_id in (select article_id from articles where doc_id in (select doc_id from gone_docs));
delete from story_bands where article_id in (select article_id from articles where doc_id in (select doc_id from gone_docs));
delete from articles where doc_id in (select doc_id from gone_docs);
delete from documents where doc_id in (select doc_id from gone_docs);
delete from inbox_files where path in (select path from gone_files);
