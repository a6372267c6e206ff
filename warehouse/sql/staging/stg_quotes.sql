create or replace temp view stg_quotes as
with source as (
    select * from incoming_quotes
),

final as (
    select
        article_id,
        doc_id,
        position,
        paragraph,
        text,
        nullif(trim(speaker), '') as speaker,
        attribution
    from source
)

select * from final;
