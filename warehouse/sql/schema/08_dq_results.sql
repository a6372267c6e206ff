-- grain: one row per expectation evaluated in a run
create table if not exists dq_results (
    run_id             varchar not null,
    suite              varchar not null,
    expectation        varchar not null,
    "column"           varchar,
    severity           varchar not null,
    description        varchar not null,
    success            boolean not null,
    element_count      bigint,
    unexpected_count   bigint,
    unexpected_percent double,
    observed_value     varchar,
    validated_at       timestamptz not null
);
