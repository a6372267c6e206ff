create or replace temp view stg_captions as
with source as (
    select * from incoming_captions
),

final as (
    select article_id, doc_id, position, text, nullif(trim(credit), '') as credit
    from source
)

select * from final;
