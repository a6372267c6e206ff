-- grain: one row per image caption / photo credit of a loaded article
create table if not exists captions (
    article_id varchar not null,
    doc_id     varchar not null,
    position   integer not null,
    text       varchar not null,
    credit     varchar,
    primary key (article_id, position)
);
