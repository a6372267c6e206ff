-- The rows the run loads: those of each document's owning copy; every other copy becomes a duplicate
-- quarantine row naming the file that owns the bytes (nothing is dropped without a row).
create or replace temp view incoming_documents as
select d.* exclude (part)
from staged_documents as d
semi join doc_owner as o on d.doc_id = o.doc_id and d.part = o.part;

create or replace temp view incoming_articles as
select a.* exclude (part)
from staged_articles as a
semi join doc_owner as o on a.doc_id = o.doc_id and a.part = o.part;

create or replace temp view incoming_paragraphs as
select p.* exclude (part)
from staged_paragraphs as p
semi join doc_owner as o on p.doc_id = o.doc_id and p.part = o.part;

create or replace temp view incoming_captions as
select c.* exclude (part)
from staged_captions as c
semi join doc_owner as o on c.doc_id = o.doc_id and c.part = o.part;

create or replace temp view incoming_quotes as
select q.* exclude (part)
from staged_quotes as q
semi join doc_owner as o on q.doc_id = o.doc_id and q.part = o.part;

create or replace temp view incoming_boilerplate as
select b.* exclude (part)
from staged_boilerplate as b
semi join doc_owner as o on b.doc_id = o.doc_id and b.part = o.part;

create or replace temp view incoming_quarantine as
with owned as (
    select q.* exclude (part)
    from staged_quarantine as q
    semi join doc_owner as o on q.doc_id = o.doc_id and q.part = o.part
),

-- a copy found inside its batch already carries its duplicate row
batch_duplicates as (
    select q.* exclude (part)
    from staged_quarantine as q
    anti join doc_owner as o on q.doc_id = o.doc_id and q.part = o.part
    where q.reason = getvariable('duplicate_reason')
),

run_duplicates as (
    select
        d.doc_id,
        cast(null as varchar) as article_id,
        d.source_file,
        'read' as stage,
        getvariable('duplicate_reason') as reason,
        'same bytes as ' || f.source_file as detail,
        cast(null as varchar[]) as failed_expectations,
        cast(null as varchar) as record,
        d.run_id,
        d.ingested_at as quarantined_at
    from staged_documents as d
    inner join owner_file as f on d.doc_id = f.doc_id
    anti join doc_owner as o on d.doc_id = o.doc_id and d.part = o.part
)

select * from owned
union all by name
select * from batch_duplicates
union all by name
select * from run_duplicates;
