create or replace temp view stg_paragraphs as
with source as (
    select * from incoming_paragraphs
),

final as (
    select article_id, doc_id, position, text, line_first, line_last, block
    from source
)

select * from final;
