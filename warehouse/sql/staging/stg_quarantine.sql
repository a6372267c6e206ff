create or replace temp view stg_quarantine as
with source as (
    select * from incoming_quarantine
),

final as (
    select
        doc_id,
        article_id,
        source_file,
        stage,
        reason,
        detail,
        failed_expectations,
        cast(record as json) as record,
        run_id,
        quarantined_at
    from source
)

select * from final;
