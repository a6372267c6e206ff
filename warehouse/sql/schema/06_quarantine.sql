-- grain: one row per document or article that could not be read, extracted or validated
create table if not exists quarantine (
    doc_id         varchar not null,
    article_id     varchar,
    source_file    varchar not null,
    stage          varchar not null,
    reason         varchar not null,
    detail         varchar not null,
    failed_expectations varchar[],
    record         json,
    run_id         varchar not null,
    quarantined_at timestamptz not null
);
