with latest as (
    select run_id from runs order by started_at desc limit 1
)

select
    expectation, severity, description, "column", success,
    element_count, unexpected_count, round(unexpected_percent, 2) as unexpected_percent, observed_value
from dq_results
where run_id in (select run_id from latest)
order by success, severity, expectation;
