-- grain: one row per direct quotation in a loaded article, with its speaker when the text says who spoke
-- key: (article_id, position), unique, but no primary key (see warehouse/sql/queries/duplicate_keys.sql)
create table if not exists quotes (
    article_id  varchar not null,
    doc_id      varchar not null,
    position    integer not null,
    paragraph   integer not null,
    text        varchar not null,
    speaker     varchar,
    attribution varchar
);
