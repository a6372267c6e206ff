-- removals by reason for the documents the latest run processed
with latest as (
    select run_id from runs order by started_at desc limit 1
),

final as (
    select reason, count(*) as lines
    from boilerplate
    where run_id in (select run_id from latest)
    group by reason
)

select * from final
order by lines desc, reason;
