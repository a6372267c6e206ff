-- grain: one row per flow run
create table if not exists runs (
    run_id              varchar primary key,
    flow_run_id         varchar,
    inbox               varchar not null,
    started_at          timestamptz not null,
    finished_at         timestamptz,
    status              varchar not null,
    files_seen          integer not null,
    files_skipped       integer not null,
    documents_read      integer not null,
    articles_extracted  integer not null,
    articles_loaded     integer not null,
    records_quarantined integer not null,
    boilerplate_lines   integer not null,
    seconds_read        double,
    seconds_transform   double,
    seconds_validate    double,
    seconds_load        double,
    seconds_total       double
);
