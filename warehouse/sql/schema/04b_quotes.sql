-- grain: one row per direct quotation in a loaded article, with its speaker when the text says who spoke
create table if not exists quotes (
    article_id  varchar not null,
    doc_id      varchar not null,
    position    integer not null,
    paragraph   integer not null,
    text        varchar not null,
    speaker     varchar,
    attribution varchar,
    primary key (article_id, position)
);
