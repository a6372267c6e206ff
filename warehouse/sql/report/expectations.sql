with latest as (
    select run_id from runs order by started_at desc limit 1
)

select
    suite, expectation, severity, success, description,
    unexpected_count, round(unexpected_percent, 2) as unexpected_pct, left(observed_value, 120) as observed
from dq_results
where run_id in (select run_id from latest)
order by success, severity, suite, expectation;
