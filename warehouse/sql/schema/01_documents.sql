-- grain: one row per distinct raw dump (or .jsonl line); key: doc_id = sha256 of its bytes
create table if not exists documents (
    doc_id        varchar primary key,
    source_file   varchar not null,
    format        varchar not null,
    bytes         bigint not null,
    encoding      varchar,
    file_sha256   varchar not null,
    status        varchar not null,
    articles_extracted integer not null,
    article_count integer not null,
    ingested_at   timestamptz not null,
    run_id        varchar not null
);
