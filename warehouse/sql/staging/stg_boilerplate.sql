create or replace temp view stg_boilerplate as
with source as (
    select * from incoming_boilerplate
),

final as (
    select doc_id, position, text, reason, run_id
    from source
)

select * from final;
