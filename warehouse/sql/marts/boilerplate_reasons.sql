-- grain: one row per removal reason
create or replace view boilerplate_reasons as
with removed as (
    select reason, doc_id, text from boilerplate
),

final as (
    select
        reason,
        count(*) as lines,
        count(distinct doc_id) as documents,
        any_value(text) as example
    from removed
    group by reason
)

select * from final
order by lines desc;
