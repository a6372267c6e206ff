-- grain: one row per dump file (path relative to the inbox) as the last run saw it; key: path
create table if not exists inbox_files (
    path        varchar primary key,
    bytes       bigint not null,
    mtime_ns    bigint not null,
    file_sha256 varchar,
    changed     boolean not null,
    problem     varchar,
    run_id      varchar not null
);
