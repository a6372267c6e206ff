-- grain: one row per line removed from a dump, with the snake_case reason it was removed
-- key: (doc_id, position), unique, but no primary key (see warehouse/sql/queries/duplicate_keys.sql)
create table if not exists boilerplate (
    doc_id   varchar not null,
    position integer not null,
    text     varchar not null,
    reason   varchar not null,
    run_id   varchar not null
);
