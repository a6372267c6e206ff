create or replace temp view stg_dq_results as
with source as (
    select * from incoming_dq_results
),

final as (
    select
        run_id, suite, expectation, "column", severity, description, success,
        element_count, unexpected_count, unexpected_percent, observed_value, validated_at
    from source
)

select * from final;
