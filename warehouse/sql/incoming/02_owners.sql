-- Which loaded documents this run replaces, and which staged copy owns each document.
-- A file whose bytes the run read replaces everything loaded from it before (a new version replaces exactly its
-- own rows; a .jsonl line is `file.jsonl:N`). Fixed before any delete, so the views below do not move.
create or replace temp table changed_files as
select distinct path from incoming_inbox_files where changed;

create or replace temp table replaced_docs as
select doc_id from documents where file_of(source_file) in (select path from changed_files);

-- The first batch part holding a document owns it, unless a document the run keeps already has those bytes
-- (then the staged copy is a duplicate of it, as a second copy inside one run is).
create or replace temp table doc_owner as
with staged as (
    select doc_id, min(part) as part
    from staged_documents
    group by doc_id
),

kept as (
    select doc_id from documents
    where doc_id not in (select doc_id from replaced_docs)
),

final as (
    select doc_id, part
    from staged
    where doc_id not in (select doc_id from kept)
)

select * from final;

create or replace temp table owner_file as
with staged_owner as (
    select d.doc_id, d.source_file
    from staged_documents as d
    inner join doc_owner as o on d.doc_id = o.doc_id and d.part = o.part
),

kept_owner as (
    select doc_id, source_file from documents
    where doc_id not in (select doc_id from replaced_docs)
        and doc_id in (select doc_id from staged_documents)
)

select * from staged_owner
union all
select * from kept_owner;
