-- Keys the run's rows hold twice in the child tables, which have no primary key (DuckDB keeps a key's index in
-- memory, and it grows with the warehouse). Read inside the load transaction after the inserts: any row here
-- fails the load, as a key violation did. Only the run's documents are grouped: rows of other documents were
-- checked when they were loaded, and an article_id belongs to one document.
with run_documents as (
    select doc_id from stg_documents
),

paragraph_keys as (
    select article_id as owner, position
    from paragraphs
    where doc_id in (select doc_id from run_documents)
    group by all
    having count(*) > 1
),

caption_keys as (
    select article_id as owner, position
    from captions
    where doc_id in (select doc_id from run_documents)
    group by all
    having count(*) > 1
),

quote_keys as (
    select article_id as owner, position
    from quotes
    where doc_id in (select doc_id from run_documents)
    group by all
    having count(*) > 1
),

boilerplate_keys as (
    select doc_id as owner, position
    from boilerplate
    where doc_id in (select doc_id from run_documents)
    group by all
    having count(*) > 1
),

counted as (
    select 'paragraphs' as table_name, count(*) as keys, min(owner || ':' || position) as example
    from paragraph_keys
    union all
    select 'captions', count(*), min(owner || ':' || position) from caption_keys
    union all
    select 'quotes', count(*), min(owner || ':' || position) from quote_keys
    union all
    select 'boilerplate', count(*), min(owner || ':' || position) from boilerplate_keys
),

final as (
    select * from counted where keys > 0
)

select * from final;
