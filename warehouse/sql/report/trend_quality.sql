-- one row per run: expectation pass rate and missing-field rates (from the warning checks' observed means)
with runs_in_order as (
    select run_id, started_at, articles_loaded, records_quarantined from runs
),

checks as (
    select
        run_id,
        avg(case when success then 1.0 else 0.0 end) as pass_rate,
        1 - max(case when expectation = 'dates_mostly_known' then try_cast(observed_value as double) end)
            as missing_date,
        1 - max(case when expectation = 'authors_mostly_known' then try_cast(observed_value as double) end)
            as missing_author,
        1 - max(case when expectation = 'sites_mostly_known' then try_cast(observed_value as double) end)
            as missing_site
    from dq_results
    group by run_id
),

final as (
    select
        r.run_id,
        strftime(r.started_at, '%m-%d %H:%M') as label,
        r.articles_loaded,
        r.records_quarantined,
        c.pass_rate,
        c.missing_date,
        c.missing_author,
        c.missing_site
    from runs_in_order as r
    left join checks as c using (run_id)
    order by r.started_at
)

select * from final;
