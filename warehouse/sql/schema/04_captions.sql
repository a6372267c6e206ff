-- grain: one row per image caption / photo credit of a loaded article
-- key: (article_id, position), unique, but no primary key (see warehouse/sql/queries/duplicate_keys.sql)
create table if not exists captions (
    article_id varchar not null,
    doc_id     varchar not null,
    position   integer not null,
    text       varchar not null,
    credit     varchar
);
