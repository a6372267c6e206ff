-- grain: one row per body paragraph of a loaded article
create table if not exists paragraphs (
    article_id varchar not null,
    doc_id     varchar not null,
    position   integer not null,
    text       varchar not null,
    primary key (article_id, position)
);
